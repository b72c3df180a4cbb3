"""The tasks service: task types, statuses, tasks, spaces, templates, sharing, comments and a calendar feed."""

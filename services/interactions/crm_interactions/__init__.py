"""The interactions service: templates, the interaction log, automatic rules, inbound communications, attachments."""

"""Read-only renderings of tasks for other programs (an iCalendar feed)."""

"""Runs the whole CRM suite as separate processes, the same shape as a production deployment."""

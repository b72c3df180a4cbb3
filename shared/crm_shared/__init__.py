"""The CRM suite's common library: what every service needs, nothing service-specific."""

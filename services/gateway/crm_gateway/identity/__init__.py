"""Identity: the users of the suite, their passwords and roles."""

"""Use cases of the contacts service: one function each, one transaction each."""

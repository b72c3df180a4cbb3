"""Use cases of the deals service: one function each, one transaction each."""

"""Benchmarks of the CRM suite: `make bench` prints one table from one run, each figure beside its baseline."""

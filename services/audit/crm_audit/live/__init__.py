"""The live tail of the log: one loop per process feeding every open stream (no thread or connection each)."""

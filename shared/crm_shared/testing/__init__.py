"""Test support shared by every service's tests: real servers, isolated per run."""

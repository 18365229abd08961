"""Analyses: pure functions of scenarios, arrays and frames (no I/O)."""

"""Benchmarks: figures, not tests (see README.md). Run from the repository root."""

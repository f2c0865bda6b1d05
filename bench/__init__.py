"""Benchmarks: each `python bench/NAME.py` ends with one line `NAME: key=value ...` (see docs/performance.md)."""

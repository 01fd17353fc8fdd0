"""Benchmarks of wb-pulse (run `python bench/sync.py`)."""

"""Timings that tests never fail on: run one with `python -m benchmarks.<name>`."""

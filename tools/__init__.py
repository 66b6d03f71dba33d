"""Developer tools run from the repo root: `python -m tools.<name>`."""

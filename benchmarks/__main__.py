"""`make bench`: every benchmark in turn. Prints timings and scores; never fails on them.

`python -m benchmarks [--quick]`; `--quick` runs Lighthouse on three pages instead of all.
Each benchmark also runs alone: `python -m benchmarks.<name>`.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Build times first: the others build the site too and would only warm the caches for them.
BENCHMARKS = ("build", "lighthouse", "links", "rebuild", "images")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="Lighthouse on the home page and two others only")
    options = parser.parse_args()
    for name in BENCHMARKS:
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"benchmarks.{name}":
                raise
            continue
        if not hasattr(module, "main"):
            continue
        print(f"\n== benchmarks.{name} ==", flush=True)
        # Each main() reads its own options from sys.argv; only Lighthouse takes --quick.
        sys.argv = [f"benchmarks.{name}", *(["--quick"] if options.quick and name == "lighthouse" else [])]
        module.main()


if __name__ == "__main__":
    main()

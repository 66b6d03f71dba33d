"""mkdocs-macros' module for the benchmark's "Material + macros, no clinic plugin" build (benchmarks/build.py).

Copied into that build's folder as main.py, mkdocs-macros' default module. Each name a page's `{{ ... }}` or
`{% ... %}` uses becomes a stand-in that renders as nothing, so macros compiles and renders every page whole,
as it would with our macros, at the cost of its own work only.
"""

from __future__ import annotations

import re
from pathlib import Path

MACRO = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
NAME = re.compile(r"\b[A-Za-z_]\w*\b")


class StandIn:
    """Any value: called, read as an attribute, looped over or printed, it gives nothing."""

    def __call__(self, *args, **kwargs) -> str:
        return ""

    def __getattr__(self, name: str) -> StandIn:
        if name.startswith("__"):
            raise AttributeError(name)
        return self

    def __iter__(self):
        return iter(())

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return ""


def define_env(env) -> None:
    docs = Path(env.conf["docs_dir"])
    names = {name for page in docs.rglob("*.md") for macro in MACRO.findall(page.read_text(encoding="utf-8"))
             for name in NAME.findall(macro)}
    env.variables.update({name: StandIn() for name in names if name not in env.variables})

"""Keep compiled theme templates between the rebuilds of `mkdocs serve`.

MkDocs makes a new Jinja environment for every build, so each rebuild compiled
Material's templates and our overrides again: about a third of a rebuild's CPU time
(`python -m benchmarks.rebuild`). Hook modules live as long as the serve process, so
a cache here outlives each build. Jinja checks each cached template against a hash
of its source, so an edited template is compiled afresh and nothing stale is shown.
Only the theme's environment uses this cache: its settings are the same in every build,
and Jinja's cache key does not include them.
"""

from __future__ import annotations

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket
from mkdocs.config.defaults import MkDocsConfig


class MemoryBytecodeCache(BytecodeCache):
    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_compiled = MemoryBytecodeCache()


def on_env(env: Environment, *, config: MkDocsConfig, files) -> Environment:
    env.bytecode_cache = _compiled
    return env

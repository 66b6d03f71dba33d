"""Compiled templates are reused by the next build's environment, and an edited template is compiled again."""

from jinja2 import DictLoader, Environment

from template_cache import MemoryBytecodeCache, on_env


class CountingCache(MemoryBytecodeCache):
    def __init__(self) -> None:
        super().__init__()
        self.dumps = 0

    def dump_bytecode(self, bucket) -> None:
        self.dumps += 1
        super().dump_bytecode(bucket)


def render(templates: dict[str, str], cache: MemoryBytecodeCache) -> str:
    """A fresh environment, as MkDocs makes for every build."""
    env = Environment(loader=DictLoader(templates), bytecode_cache=cache)
    return env.get_template("page.html").render(name="B")


def test_next_build_reuses_the_compiled_template():
    cache = CountingCache()
    assert render({"page.html": "Hello {{ name }}"}, cache) == "Hello B"
    assert render({"page.html": "Hello {{ name }}"}, cache) == "Hello B"
    assert cache.dumps == 1


def test_edited_template_is_compiled_again():
    cache = CountingCache()
    render({"page.html": "Hello {{ name }}"}, cache)
    assert render({"page.html": "Goodbye {{ name }}"}, cache) == "Goodbye B"
    assert cache.dumps == 2


def test_hook_gives_every_build_the_same_cache():
    first, second = Environment(), Environment()
    assert on_env(first, config=None, files=None).bytecode_cache is on_env(second, config=None, files=None).bytecode_cache
    assert isinstance(first.bytecode_cache, MemoryBytecodeCache)

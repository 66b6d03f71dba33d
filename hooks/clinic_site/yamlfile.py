"""Read YAML the way staff typed it, or stop with the line and the fix.

Plain YAML guesses types and keeps quiet about mistakes: `8:00` becomes the number 480, `Yes`
becomes true, a key written twice keeps its last value, and `note: Ask about #2` loses "#2" to a
comment. Here every scalar stays the text that was typed, and the schema (schema.py) decides what
it must be: a time, a number, a date or text. Mistakes that plain YAML lets through stop instead:
a key written twice, a comment that follows a value on its line, a file that is not UTF-8.

Text pasted from Word or a web page brings characters that look like a space or like nothing. A
space-like one (a non-breaking space) becomes a plain space and a zero-width space is dropped before
parsing: in an indentation, a key, a phone number or an email address they are always a mistake, and
in a sentence the reader sees no difference. Characters that carry meaning in some writing (the
zero-width joiner in an emoji or in Persian, direction marks in Arabic) stay in values; in a key they
stop with their name and column, and data/messages.py names them when a value that holds one is refused.

libyaml composes the node tree (about ten times faster than pure Python); the walk below turns it
into dicts, lists and strings and records the line of every key for messages.

A staff file is read only if it cannot make the build hang or crash: a YAML anchor (&name) or alias
(*name) stops, since a few hundred bytes of nested aliases expand to billions of values ("billion
laughs"); so do a file larger than MAX_CHARS and nesting deeper than MAX_DEPTH (libyaml's composer
recurses, and crashes the interpreter on very deep nesting).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import StaffError

NULLS = frozenset({"", "~", "null", "Null", "NULL"})
COMMENT_AFTER_VALUE = re.compile(r"[ \t]+#")
PASTED_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")  # Unicode spaces but the plain one
ZERO_WIDTH = re.compile("[\u200b\u2060\ufeff]")  # zero-width space, word joiner, a byte-order mark inside the text
INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200c-\u200f\u202a-\u202e\u2061-\u2064\u2066-\u206f]")  # what stays
ANCHOR = re.compile(r"(?:![^\s]*[ \t]+)?&([^\s\[\]{},]*)")  # where a node starts: an optional tag, then &name
MAX_CHARS = 200_000  # the largest data file today is 12 KB; a page's front matter is far smaller
MAX_DEPTH = 32  # levels of lists and keys inside each other; data files use at most 5
DEEP_INDENT = re.compile(rf"^[ \t-]{{{MAX_DEPTH},}}", re.MULTILINE)
FRONT_MATTER = re.compile(r"\A-{3}[ \t]*\n(.*?\n)?(?:-{3}|\.{3})[ \t]*(?:\n|\Z)", re.DOTALL)

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlDocument:
    path: Path
    value: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line(self, keys: KeyPath) -> int:
        """The line of the deepest part of `keys` that is in the file (a missing key: its parent's line)."""
        while keys and keys not in self.lines:
            keys = keys[:-1]
        return self.lines.get(keys, 1)


def decode(data: bytes, path: Path) -> str:
    """UTF-8 text without a byte-order mark, with Unix line ends; otherwise the line of the first bad byte."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise StaffError(path, line, None, f"the file is not saved as UTF-8 text (it has the byte 0x{data[error.start]:02X})",
                         "Save it again as UTF-8: in most editors, Save As, then choose the encoding UTF-8.") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def plain_spaces(text: str) -> str:
    """Pasted space-like characters as plain spaces, zero-width ones dropped; every line stays on its line."""
    return ZERO_WIDTH.sub("", PASTED_SPACES.sub(" ", text))


def invisible_in(text: str) -> tuple[int, str] | None:
    """(its index, its name) for the first invisible character left in `text`, or None."""
    found = INVISIBLE.search(text)
    if found is None:
        return None
    character = found.group()
    return found.start(), f"U+{ord(character):04X} {unicodedata.name(character, 'INVISIBLE CHARACTER')}"


def read_yaml(path: Path) -> YamlDocument:
    text = decode(path.read_bytes(), path)
    document = parse_yaml(text, path)
    if document.value is None:
        raise StaffError(path, 1, None, "the file is empty", "Add its content, or delete the file if it is not needed.")
    return document


def parse_yaml(text: str, path: Path, first_line: int = 1) -> YamlDocument:
    """Parse `text` (which starts on line `first_line` of `path`) into plain values and key lines."""
    text = plain_spaces(text)
    check_size(text, path, first_line)
    loader = yaml.CSafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as error:
        raise syntax_error(error, path, first_line, text) from None
    finally:
        loader.dispose()
    if node is None:
        return YamlDocument(path, None)
    walker = _Walker(path, text.split("\n"), first_line)
    value = walker.value(node, ())
    return YamlDocument(path, value, walker.lines)


def check_size(text: str, path: Path, first_line: int) -> None:
    """Stop before parsing a text too large, or nested too deep, to be a staff file (see the module's note)."""
    if len(text) > MAX_CHARS:
        raise StaffError(path, first_line, None, f"the file is {len(text) // 1000} KB, more than any file of the site needs "
                                                 f"(at most {MAX_CHARS // 1000} KB)",
                         "Check that the right file was saved here. A long list can be split into shorter ones.")
    if text.count("[") + text.count("{") < MAX_DEPTH and not DEEP_INDENT.search(text):
        return  # too few brackets and too little indentation to nest that deep: no need to look
    loader = yaml.CSafeLoader(text)
    depth = 0
    try:
        while (token := loader.get_token()) is not None:
            if isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken, yaml.BlockSequenceStartToken,
                                  yaml.BlockMappingStartToken)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise StaffError(path, token.start_mark.line + first_line, None,
                                     f"the values are nested more than {MAX_DEPTH} levels deep",
                                     "Check the brackets and the indentation: no file of the site needs this many levels.")
            elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)):
                depth -= 1
    except yaml.YAMLError:
        return  # the parse that follows names the mistake and its line
    finally:
        loader.dispose()


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter text or None, the page body, the line the body starts on)."""
    match = FRONT_MATTER.match(text)
    if not match:
        return None, text, 1
    body = text[match.end():]
    # MkDocs drops the blank lines after the front matter, so the page's text starts at its first line with text.
    return match.group(1) or "", body, text[: match.end()].count("\n") + 1 + len(body) - len(body.lstrip("\n"))


class _Walker:
    def __init__(self, path: Path, lines: list[str], first_line: int) -> None:
        self.path, self.text_lines, self.offset = path, lines, first_line - 1
        self.lines: dict[KeyPath, int] = {}
        self.seen: set[int] = set()  # libyaml gives an alias the very node of its anchor

    def line_of(self, mark: yaml.Mark) -> int:
        return mark.line + 1 + self.offset

    def value(self, node: yaml.Node, keys: KeyPath) -> Any:
        self.lines.setdefault(keys, self.line_of(node.start_mark))
        self.check_not_reused(node, keys)
        if isinstance(node, yaml.ScalarNode):
            if node.style in ("|", ">"):  # a block: exactly the text
                return node.value
            self.check_no_comment_after(node, keys)
            if node.style:  # quoted: exactly the text. Plain is None (or '' from libyaml).
                return node.value
            return None if node.value in NULLS else node.value
        if getattr(node, "flow_style", False):  # [a, b] or {a: b} on one line: a note after it is refused like one after a value
            self.check_no_comment_after(node, keys)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(child, keys + (index,)) for index, child in enumerate(node.value)]
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.key(key_node, keys)
            if key in result:
                entry_id = result.get("id") if keys and isinstance(keys[-1], int) and isinstance(result.get("id"), str) else None
                label = ".".join(filter(None, (describe_key(keys[:-1], None), entry_id, key))) if entry_id else \
                    describe_key(keys + (key,), None)
                raise StaffError(self.path, self.line_of(key_node.start_mark), label,
                                 f"this key is written twice in the same place (first on line {self.lines[keys + (key,)]}), "
                                 "and only one value can count", "Keep one of the two lines and delete the other.")
            self.lines[keys + (key,)] = self.line_of(key_node.start_mark)
            result[key] = self.value(value_node, keys + (key,))
        return result

    def key(self, node: yaml.Node, keys: KeyPath) -> str:
        if not isinstance(node, yaml.ScalarNode):
            raise StaffError(self.path, self.line_of(node.start_mark), describe_key(keys, None),
                             "a key must be a plain word", "Check the indentation and the colons on this line.")
        if node.value == "<<":
            raise StaffError(self.path, self.line_of(node.start_mark), describe_key(keys, None),
                             "'<<' (a YAML merge) is not supported", "Write the keys out in full.")
        invisible = invisible_in(node.value)
        if invisible is not None:
            index, name = invisible
            shown = INVISIBLE.sub("", node.value)
            raise StaffError(self.path, self.line_of(node.start_mark), describe_key(keys + (shown,), None),
                             f"the key '{shown}' has an invisible character ({name}) at column {node.start_mark.column + index + 1}",
                             "Delete the key and type it again by hand.")
        return node.value

    def check_not_reused(self, node: yaml.Node, keys: KeyPath) -> None:
        """No anchor (&name) and no alias (*name): a value is written where it is used, and a file cannot expand."""
        if id(node) in self.seen:  # an alias whose anchor the check below did not see (it always should)
            raise StaffError(self.path, self.lines[keys], describe_key(keys, None),
                             "this value repeats another part of the file (a YAML alias, *name), which the site does not accept",
                             "Write the value out in full here.")
        self.seen.add(id(node))
        anchor = ANCHOR.match(self.text_lines[node.start_mark.line][node.start_mark.column:])
        if anchor:
            raise StaffError(self.path, self.line_of(node.start_mark), describe_key(keys, None),
                             f"'&{anchor.group(1)}' marks this value for reuse elsewhere in the file (a YAML anchor), "
                             "which the site does not accept",
                             "Write each value out in full where it is used. If the '&' belongs to the text, "
                             "put the whole value in double quotes.")

    def check_no_comment_after(self, node: yaml.Node, keys: KeyPath) -> None:
        """A `#` after a value on its line: refused, quoted or not, so every note sits on a line of its own.

        After a plain value the note may have been meant as part of it (`item: Infusion #1`); after a quoted
        value or a [list] it cannot be, and the fix says only where the note goes."""
        rest = self.text_lines[node.end_mark.line][node.end_mark.column:]
        if not COMMENT_AFTER_VALUE.match(rest):
            return
        if getattr(node, "style", None) or isinstance(node, (yaml.SequenceNode, yaml.MappingNode)):
            raise StaffError(self.path, self.line_of(node.end_mark), describe_key(keys, None),
                             f"a note ({rest.strip()!r}) follows the value on its line, and notes go on a line of their own",
                             "Move it to a line of its own above, starting with #.")
        raise StaffError(
            self.path, self.line_of(node.end_mark), describe_key(keys, None),
            f'the text after "#" ({rest.strip()!r}) is read as a comment, so it is left out of the value',
            "If it belongs to the value, put the whole value in double quotes. If it is a note to yourself, "
            "move it to a line of its own above, starting with #.")


def texts(value: Any, keys: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """Every text in a file's value, with its key path: ('hours', 0, 'opens')."""
    if isinstance(value, str):
        yield keys, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts(item, (*keys, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from texts(item, (*keys, index))


def describe_key(keys: KeyPath, value: Any) -> str:
    """A key path as staff see it: 'hours[2].opens', or 'ptsd.description' for an entry with an id."""
    words = ""
    node = value
    for part in keys:
        if isinstance(part, int) and not isinstance(node, list) and node is not None:
            continue  # one value written where a list may go (`source: cohen-2018`): it has no [1]
        if isinstance(part, int):
            entry = node[part] if isinstance(node, list) and part < len(node) else None
            entry_id = entry.get("id") if isinstance(entry, dict) else None
            words += (("." if words else "") + str(entry_id)) if isinstance(entry_id, str) else f"[{part + 1}]"
            node = entry
        else:
            words += ("." if words else "") + part
            node = node.get(part) if isinstance(node, dict) else None
    return words


TAB_FIX = "Indent with spaces, not tabs: delete the tab at the start of the line and type spaces to line it up with the lines above."
INDENT = re.compile(r"[ \t]*(?:-[ \t]+)*[ \t]*")
SYNTAX_FIXES = (
    ("found character '\\t'", TAB_FIX),
    ("tab character", TAB_FIX),
    ("mapping values are not allowed", "If the value has a colon followed by a space in it, put the whole value in "
                                       "double quotes. Otherwise check the indentation of this line."),
    ("could not find expected ':'", "Each line needs a key, a colon and a space before its value, for example `city: Boise`."),
    ("did not find expected key", "Line this key up with the keys above it, using the same number of spaces."),
    ("did not find expected '-' indicator", "Line this entry up with the entries above it: each starts with '- ' at the same place."),
    ("expected <block end>", "Line this key up with the keys above it, using the same number of spaces."),
    ("found unexpected end of stream", "A quote was opened and not closed: add the closing quote."),
    ("found unknown escape character", "Inside double quotes, write a backslash as \\\\, or use single quotes."),
    ("found undefined alias", "Remove the '*': it has a special meaning in YAML. Put the value in quotes."),
    ("expected alphabetic or numeric character", "'*' and '&' have a special meaning at the start of a value: put the value in quotes."),
    ("found character that cannot start any token", "A value starts with a character YAML reserves (such as @ or `): put the value in quotes."),
)


def syntax_error(error: yaml.YAMLError, path: Path, first_line: int, text: str = "") -> StaffError:
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None) or ""
    # Where the mistake is: an unclosed quote or a key without its colon is found a line later, so the
    # context mark (where that scalar or key began) is the line to fix.
    mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    if context_mark is not None and ("could not find expected ':'" in problem or "quoted scalar" in context):
        mark = context_mark
    line = mark.line + first_line if mark is not None else first_line
    fix = next((fix for known, fix in SYNTAX_FIXES if known in problem), "Check the indentation and the colons on this line and the one above.")
    lines = text.split("\n")
    if mark is not None and mark.line < len(lines) and "\t" in INDENT.match(lines[mark.line]).group():
        # libyaml names a tab in an indentation in several ways ("cannot start any token" among them)
        return StaffError(path, line, None, "this is not valid YAML: the line is indented with a tab", TAB_FIX)
    opened = unclosed_quote(text, mark.line if mark is not None else 0)
    if opened is not None:
        return StaffError(path, opened + first_line, None, "this is not valid YAML: a quote is opened on this line and not closed",
                          "Add the closing quote at the end of the value.")
    return StaffError(path, line, None, f"this is not valid YAML ({problem})", fix)


QUOTED_VALUE_START = re.compile(r"""^\s*(?:-\s+)?(?:[\w.-]+:\s+)?(["'])""")


def unclosed_quote(text: str, before: int) -> int | None:
    """The first line (0-based) up to `before` whose value opens a quote it does not close."""
    for number, line in enumerate(text.split("\n")[: before + 1]):
        match = QUOTED_VALUE_START.match(line)
        if match:
            rest = line[match.end():].replace('\\"', "") if match.group(1) == '"' else line[match.end():].replace("''", "")
            if match.group(1) not in rest:
                return number
    return None

"""The checks over a clinic's pages: links, pictures, title headings, typed facts, comparisons, unique titles.

Each reads the page's text as read once (PageRecord.source) and stops the build at the first mistake.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .. import crisis, html_safety, images
from ..errors import StaffError, did_you_mean, shown_path
from ..html_walk import walk
from ..links import CODE_SPAN, source_link_problems
from ..schema import Clinic, field_at, literal_choices
from ..yamlfile import describe_key, texts

if TYPE_CHECKING:
    from ..data.load import ClinicData
    from .record import PageRecord

MARKDOWN_LINK = re.compile(r"\]\(\s*<?([^)\s>#]+\.md)(?:#[^)\s>]*)?>?(?:\s+\"[^\"]*\")?\s*\)")

H1 = re.compile(r"^#[ \t]+\S")
BOLD_LINE = re.compile(r"^(\*\*|__)(?P<words>[^*_]+?)\1:?[ \t]*$")  # **Pain** or __Pain:__ alone on a line


def prose_lines(source: str, first: int = 1) -> Iterator[tuple[int, str]]:
    """(line number, line) from line `first` on, outside fenced code blocks (``` or ~~~), whose text is shown as typed."""
    fenced = False
    for number, line in enumerate(source.splitlines()[first - 1:], start=first):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced:
            yield number, line


def check_active_content_and_pictures(records: dict[str, PageRecord]) -> None:
    """On each page's own lines, where the line is known: nothing active (html_safety) and alt text on every picture
    (images); the HTML after rendering is checked again for what macros add, without a line."""
    for record in records.values():
        lines = list(prose_lines(record.source, record.body_line))
        html_safety.check_page_source(lines, record.path)
        images.check_alt_text(lines, record.path)


def check_title_heading(source: str, body_line: int, path: Path, *, theme_title: bool) -> None:
    """One title heading (`# Contact us`) per page: the theme's skip link, the crisis box and screen readers start there.
    The landing page's title comes from the theme (its hero), so it has none of its own."""
    titles = [number for number, line in prose_lines(source, body_line) if H1.match(line)]
    if theme_title and titles:
        raise StaffError(path, titles[0], None, "the landing page has a title heading (# ...), but its title comes from hero_title",
                         "Make it a section heading: ## ...")
    if not theme_title and not titles:
        raise StaffError(path, body_line, None, "the page has no title heading",
                         "Start its text with one line like: # Contact us (one #, then a space, then the title)")
    if len(titles) > 1:
        raise StaffError(path, titles[1], None, f"the page has a second title heading (the first is on line {titles[0]})",
                         "Make it a section heading: ## ...")


def check_bold_headings(source: str, body_line: int, path: Path) -> None:
    """A line of bold words alone in its paragraph looks like a heading but is not one: screen readers, the page
    contents and search skip it. Bold inside a sentence, or leading a paragraph's text, is fine."""
    lines = dict(prose_lines(source, body_line))
    for number, line in lines.items():
        found = BOLD_LINE.match(line)
        if found and not lines.get(number - 1, "").strip():
            words = found["words"].strip().rstrip(":")
            raise StaffError(path, number, None, f"'{line.strip()}' is bold text on a line of its own, so it looks like a "
                             "heading but screen readers and the page contents do not see one",
                             f"Make it a heading, one level below the section it is in, for example: ### {words}")


def check_links(records: dict[str, PageRecord], data: ClinicData) -> None:
    """Every Markdown link to a page (`[text](faq.md)`) goes to a page of this site: the line of the first that does not.

    A link to a page the clinic left out names the line of pages.yml that leaves it out: that link would be broken.
    """
    # The folders the pages come from (the shared docs/, the clinic's own): a picture may be in either.
    roots = {record.path.parents[len(PurePosixPath(uri).parts) - 1] for uri, record in records.items()}
    for uri, record in records.items():
        for number, line in prose_lines(record.source):
            for written, problem, fix in source_link_problems(line):
                raise StaffError(record.path, number, written, problem, fix)
            for target in IMAGE.findall(CODE_SPAN.sub("", line)):
                if "://" not in target and not target.startswith(("data:", "/")):
                    check_picture(posixpath.normpath(posixpath.join(posixpath.dirname(uri), target)), roots, record.path, number, target)
            for target in MARKDOWN_LINK.findall(line):
                if "://" in target or target.startswith("/"):
                    continue
                linked = posixpath.normpath(posixpath.join(posixpath.dirname(uri), target))
                if linked in records:
                    continue
                if linked in data.pages.leave_out:
                    document, index = data.documents["pages.yml"], data.pages.leave_out.index(linked)
                    raise StaffError(document.path, document.line(("leave_out", index)), f"leave_out[{index + 1}]",
                                     f"{linked} cannot be left out: {shown_path(record.path)} links to it on line {number}",
                                     f"Put your own copy of {uri} without that link in your docs/ folder, or keep {linked}.")
                raise missing_page(record.path, number, target, linked, records)
    for document in data.documents.values():  # links in data texts: the FAQ's answers, a parking note, a condition
        for keys, text in texts(document.value):
            for target in MARKDOWN_LINK.findall(text):
                linked = posixpath.normpath(target)
                if linked not in records:
                    raise missing_page(document.path, document.line(keys), describe_key(keys, document.value), linked, records)


COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def without_comments(markdown: str, record: PageRecord) -> str:
    """The page's text without its HTML comments (<!-- a note for staff -->): a note is not for visitors, and
    a comment would still be in the published page's source. Each comment's lines stay as blank lines."""
    kept = COMMENT.sub(lambda match: "\n" * match.group().count("\n"), markdown)
    if "<!--" in kept:
        line = next((number for number, text in enumerate(record.source.splitlines(), start=1)
                     if "<!--" in text and "-->" not in text[text.index("<!--"):]), None)
        raise StaffError(record.path, line, None, "a note (<!--) is never closed, so the rest of the page would be hidden",
                         "End the note with -->")
    return kept


def check_typed_facts(records: dict[str, PageRecord], data: ClinicData) -> None:
    """The clinic's phone number and email come from clinic.yml through macros: typed into a page, they would
    go stale when staff change clinic.yml (and a shared page would show one clinic's number on every site)."""
    clinic = data.clinic
    digits = clinic.phone_e164[-10:]
    typed = [(re.compile(rf"\(?{digits[:3]}\)?[ .-]?{digits[3:6]}[ .-]?{digits[6:]}\b"), clinic.phone, "{{ phone_link() }}"),
             (re.compile(re.escape(clinic.email), re.IGNORECASE), clinic.email, "{{ email_link() }}")]
    for record in records.values():
        for number, line in enumerate(record.source.splitlines(), start=1):
            for pattern, fact, macro in typed:
                if pattern.search(line):
                    raise StaffError(record.path, number, None, f"the clinic's {fact} is typed into the page",
                                     f"Write {macro} instead, so the page changes when clinic.yml does.")


# A page's {% if payment.insurance == "superbill" %} or {% if "hsa" in payment.methods %}: the value compared must be one
# the setting can have, or the test is never true and the page quietly says the other thing.
COMPARED = re.compile(r"""\b((?:clinic|policies|payment)(?:\.\w+)+)\s*[!=]=\s*["']([^"']*)["']""")
CONTAINED = re.compile(r"""["']([^"']*)["']\s+(?:not\s+)?in\s+((?:clinic|policies|payment)(?:\.\w+)+)""")


def impossible_comparisons(text: str) -> list[tuple[int, str, str, list[str]]]:
    """(line in text, setting, value, the setting's values) for each comparison with a value the setting cannot have."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        pairs = [(m.group(1), m.group(2)) for m in COMPARED.finditer(line)] + [(m.group(2), m.group(1)) for m in CONTAINED.finditer(line)]
        for setting, value in pairs:
            root, *rest = setting.split(".")
            info = field_at(Clinic, tuple(rest) if root == "clinic" else (root, *rest))
            allowed = literal_choices(info.annotation) if info is not None else []
            if allowed and value not in allowed:
                found.append((number, setting, value, allowed))
    return found


def check_comparisons(records: dict[str, PageRecord], data: ClinicData) -> None:
    """In the pages and in the FAQ's answers (the only data text that is a template)."""
    faq = data.documents["faq.yml"]
    places = [(record.path, 0, record.source) for record in records.values()]
    places += [(faq.path, faq.line((index, "answer")), entry.answer) for index, entry in enumerate(data.faq)]
    for path, offset, text in places:
        for number, setting, value, allowed in impossible_comparisons(text):
            raise StaffError(path, offset + number, setting, f"'{value}' is not a value {setting} can have, so the test is never true",
                             did_you_mean(value, allowed) + f"Its values are: {', '.join(allowed)}.")


def check_unique_titles(records: dict[str, PageRecord]) -> None:
    """No two pages share a title or a description: the menu, the browser's tabs and search results tell pages apart by them."""
    for key in ("title", "description"):
        seen: dict[str, PageRecord] = {}
        for record in sorted(records.values(), key=lambda record: record.src_uri):
            value = " ".join(getattr(record.meta, key).lower().split())
            if value in seen:
                line = next((number for number, text in enumerate(record.source.splitlines(), start=1) if text.startswith(f"{key}:")), 1)
                raise StaffError(record.path, line, key, f"{shown_path(seen[value].path)} has the same {key}",
                                 f"Give each page its own {key}: the menu, browser tabs and search results tell pages apart by it.")
            seen[value] = record


IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")


def check_picture(wanted: str, roots: set[Path], page: Path, line: int, written: str) -> None:
    """A picture's file is in the pages' folders, with the same capitals (a web host tells door.JPG from door.jpg)."""
    if any((root / wanted).is_file() for root in roots):
        return
    folders = [root / posixpath.dirname(wanted) for root in roots]
    present = sorted({file.name for folder in folders if folder.is_dir() for file in folder.iterdir() if file.is_file()})
    raise StaffError(page, line, written, "the picture's file is not in the pages' folders",
                     did_you_mean(posixpath.basename(wanted), present, quoted=False, cutoff=0.5) + "Save the picture beside the page, and write its name "
                     "exactly, capitals included.")


def missing_page(path: Path, line: int, key: str, linked: str, records: dict[str, PageRecord]) -> StaffError:
    return StaffError(path, line, key, f"the link to {linked} goes to a page that is not on this site",
                      did_you_mean(linked, records, quoted=False) + "Check the file name; a page left out "
                      "in pages.yml cannot be linked to.")


def condition_terms(data: ClinicData) -> re.Pattern:
    """The names of the conditions the clinic treats (and what they are also called), as whole words in any case."""
    terms = [condition.name for condition in data.conditions] + [c.also_called for c in data.conditions if c.also_called]
    return re.compile(r"\b(?:" + "|".join(re.escape(term) for term in terms) + r")\b", re.IGNORECASE)


def check_off_label_note(markdown: str, record: PageRecord, conditions: re.Pattern) -> None:
    """A page that names a condition the clinic treats, shared or the clinic's own, shows the FDA off-label note.

    `markdown` is the page after its macros (a condition named by {{ condition("ptsd") }} or a list counts);
    link targets and HTML attributes are not words a reader sees."""
    if record.shows_off_label_note:
        return
    named = conditions.search(re.sub(r"<[^>]*>", " ", re.sub(r"\]\([^)]*\)", "]", markdown)))
    if named is None:
        return
    line = next((number for number, text in prose_lines(record.source, record.body_line) if conditions.search(text)), record.body_line)
    raise StaffError(record.path, line, "off_label_note()",
                     f"the page names {named.group()}, a condition the clinic treats, but has no off-label note",
                     "Add {{ off_label_note() }} on a line of its own after the paragraph that names it: "
                     "the FDA has not approved ketamine for it, and every page that names one says so.")


def with_photo(markdown: str, record) -> str:
    """An own page's front matter photo (OwnPageMeta.photo), as a picture after the page's first heading."""
    picture = getattr(record.meta, "photo_markdown", lambda: None)()
    if picture is None:
        return markdown
    lines = markdown.split("\n")
    at = next((index + 1 for index, line in enumerate(lines) if line.startswith("# ")), 0)
    return "\n".join([*lines[:at], "", picture, "", *lines[at:]])


def check_rendered_html(html: str, path: Path, source: str, crisis_lines: list) -> None:
    """The checks of a page's HTML before the theme wraps it, in one parse (html_walk): its unsafe parts
    (html_safety, the backstop to check_page_source), then the crisis numbers printed without their links (crisis)."""
    found, blocks = html_safety.Finder(), crisis.Blocks()
    walk(html, found, blocks)
    html_safety.check_found(found.found, path)
    crisis.check_unlinked(crisis.unlinked_in(blocks, crisis_lines), crisis_lines, path, source)

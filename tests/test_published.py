"""published.py: only the listed kinds of file are published from the pages' folders, and none carries anything active.

Each class of active content (script, event handler, embedded document, outside link, entity trick) is tried
in an SVG, each way a PDF can run something is tried, and a file of every other kind is refused. The
staff-mistake table (tests/test_staff_mistakes.py) proves the wiring with a full build for a few of them.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from clinic_site import published
from clinic_site.errors import StaffError

PLAIN_SVG = ('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
             'xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">\n{}\n</svg>\n')


def svg(inside: str) -> bytes:
    return PLAIN_SVG.format(inside).encode()


@pytest.mark.parametrize("inside", [
    '<circle cx="5" cy="5" r="4" fill="#246"/>',
    '<defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs><rect fill="url(#g)" width="10" height="10"/>',
    '<use href="#g"/><use xlink:href="#g"/>',
    '<style>circle { fill: #246; }</style><title>A leaf</title>',
    '<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>',
    '<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>',
])
def test_a_plain_drawing_is_published(inside: str):
    assert published.svg_problem(svg(inside)) is None


@pytest.mark.parametrize("inside, words", [
    ("<script>alert(1)</script>", "<script>"),
    ('<circle r="4" onload="alert(1)"/>', "event handler (onload=)"),
    ('<circle r="4" ONCLICK="alert(1)"/>', "event handler (onclick=)"),
    ('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>', "<foreignObject>"),
    ('<a href="https://other.example/">x</a>', "<a>"),
    ('<image href="https://tracker.example/pixel.png"/>', "links to something outside the drawing (https://tracker.example"),
    ('<use xlink:href="other.svg#x"/>', "outside the drawing (other.svg#x)"),
    ('<image href="javascript:alert(1)"/>', "outside the drawing (javascript:alert(1))"),
    ('<set attributeName="href" to="javascript:alert(1)"/>', "animation that changes href"),
    ('<animate attributeName="onclick" to="alert(1)"/>', "animation that changes onclick"),
    ("<style>@import url(https://fonts.example/x.css);</style>", "<style> loads something"),
    ('<rect style="fill: url(https://other.example/x.svg)"/>', "a style in it loads"),
    ('<iframe src="https://other.example/"/>', "<iframe>"),
])
def test_active_or_outside_content_in_a_drawing_is_refused(inside: str, words: str):
    found = published.svg_problem(svg(inside))
    assert found is not None and words in found[1], found
    assert found[0] == 3  # the line of the element, in a file whose content starts on line 3


def test_entity_tricks_and_other_files_named_svg_are_refused():
    laughs = b'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;">]>\n<svg>&b;</svg>\n'
    assert "declares entities" in published.svg_problem(laughs)[1]
    assert "not a readable SVG" in published.svg_problem(b"<svg><circle></svg>")[1]
    assert "not an SVG drawing (it starts with <html>)" in published.svg_problem(b"<html><body/></html>")[1]


def pdf(body: bytes, compress: bool = False) -> bytes:
    stream = zlib.compress(body) if compress else body
    return (b"%%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\n"
            b"endobj\ntrailer\n<< /Root 1 0 R >>\n%%%%EOF\n" % (len(stream), stream))


@pytest.mark.parametrize("body, words", [
    (b"<< /S /JavaScript /JS (app.alert(1)) >>", "JavaScript (/JavaScript)"),
    (b"<< /OpenAction 3 0 R >>", "an action when it opens"),
    (b"<< /AA << /O 4 0 R >> >>", "actions that run on their own"),
    (b"<< /S /Launch /F (calc.exe) >>", "a program it starts"),
    (b"<< /Names << /EmbeddedFiles 5 0 R >> >>", "files inside it"),
    (b"<< /S /J#61vaScript >>", "JavaScript"),  # a name written with a #xx escape is the same name
])
def test_a_pdf_that_runs_something_is_refused_even_compressed(body: bytes, words: str):
    for compress in (False, True):
        found = published.pdf_problem(pdf(body, compress))
        assert found is not None and words in found, (compress, found)


def test_a_plain_pdf_is_published_and_another_file_named_pdf_is_not():
    assert published.pdf_problem(pdf(b"BT /F1 12 Tf (Our prices) Tj ET", compress=True)) is None
    assert "not a PDF file" in published.pdf_problem(b"<html>")


def check(tmp_path: Path, name: str, content: bytes, developer: set[str] = frozenset()) -> StaffError | None:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    try:
        published.check_file(name, path, tmp_path, set(developer))
    except StaffError as error:
        return error
    return None


@pytest.mark.parametrize("name, words", [
    ("about.html", "an HTML file is published as it is"),
    ("old/page.htm", "an HTML file"),
    ("tracker.js", "a script (.js) in the pages' folders"),
    ("theme.css", "a style sheet (.css)"),
    ("setup.exe", "a .exe file is not one of the kinds"),
    ("dancing.gif", "a .gif file is not one of the kinds"),
    ("Makefile", "a file without an extension"),
])
def test_only_the_listed_kinds_are_published(tmp_path: Path, name: str, words: str):
    error = check(tmp_path, name, b"x")
    assert error is not None and words in error.problem, error
    assert error.file.endswith(name) and error.fix


def test_the_sites_own_styles_and_scripts_are_published(tmp_path: Path):
    assert check(tmp_path, "assets/site.js", b"let x = 1;", {"assets/site.js"}) is None
    assert check(tmp_path, "assets/clinic.css", b"p{}", {"assets/clinic.css"}) is None


def test_each_kind_has_a_size_limit(tmp_path: Path):
    error = check(tmp_path, "plan.svg", b" " * (published.KINDS[".svg"].limit + 1))
    assert error is not None and "larger than the site publishes (at most 0.5 MB for .svg files)" in error.problem
    assert all(kind.limit > 0 for kind in (*published.KINDS.values(), *published.DEVELOPER_KINDS.values()))


def test_a_symlink_is_never_read_or_published(tmp_path: Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("# Secret\n")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "notes.md").symlink_to(outside / "secret.md")
    with pytest.raises(StaffError) as caught:
        published.check_file("notes.md", docs / "notes.md", docs, set())
    assert "a symlink" in caught.value.problem
    with pytest.raises(StaffError) as caught:
        published.check_no_links([docs])
    assert caught.value.file.endswith("docs/notes.md")
    (docs / "notes.md").unlink()
    (docs / "more").symlink_to(outside, target_is_directory=True)
    with pytest.raises(StaffError) as caught:
        published.check_no_links([docs])
    assert caught.value.file.endswith("docs/more")
    (docs / "more").unlink()
    published.check_no_links([docs, tmp_path / "missing"])


def test_the_repositorys_own_files_are_all_publishable():
    from tools.project import ROOT

    for folder in (ROOT / "docs", *sorted((ROOT / "clinics").glob("*/docs"))):
        for path in sorted(folder.rglob("*")):
            # MkDocs leaves out names starting with a dot (a new clinic's docs/.gitkeep), so they are never published.
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(folder).parts):
                published.check_file(path.relative_to(folder).as_posix(), path, folder, {"assets/site.js", "assets/clinic.css"})

"""Which files of the pages' folders (docs/, a clinic's docs/) the site publishes, and what each may hold.

Anything in those folders is copied into the site as it is, and runs on the clinic's domain if it can:
an SVG with a script, an HTML file, a PDF with JavaScript. So the site publishes only the kinds listed in
KINDS, each under its size limit, and checks the ones that can carry something active:

- an SVG drawing: no script, no event handler (on...=), no <foreignObject> or other embedded document,
  no link or loaded file outside the drawing itself (only `#name` references), no entity declarations;
- a PDF document: no JavaScript, no action that runs on opening, no launched program, no embedded file;
- a style sheet or script (.css, .js): only the site's own, the ones the config names (extra_css,
  extra_javascript); staff pages hold none.

A file that is a link to another file (a symlink), or lies outside the folder it is found in, is refused
too: the site publishes what is in the repository, never a file from elsewhere on the computer.
handbook/files.md lists the same for staff; tests/test_published.py tries each rule.
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from .errors import StaffError


@dataclass(frozen=True)
class Kind:
    what: str  # as staff would say it
    limit: int  # bytes


MB = 1_000_000
KINDS: dict[str, Kind] = {
    ".md": Kind("a page", MB // 2),
    ".jpg": Kind("a photo", 30 * MB), ".jpeg": Kind("a photo", 30 * MB), ".png": Kind("a picture", 30 * MB),
    ".webp": Kind("a picture", 30 * MB),
    ".svg": Kind("a drawing", MB // 2),
    ".pdf": Kind("a document", 10 * MB),
}
DEVELOPER_KINDS: dict[str, Kind] = {".css": Kind("a style sheet", MB // 2), ".js": Kind("a script", MB // 2)}
ALLOWED_LIST = "pages (.md), photos and pictures (.jpg, .jpeg, .png, .webp), drawings (.svg) and documents (.pdf)"
FIX_OTHER = f"The pages' folders hold {ALLOWED_LIST}: save it as one of these, or move it out of the folder."

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# Elements that run, embed or submit something; an SVG drawing needs none of them.
ACTIVE_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener", "audio", "video",
                   "canvas", "form", "input", "button", "textarea", "a", "feimage", "discard"}
ANIMATIONS = {"set", "animate", "animatetransform", "animatemotion"}
LINK_ATTRIBUTES = {"href", XLINK_HREF, "src"}
INSIDE = re.compile(r"\s*(?:#|data:image/(?:png|jpeg|gif|webp)[;,])", re.IGNORECASE)  # a part of it, or a picture inside it
STYLE_LOADS = re.compile(r"@import|url\(\s*['\"]?(?!#)|expression\(|javascript:", re.IGNORECASE)
SVG_FIX = ("Open it in a drawing program and export it again as a plain SVG (in Inkscape: Save As, Optimized SVG), "
           "or save it as a PNG.")

# PDF names that run something: scripts, actions on opening or on events, launched programs, attachments, forms.
PDF_ACTIVE = {b"JavaScript": "JavaScript", b"JS": "JavaScript", b"Launch": "a program it starts",
              b"AA": "actions that run on their own", b"OpenAction": "an action when it opens",
              b"EmbeddedFile": "a file inside it", b"EmbeddedFiles": "files inside it",
              b"RichMedia": "embedded media", b"XFA": "an XFA form", b"SubmitForm": "a form that sends data",
              b"ImportData": "a form that loads data"}
PDF_NAME = re.compile(rb"/([A-Za-z0-9#]+)")
PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\n?endstream", re.DOTALL)
PDF_FIX = "Save it again without scripts or attachments: in most PDF programs, Print, then Save as PDF."


def check_no_links(folders: Iterable[Path]) -> None:
    """No file or folder below these (pages, data) is a symlink: the build reads and publishes only the repository's own."""
    for folder in folders:
        if folder.is_symlink():
            raise symlink_error(folder)
        for root, dirs, names in os.walk(folder):
            for name in (*dirs, *names):
                if not name.startswith(".") and (path := Path(root) / name).is_symlink():
                    raise symlink_error(path)


def symlink_error(path: Path) -> StaffError:
    return StaffError(path, None, None, "this is a link to a file or folder elsewhere on the computer (a symlink), "
                                        "which the site does not read or publish",
                      "Copy the file itself into the folder instead of linking to it.")


def check_files(files: Iterable[tuple[str, Path, Path]], developer_files: set[str]) -> None:
    """Each (path below its folder, the file, the folder): stop at the first that may not be published.

    `developer_files` are the .css and .js files the config names (extra_css, extra_javascript).
    """
    for uri, path, folder in files:
        check_file(uri, path, folder, developer_files)


def check_file(uri: str, path: Path, folder: Path, developer_files: set[str]) -> None:
    if path.is_symlink() or not path.resolve().is_relative_to(folder.resolve()):
        raise symlink_error(path)
    suffix = path.suffix.lower()
    kind = KINDS.get(suffix) or (DEVELOPER_KINDS.get(suffix) if uri in developer_files else None)
    if kind is None:
        if suffix in (".html", ".htm", ".xhtml", ".shtml"):
            raise StaffError(path, None, None, "an HTML file is published as it is, with whatever scripts it holds",
                             "Write the page in Markdown (.md) instead, or remove the file.")
        if suffix in DEVELOPER_KINDS:
            what = DEVELOPER_KINDS[suffix].what
            raise StaffError(path, None, None, f"{what} ({suffix}) in the pages' folders is published and can run on the site",
                             "Remove it. A developer adds the site's own styles and scripts in mkdocs.yml "
                             "(extra_css, extra_javascript).")
        shown = f"a {suffix} file" if suffix else "a file without an extension"
        raise StaffError(path, None, None, f"{shown} is not one of the kinds of file the site publishes", FIX_OTHER)
    size = path.stat().st_size
    if size > kind.limit:
        raise StaffError(path, None, None, f"{kind.what} of {size / MB:.1f} MB is larger than the site publishes "
                                           f"(at most {kind.limit / MB:g} MB for {suffix} files)",
                         "Make it smaller (a photo: export it at about 2000 pixels wide), or split it.")
    if suffix == ".svg":
        check_svg(path.read_bytes(), path)
    elif suffix == ".pdf":
        check_pdf(path.read_bytes(), path)


def svg_problem(data: bytes) -> tuple[int | None, str] | None:
    """(line, what) for the first active or outside part of an SVG, or None for a plain drawing."""
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        return None, "it declares entities (<!ENTITY ...>), which can hide or multiply its content"
    except ParseError as error:
        return error.position[0], f"it is not a readable SVG file ({error})"
    if root.tag not in (f"{SVG}svg", "svg"):
        return None, f"it is not an SVG drawing (it starts with <{local_name(root)}>)"
    lines = svg_lines(data)
    for index, element in enumerate(root.iter()):
        line = lines[index] if index < len(lines) else None
        name = local_name(element).lower()
        if name in ACTIVE_ELEMENTS:
            return line, f"it holds <{local_name(element)}>, which can run a script or show another page"
        changed = (element.get("attributeName") or "").lower()
        if name in ANIMATIONS and (changed in ("href", "xlink:href", "src") or changed.startswith("on")):
            return line, f"it holds an animation that changes {changed}"
        if name == "style" and STYLE_LOADS.search(element.text or ""):
            return line, "its <style> loads something from outside the drawing (@import or url())"
        for attribute, value in element.attrib.items():
            attribute_name = local_name_of(attribute).lower()
            if attribute_name.startswith("on"):
                return line, f"it has an event handler ({attribute_name}=), which runs a script"
            if attribute in LINK_ATTRIBUTES and not INSIDE.match(value):
                return line, f"it links to something outside the drawing ({value.strip()[:60]})"
            if attribute_name == "style" and STYLE_LOADS.search(value):
                return line, "a style in it loads something from outside the drawing (url())"
    return None


def check_svg(data: bytes, path: Path) -> None:
    found = svg_problem(data)
    if found is not None:
        line, what = found
        raise StaffError(path, line, None, f"this drawing cannot be published: {what}", SVG_FIX)


def svg_lines(data: bytes) -> list[int]:
    """The line of each element's start tag, in document order (ElementTree keeps no positions)."""
    from xml.parsers.expat import ParserCreate

    lines: list[int] = []
    parser = ParserCreate()
    parser.StartElementHandler = lambda name, attributes: lines.append(parser.CurrentLineNumber)
    try:
        parser.Parse(data, True)
    except Exception:  # noqa: BLE001 (fromstring has already read it; positions are only a help)
        return lines
    return lines


def local_name(element: Element) -> str:
    return local_name_of(str(element.tag))


def local_name_of(name: str) -> str:
    return name.rpartition("}")[2].rpartition(":")[2]


def pdf_problem(data: bytes) -> str | None:
    """What runs in a PDF (a script, an action, an attachment), looking into its compressed parts too; None if nothing."""
    if not data.startswith(b"%PDF-"):
        return "it is not a PDF file (it does not start with %PDF-)"
    parts = [data]
    for stream in PDF_STREAM.finditer(data):
        try:
            parts.append(zlib.decompressobj().decompress(stream.group(1), 20 * MB))
        except zlib.error:
            continue
    for part in parts:
        for match in PDF_NAME.finditer(part):
            name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda hexa: bytes([int(hexa.group(1), 16)]), match.group(1))
            if name in PDF_ACTIVE:
                return f"it holds {PDF_ACTIVE[name]} (/{name.decode('latin-1')})"
    return None


def check_pdf(data: bytes, path: Path) -> None:
    found = pdf_problem(data)
    if found is not None:
        raise StaffError(path, None, None, f"this document cannot be published: {found}", PDF_FIX)

"""Photos staff add to pages: resized, compressed, given modern formats, and never published as they came.

A phone photo of 4 MB becomes, at the same path, a JPEG (or PNG, for a picture with transparency) no
wider than MAX_WIDTH, plus WebP copies at each of WIDTHS, so a phone downloads the small one. Each
file must come in under BUDGET bytes; the quality is lowered step by step until it does, and a picture
that still does not fit (or cannot be read) stops the build, naming the file.

In a page, `![What the photo shows](photo.jpg)` becomes a <picture> with the WebP sizes, and an <img>
with width and height (so nothing shifts while it loads), lazy loading and the alt text. A picture with
no meaning for the reader is marked `![](photo.jpg){ .decorative }`; any other image needs alt text.
"""

from __future__ import annotations

import hashlib
import io
import json
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from .errors import StaffError

EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp")
WIDTHS = (480, 960, 1600)
MAX_WIDTH = WIDTHS[-1]
BUDGET = 300_000  # bytes, for each file written
QUALITIES = (82, 72, 62, 52, 42)
MAX_PIXELS = 60_000_000  # a larger picture is not a photo from a phone or camera: refuse it before decoding
SIZES = "(min-width: 76.25em) 46rem, 100vw"  # the content column's width in Material's layout
IMG = re.compile(r"<img\b[^>]*>")
ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')
VERSION = "1"  # part of the cache key: change it when the processing changes


@dataclass
class Processed:
    """One image ready to publish: the file at the original path, and the WebP copies by width."""

    data: bytes
    width: int
    height: int
    variants: dict[int, bytes] = field(default_factory=dict)


def cache_key(data: bytes) -> str:
    return hashlib.sha256(data + f"{VERSION}{WIDTHS}{BUDGET}{QUALITIES}".encode()).hexdigest()


def variant_path(path: str, width: int) -> str:
    stem, _ = posixpath.splitext(path)
    return f"{stem}-{width}.webp"


def encode(picture, kind: str, source: Path) -> bytes:
    """The best quality that fits the budget (a PNG has no quality to lower: one try)."""
    options: dict[str, dict[str, Any]] = {"JPEG": {"optimize": True, "progressive": True}, "WEBP": {"method": 4}}
    for quality in QUALITIES if kind != "PNG" else (None,):
        buffer = io.BytesIO()
        if quality is None:
            picture.save(buffer, "PNG", optimize=True)
        else:
            picture.save(buffer, kind, quality=quality, **options[kind])
        if buffer.tell() <= BUDGET:
            return buffer.getvalue()
    raise StaffError(source, None, None, f"the picture cannot be made smaller than {BUDGET // 1000} KB "
                                         f"(at {picture.width}x{picture.height} pixels it is still {buffer.tell() // 1000} KB)",
                     "Crop it, or save it as a JPEG photo instead of a PNG. Drawings and screenshots with much detail "
                     "are best shown smaller.")


def process(data: bytes, source: Path) -> Processed:
    """Resize and compress one image; StaffError if it cannot be read or made small enough."""
    from PIL import Image, ImageOps, UnidentifiedImageError  # only when a page has a photo: a faster start otherwise

    try:
        picture: Image.Image = Image.open(io.BytesIO(data))
        if picture.width * picture.height > MAX_PIXELS:
            raise StaffError(source, None, None, f"the picture is {picture.width}x{picture.height} pixels, too large to be a photo",
                             "Use a photo of 12 megapixels or less.")
        picture.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError, ValueError) as error:
        raise StaffError(source, None, None, f"this image cannot be read ({type(error).__name__})",
                         "Open it in a photo app and save it again as JPEG or PNG, or replace it.") from None
    picture = ImageOps.exif_transpose(picture)  # phone photos are often stored sideways with a note to turn them
    transparent = picture.mode in ("RGBA", "LA", "P") and "A" in picture.convert("RGBA").getbands() and \
        picture.convert("RGBA").getextrema()[3][0] < 255  # type: ignore[misc]  # four bands: a tuple of four
    picture = picture.convert("RGBA" if transparent else "RGB")
    if picture.width > MAX_WIDTH:
        picture = picture.resize((MAX_WIDTH, round(picture.height * MAX_WIDTH / picture.width)), Image.Resampling.LANCZOS)
    kind = "PNG" if transparent or source.suffix.lower() == ".png" else ("WEBP" if source.suffix.lower() == ".webp" else "JPEG")
    processed = Processed(encode(picture, kind, source), picture.width, picture.height)
    for width in WIDTHS:
        if width < picture.width:
            smaller = picture.resize((width, round(picture.height * width / picture.width)), Image.Resampling.LANCZOS)
            processed.variants[width] = encode(smaller, "WEBP", source)
        else:
            processed.variants[picture.width] = encode(picture, "WEBP", source)
            break
    return processed


def cached_process(data: bytes, source: Path, cache: Path | None) -> Processed:
    """process(), remembered in `cache` (a folder) by the image's content, so a rebuild does not redo it."""
    if cache is None:
        return process(data, source)
    folder = cache / cache_key(data)
    sizes = folder / "sizes.json"
    if sizes.is_file():
        width, height, *widths = json.loads(sizes.read_text())
        return Processed((folder / "image").read_bytes(), width, height,
                         {size: (folder / f"{size}.webp").read_bytes() for size in widths})
    processed = process(data, source)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "image").write_bytes(processed.data)
    for size, variant in processed.variants.items():
        (folder / f"{size}.webp").write_bytes(variant)
    sizes.write_text(json.dumps([processed.width, processed.height, *processed.variants]))
    return processed


# Alt text a screen reader user learns nothing from.
NO_MEANING = ("image", "picture", "photo", "photograph", "img", "pic")
MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)[^)]*\)(\{[^}]*\})?")  # ![alt](src "title"){ .class }
INLINE_CODE = re.compile(r"(`+).+?\1")
MARKDOWN_FIXES = ("Write what the picture shows, as you would tell someone on the phone: ![Our front door, with a ramp](photo.jpg).",
                  "Write what the picture shows between the brackets: ![Our front door, with a ramp](photo.jpg). "
                  "If it only decorates, write ![](photo.jpg){ .decorative } instead.")
TAG_FIXES = ('Write what the picture shows in its alt: <img src="photo.jpg" alt="Our front door, with a ramp">.',
             'Write what the picture shows in its alt: <img src="photo.jpg" alt="Our front door, with a ramp">. '
             'If it only decorates, write alt="" and class="decorative".')


def alt_problem(src: str, alt: str | None, decorative: bool) -> tuple[str, int] | None:
    """(the problem, which fix: 0 for alt text that says nothing, 1 for none) for a picture's alt text; None if it is fine."""
    if decorative:
        return None
    name = posixpath.basename(src)
    if (alt or "").strip().lower() in (name.lower(), posixpath.splitext(name)[0].lower(), *NO_MEANING) and (alt or "").strip():
        return f"the image {src} has alt text that says nothing about it ('{alt}')", 0
    if not (alt or "").strip():
        return f"the image {src} has no alt text", 1
    return None


def check_alt_text(lines: Iterable[tuple[int, str]], page_file: Path) -> None:
    """Every picture in the page's own lines (numbered, outside fenced code) has alt text that says what it shows.

    Checked on the Markdown, where the line and the picture's name as written are known; picture_html checks
    the HTML again for pictures a macro wrote, which have no line of their own.
    """
    for number, line in lines:
        text = INLINE_CODE.sub("", line)
        for alt, src, attributes in MARKDOWN_IMAGE.findall(text):
            if found := alt_problem(src, alt, "decorative" in (attributes or "")):
                raise StaffError(page_file, number, None, found[0], MARKDOWN_FIXES[found[1]])
        for tag in IMG.findall(text):
            attributes = dict(ATTRIBUTE.findall(tag))
            if found := alt_problem(attributes.get("src", ""), attributes.get("alt"), "decorative" in attributes.get("class", "").split()):
                raise StaffError(page_file, number, None, found[0], TAG_FIXES[found[1]])


def picture_html(img_tag: str, page_url: str, page_file: Path, images: dict[str, Processed]) -> str:
    """An <img> of a processed image as a <picture>, after its alt text is checked; other <img> tags as they are.

    `page_url` is the page's address below the site ('contact/'): MkDocs has made `src` relative to it. The page's
    own pictures were checked on its Markdown (check_alt_text); one a macro wrote is checked here, with no line.
    """
    attributes = dict(ATTRIBUTE.findall(img_tag))
    src = attributes.get("src", "")
    target = posixpath.normpath(posixpath.join(page_url.rpartition("/")[0], src)) if "://" not in src else src
    decorative = "decorative" in attributes.get("class", "").split()
    alt = attributes.get("alt")
    if found := alt_problem(src, alt, decorative):
        raise StaffError(page_file, None, None, found[0], MARKDOWN_FIXES[found[1]])
    image = images.get(target)
    if image is None:
        return img_tag
    base = posixpath.dirname(src)
    srcset = ", ".join(f"{posixpath.join(base, posixpath.basename(variant_path(target, width)))} {width}w"
                       for width in sorted(image.variants))
    kept = {key: value for key, value in attributes.items() if key not in ("src", "alt", "width", "height", "loading", "decoding")}
    extra = "".join(f' {key}="{value}"' for key, value in kept.items())
    return (f'<picture><source type="image/webp" srcset="{srcset}" sizes="{SIZES}">'
            f'<img src="{src}" alt="{escape("" if decorative else alt, quote=True)}" width="{image.width}" height="{image.height}" '
            f'loading="lazy" decoding="async"{extra}></picture>')


def rewrite_images(html: str, page_url: str, page_file: Path, images: dict[str, Processed]) -> str:
    return IMG.sub(lambda match: picture_html(match.group(0), page_url, page_file, images), html)

"""Link previews: a picture for each page, shown when someone shares the page's address in a message.

Made at build time from the clinic's name and the page's title (no third-party service, nothing fetched):
1200 x 630 pixels, the size link previews use, in the site's own colors, with the font Pillow ships.
Each picture is kept in .cache/previews/ by a hash of what it shows, so a build redoes only new titles.
"""

from __future__ import annotations

import hashlib
import io
import textwrap
from pathlib import Path

WIDTH, HEIGHT = 1200, 630
BACKGROUND = "#1d4f6e"  # --md-primary-fg-color in docs/assets/clinic.css
TEXT = "#ffffff"
MUTED = "#dde8ef"
MARGIN = 80
VERSION = "1"  # part of the cache key: change it when the drawing changes


def preview_path(src_uri: str) -> str:
    """Where a page's picture is published: docs/costs.md -> assets/previews/costs.png."""
    stem = src_uri.removesuffix(".md").replace("/", "-")
    return f"assets/previews/{stem}.png"


def wrapped(text: str, width: int, lines: int) -> list[str]:
    """The text in at most `lines` lines of about `width` characters, cut at a word with an ellipsis."""
    rows = textwrap.wrap(text, width)
    if len(rows) > lines:
        rows = rows[:lines]
        rows[-1] = rows[-1].rstrip(" ,.;:") + "…"
    return rows


def draw(clinic_name: str, title: str, domain: str) -> bytes:
    """The picture, as PNG bytes: the page's title large, the clinic's name above it, its address below."""
    from PIL import Image, ImageDraw, ImageFont  # Pillow is loaded only when a picture must be drawn

    picture = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    pen = ImageDraw.Draw(picture)
    name_font, title_font, small_font = (ImageFont.load_default(size) for size in (44, 72, 34))
    pen.text((MARGIN, MARGIN), "\n".join(wrapped(clinic_name, 44, 2)), font=name_font, fill=MUTED, spacing=10)
    pen.text((MARGIN, 230), "\n".join(wrapped(title, 28, 3)), font=title_font, fill=TEXT, spacing=14)
    pen.text((MARGIN, HEIGHT - MARGIN - 34), domain, font=small_font, fill=MUTED)
    out = io.BytesIO()  # two colors and their blends: a 16-color palette keeps the text sharp at a third of the size
    picture.convert("P", palette=Image.Palette.ADAPTIVE, colors=16).save(out, "PNG", optimize=True)
    return out.getvalue()


def cached_draw(clinic_name: str, title: str, domain: str, cache: Path) -> bytes:
    key = hashlib.sha256(f"{VERSION}\0{clinic_name}\0{title}\0{domain}".encode()).hexdigest()
    path = cache / f"{key}.png"
    if path.is_file():
        return path.read_bytes()
    data = draw(clinic_name, title, domain)
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data

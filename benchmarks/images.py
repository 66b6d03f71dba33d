"""What the image pipeline does to a phone photo: sizes before and after, and the time it takes.

The sample is a 12-megapixel (4032x3024) photo-like picture saved as a JPEG at quality 94, about 4 MB,
as a phone writes it. Run: `python -m benchmarks.images`. Prints the figures; never fails on them.
"""

from __future__ import annotations

import io
import random
import time
from pathlib import Path

from PIL import Image, ImageDraw

from clinic_site.images import BUDGET, WIDTHS, process


def phone_photo(width: int = 4032, height: int = 3024, seed: int = 7) -> bytes:
    """Smooth light and shapes with sensor-like grain: compresses like a real photo, not like noise or a flat colour."""
    rng = random.Random(seed)
    picture = Image.blend(Image.linear_gradient("L").resize((width, height)).convert("RGB"),
                          Image.effect_noise((width // 8, height // 8), 60).convert("RGB").resize((width, height)), 0.5)
    draw = ImageDraw.Draw(picture)
    for _ in range(200):
        x, y, size = rng.randrange(width), rng.randrange(height), rng.randrange(20, 200)
        draw.ellipse((x, y, x + size, y + size), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    picture = Image.blend(picture, Image.effect_noise((width, height), 25).convert("RGB"), 0.15)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=94)
    return buffer.getvalue()


def main() -> None:
    data = phone_photo()
    started = time.perf_counter()
    result = process(data, Path("front-door.jpg"))
    took = time.perf_counter() - started
    print(f"Sample phone photo: 4032x3024 JPEG, {len(data) / 1e6:.1f} MB")
    print(f"Published: front-door.jpg {result.width}x{result.height}, {len(result.data) / 1000:.0f} KB "
          f"(budget {BUDGET // 1000} KB per file)")
    for width, variant in sorted(result.variants.items()):
        print(f"           front-door-{width}.webp, {len(variant) / 1000:.0f} KB")
    phone = result.variants[min(result.variants)]
    print(f"A phone downloads the {min(result.variants)} px WebP: {len(phone) / 1000:.0f} KB, "
          f"{len(data) / len(phone):.0f} times less than the photo as it came. Processing took {took:.1f} s "
          f"(once: later builds reuse .cache/images/). Widths made: {', '.join(map(str, WIDTHS))}.")


if __name__ == "__main__":
    main()

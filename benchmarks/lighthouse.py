"""Lighthouse on every page, on a phone and on a desktop, served with gzip as a static host would.

Builds the site strictly into a temporary folder, serves it on 127.0.0.1 with gzip and the
headers from `_headers` (as Netlify or Cloudflare Pages would), and runs Lighthouse
(node_modules/.bin/lighthouse with Debian's Chromium) on each page. Prints the four category
scores, LCP, TBT, CLS and the bytes transferred per page.

Targets: 100 in all four categories on mobile, LCP 1.5 s or less, home page 70 KB or less.
Prints the figures; never fails on them. Run: `python -m benchmarks.lighthouse [--quick]`
(`--quick`: the home page and two others, for development; the default is every page).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import mimetypes
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.build import ROOT, timed_build

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME_PATH = "/usr/bin/chromium"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run --disable-quic")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
QUICK_PAGES = ("", "safety/", "faq/")
TEXT_TYPES = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")


def site_headers(site: Path) -> dict[str, str]:
    """The headers `_headers` sets for every path (its `/*` block)."""
    headers: dict[str, str] = {}
    path_block = False
    for line in (site / "_headers").read_text().splitlines() if (site / "_headers").exists() else []:
        if line and not line[0].isspace():
            path_block = line.strip() == "/*"
        elif path_block and ":" in line:
            name, _, value = line.strip().partition(":")
            headers[name.strip()] = value.strip()
    return headers


class StaticHostHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files like a static host: text gzipped when the browser accepts it, `_headers` on pages.

    A host sends the `_headers` headers with every file, but over HTTP/2, whose header compression
    sends a repeated header once per connection. This HTTP/1.1 server would count the 1 KB of
    headers again for each file, so it sends them with pages only, where they take effect.
    """

    extra_headers: dict[str, str] = {}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        status = 200
        if not path.is_file():
            status, path = 404, Path(self.directory) / "404.html"
        body = path.read_bytes()
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.send_response(status)
        self.send_header("Content-Type", content_type + ("; charset=utf-8" if content_type.startswith("text/") else ""))
        if content_type.startswith(TEXT_TYPES):
            self.send_header("Vary", "Accept-Encoding")
            if "gzip" in self.headers.get("Accept-Encoding", ""):
                body = gzip.compress(body, compresslevel=6)
                self.send_header("Content-Encoding", "gzip")
        for name, value in (self.extra_headers if content_type == "text/html" else {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def static_host(site: Path) -> Iterator[str]:
    handler = type("Handler", (StaticHostHandler,), {"extra_headers": site_headers(site)})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def page_paths(site: Path) -> list[str]:
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html"))
    return [page.removesuffix("index.html") for page in pages]


def lighthouse(url: str, form_factor: str, report: Path) -> dict:
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
               f"--chrome-flags={CHROME_FLAGS}", f"--only-categories={','.join(CATEGORIES)}"]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROME_PATH})
    if result.returncode != 0:
        raise SystemExit(f"Lighthouse failed on {url} ({form_factor}):\n{result.stderr[-2000:]}")
    return json.loads(report.read_text())


def summary(report: dict) -> dict[str, float]:
    audits = report["audits"]
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    return {**scores,
            "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
            "tbt": audits["total-blocking-time"]["numericValue"],
            "cls": audits["cumulative-layout-shift"]["numericValue"],
            "kb": audits["total-byte-weight"]["numericValue"] / 1024}


def failed_audits(report: dict) -> list[str]:
    """Scored audits below full marks, to say why a category is under 100."""
    return sorted({f"{category}: {ref['id']}" for category in CATEGORIES
                   for ref in report["categories"][category]["auditRefs"]
                   if ref["weight"] and (report["audits"][ref["id"]].get("score") or 0) < 1
                   and report["audits"][ref["id"]]["scoreDisplayMode"] in ("binary", "numeric", "metricSavings")})


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.lighthouse", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the home page and two others")
    options = parser.parse_args(sys.argv[1:])
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run `make bench`, which runs `npm ci` first")
    with tempfile.TemporaryDirectory(prefix="lighthouse-bench-") as folder:
        site = Path(folder) / "site"
        timed_build(ROOT / "mkdocs.yml", site)
        pages = [p for p in page_paths(site) if not options.quick or p in QUICK_PAGES]
        print(f"Lighthouse {'(quick) ' if options.quick else ''}on {len(pages)} pages, served with gzip:")
        print(f"{'page':<34} {'form':<7} {'perf':>4} {'a11y':>4} {'best':>4} {'seo':>4} "
              f"{'LCP s':>6} {'TBT ms':>6} {'CLS':>6} {'KB':>6}")
        below: dict[str, set[str]] = {}
        with static_host(site) as base:
            for page in pages:
                for form_factor in ("mobile", "desktop"):
                    report = lighthouse(base + page, form_factor, Path(folder) / "report.json")
                    s = summary(report)
                    print(f"{'/' + page:<34} {form_factor:<7} {s['performance']:>4} {s['accessibility']:>4} "
                          f"{s['best-practices']:>4} {s['seo']:>4} {s['lcp']:>6.2f} {s['tbt']:>6.0f} "
                          f"{s['cls']:>6.3f} {s['kb']:>6.1f}", flush=True)
                    for audit in failed_audits(report):
                        below.setdefault(audit, set()).add(f"/{page} ({form_factor})")
        for audit, where in sorted(below.items()):
            print(f"below full marks: {audit} on {', '.join(sorted(where))}")


if __name__ == "__main__":
    main()

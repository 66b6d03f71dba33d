"""A static host for tests, run as its own process: a built site on 127.0.0.1, with its `_headers` applied.

    python tests/static_host.py SITE_DIR      # prints "port N" once it listens, then serves until killed

The rules of `_headers` apply as Cloudflare Pages applies them: the headers of every rule whose path
matches are added in file order, a header given twice is joined with a comma, and a `! Name` line
detaches what earlier rules set for that name. So a test sees the policy a visitor's browser would get.
"""

from __future__ import annotations

import functools
import http.server
import re
import sys
from pathlib import Path


def read_rules(text: str) -> list[tuple[re.Pattern[str], list[tuple[str, str | None]]]]:
    """[(path pattern, [(header, value), or (header, None) to detach])] from a `_headers` file."""
    rules: list[tuple[re.Pattern[str], list[tuple[str, str | None]]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((re.compile("^" + re.escape(line.strip()).replace(r"\*", ".*") + "$"), []))
        elif line.strip().startswith("!"):
            rules[-1][1].append((line.strip()[1:].strip(), None))
        else:
            name, _, value = line.strip().partition(":")
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


def headers_for(rules: list, path: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for pattern, headers in rules:
        if pattern.match(path):
            for name, value in headers:
                key = name.lower()
                if value is None:
                    found.pop(key, None)
                else:
                    found[key] = f"{found[key]}, {value}" if key in found else value
    return found


class Handler(http.server.SimpleHTTPRequestHandler):
    rules: list = []
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".mjs": "text/javascript", ".yml": "text/yaml", ".wasm": "application/wasm"}

    def end_headers(self) -> None:
        for name, value in headers_for(self.rules, self.path.split("?", 1)[0]).items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def main(site: str) -> None:
    headers = Path(site) / "_headers"
    Handler.rules = read_rules(headers.read_text(encoding="utf-8")) if headers.exists() else []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=site))
    print(f"port {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1])

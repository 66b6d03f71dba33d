"""`make serve` for every clinic: the real `mkdocs serve`, on a copy of the project, on a free loopback port.

Staff preview with it: the page must come up, a saved page or data file must show in the preview, and a
mistake made while it runs must show the build's one line `file:line: key: problem. fix` while the server
keeps running, and be gone once fixed. The https rule for site_url is the published address's, never the
preview's (http://127.0.0.1:<port>/).
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import ROOT, built_path, copy_project, read_clinic

STARTUP = 240.0  # seconds for the first build on a busy machine
REBUILD = 180.0
SHAPE = re.compile(r"^(?P<file>[^\s:]+):(?P<line>\d+): (?P<key>\S+): (?P<problem>[^\n]+?)\. (?P<fix>\S.*)$")
LOG_LINE = re.compile(r"^(?:INFO|WARNING|ERROR|DEBUG)\s+-\s+(?:\[[\d:]+\]\s+)?(?P<message>.*)$")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """A running `mkdocs serve` and the lines it has printed."""

    process: subprocess.Popen
    url: str
    project: Path
    config: Path
    lines: queue.Queue = field(default_factory=queue.Queue)
    seen: list[str] = field(default_factory=list)

    def read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float) -> list[str]:
        """Every line up to and including the first that holds `text`; fails after `timeout` seconds."""
        deadline, got = time.monotonic() + timeout, []
        while True:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                if time.monotonic() >= deadline or self.process.poll() is not None:
                    pytest.fail(f"no {text!r} from mkdocs serve within {timeout:.0f} s (exit code {self.process.poll()}); "
                                "last lines:\n" + "\n".join(self.seen[-20:]))
                continue
            self.seen.append(line)
            got.append(line)
            if text in line:
                return got

    def fetch(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=30) as response:
            assert response.status == 200
            return response.read().decode("utf-8")

    def save(self, path: Path, text: str) -> list[str]:
        """Save a file as an editor would, and return serve's lines up to the end of the rebuild it starts."""
        path.write_text(text, encoding="utf-8")
        return self.wait_for_rebuild()

    def wait_for_rebuild(self) -> list[str]:
        started = self.wait_for("Building documentation", REBUILD)
        deadline = time.monotonic() + REBUILD
        lines = list(started)
        while time.monotonic() < deadline:
            more = self.wait_for("", REBUILD)
            lines += more
            if "Reloading browsers" in more[-1] or "An error happened during the rebuild" in more[-1]:
                return lines
        pytest.fail("the rebuild did not finish:\n" + "\n".join(lines[-20:]))


def start(config: Path, project: Path) -> Server:
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"]
    process = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    mount = urllib.parse.urlsplit(read_clinic(config)[2].site_url or "/").path  # serve keeps the published address's folder
    server = Server(process, f"http://127.0.0.1:{port}{mount}", project, config)
    threading.Thread(target=server.read, daemon=True).start()
    server.wait_for("Serving on", STARTUP)
    time.sleep(1.0)  # the file watcher takes its first look at the folders
    return server


@pytest.fixture(scope="module")
def served(clinic_config: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """This clinic's `mkdocs serve`, run from a copy of the project (so edits never touch the working tree)."""
    project = tmp_path_factory.mktemp("serve") / "project"
    copy_project(project)
    shutil.copy2(ROOT / "package.json", project / "package.json")  # a clinic with the staff editor copies it from node_modules
    (project / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    config = project / clinic_config.relative_to(ROOT)
    server = start(config, project)
    try:
        yield server
    finally:
        server.process.terminate()
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=30)


def staff_lines(lines: list[str]) -> list[str]:
    """The messages in serve's lines that have the staff shape `file:line: key: problem. fix`."""
    found = []
    for line in lines:
        match = LOG_LINE.match(line)
        if match and SHAPE.match(match.group("message")):
            found.append(match.group("message"))
    return found


def phone_href(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    return "tel:+1" + digits[-10:]


def test_serve_builds_and_serves_the_home_page(served: Server):
    home = served.fetch("")
    assert "<title>" in home and "Traceback" not in "\n".join(served.seen)
    assert not staff_lines(served.seen), "\n".join(served.seen)


def test_a_saved_page_shows_in_the_preview(served: Server):
    folders, data, _ = read_clinic(served.config)
    uri = "contact.md" if "contact.md" not in data.pages.leave_out else "index.md"
    own = folders.clinic / "docs" / uri
    page = own if own.is_file() else folders.shared / "docs" / uri
    marker = f"Serve-test sentence {time.monotonic_ns()}."
    lines = served.save(page, page.read_text(encoding="utf-8") + f"\n{marker}\n")
    assert "Reloading browsers" in lines[-1], "\n".join(lines)
    assert marker in served.fetch(built_path(uri).removesuffix("index.html"))


def test_a_saved_data_file_shows_in_the_preview(served: Server):
    folders, data, _ = read_clinic(served.config)
    clinic_file = folders.clinic / "data" / "clinic.yml"
    text = clinic_file.read_text(encoding="utf-8")
    old_phone = data.clinic.phone
    line = next(line for line in text.splitlines() if line.startswith("phone:"))
    area = re.sub(r"\D", "", old_phone)[-10:-7]
    new_phone = f"({area}) 555-0{'123' if not old_phone.endswith('0123') else '124'}"
    lines = served.save(clinic_file, text.replace(line, f"phone: {new_phone}", 1))
    assert "Reloading browsers" in lines[-1], "\n".join(lines)
    contact = served.fetch("contact/")
    assert phone_href(new_phone) in contact and phone_href(old_phone) not in contact


@pytest.mark.parametrize("mistake", ["data", "page"])
def test_a_mistake_while_serving_shows_one_line_and_serving_goes_on(served: Server, mistake: str):
    folders, data, _ = read_clinic(served.config)
    if mistake == "data":
        broken_file = folders.clinic / "data" / "clinic.yml"
        good = broken_file.read_text(encoding="utf-8")
        broken = re.sub(r"^phone:", "phnoe:", good, count=1, flags=re.MULTILINE)
        expected = ("phnoe:", "Did you mean 'phone'?")
    else:
        broken_file = folders.shared / "docs" / "index.md" if not (folders.clinic / "docs" / "index.md").is_file() \
            else folders.clinic / "docs" / "index.md"
        good = broken_file.read_text(encoding="utf-8")
        broken = good + "\nCall {{ phone_lnk() }} today.\n"
        expected = ("phone_lnk", "Did you mean 'phone_link'?")
    lines = served.save(broken_file, broken)
    assert "An error happened during the rebuild" in lines[-1], "\n".join(lines)
    messages = staff_lines(lines)
    assert len(messages) == 1, "expected one staff-facing line:\n" + "\n".join(lines)
    shown = broken_file.relative_to(served.project).as_posix()
    assert messages[0].startswith(f"{shown}:"), messages[0]
    for words in expected:
        assert words in messages[0], messages[0]
    assert not any("Traceback" in line for line in lines), "\n".join(lines)
    assert served.process.poll() is None, "mkdocs serve stopped"
    # MkDocs holds page requests until the site builds again ("the server will appear stuck"); its reload
    # channel, which the open page polls, answers at once: the server is up and waiting for the fix.
    with urllib.request.urlopen(urllib.parse.urljoin(served.url, "/livereload/0/0"), timeout=30) as response:
        assert response.status == 200
    lines = served.save(broken_file, good)
    assert "Reloading browsers" in lines[-1], "the preview did not recover once the mistake was fixed:\n" + "\n".join(lines)
    assert "<title>" in served.fetch("")

"""How long `mkdocs serve` takes to show a page edit: the figure staff feel while writing.

Runs `mkdocs serve` on a throw-away copy of the project (so the edit never touches the
working tree), appends a line to one page several times and reads serve's log:

- edit to reload: from saving the file to "Reloading browsers" (what a writer waits for,
  including the file watcher's polling);
- rebuild: from "Building documentation..." to "Reloading browsers" (the build alone);
- rebuild CPU: the CPU time serve used for it, which other programs on a busy machine
  do not inflate (Linux only: read from /proc).

Prints the timings; never fails on them. Run: `python -m benchmarks.rebuild [config] [serve options]`,
for example `python -m benchmarks.rebuild clinics/kestrel-peak/mkdocs.yml`. (`--dirty` cannot help here:
MkDocs warns that a dirty build's links may be wrong, and the strict config stops on that warning.)
"""

from __future__ import annotations

import os
import queue
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tools.project import ENGINE, copy_project

EDITED_PAGE = "your-session.md"
EDITS = 5
TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServeLog:
    """Serve's log lines (stdout and stderr), each with the moment it arrived."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, args=(process.stdout,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.put((time.perf_counter(), line.rstrip()))

    def wait_for(self, text: str) -> float:
        deadline = time.perf_counter() + TIMEOUT
        while True:
            try:
                moment, line = self.lines.get(timeout=max(0.0, deadline - time.perf_counter()))
            except queue.Empty:
                raise RuntimeError(f"no '{text}' from mkdocs serve within {TIMEOUT:.0f} s; last lines:\n" + "\n".join(self.seen[-15:])) from None
            self.seen.append(line)
            if "ERROR" in line or "Aborted" in line:
                raise RuntimeError("mkdocs serve failed:\n" + "\n".join(self.seen[-15:]))
            if text in line:
                return moment


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(config: str = "mkdocs.yml", options: tuple[str, ...] = ()) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory(prefix="rebuild-bench-") as folder:
        project = Path(folder)
        copy_project(project)
        page = project / "docs" / EDITED_PAGE
        command = [sys.executable, "-m", ENGINE, "serve", "-f", str(project / config),
                   "-a", f"127.0.0.1:{free_port()}", *options]
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        process = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        log = ServeLog(process)
        try:
            log.wait_for("Serving on")
            time.sleep(1.0)  # let the watcher take its first snapshot
            timings: dict[str, list[float]] = {"edit to reload": [], "rebuild": [], "rebuild CPU": []}
            for number in range(EDITS):
                cpu_before = cpu_seconds(process.pid)
                saved = time.perf_counter()
                with page.open("a", encoding="utf-8") as handle:
                    handle.write(f"\nEdit number {number}.\n")
                building = log.wait_for("Building documentation")
                reloaded = log.wait_for("Reloading browsers")
                timings["edit to reload"].append(reloaded - saved)
                timings["rebuild"].append(reloaded - building)
                timings["rebuild CPU"].append(cpu_seconds(process.pid) - cpu_before)
                time.sleep(0.5)
            return timings
        finally:
            process.terminate()
            process.wait(timeout=30)


def report(timings: dict[str, list[float]]) -> str:
    rows = [f"{name:>15}: median {statistics.median(values):.2f} s, min {min(values):.2f} s, max {max(values):.2f} s"
            for name, values in timings.items()]
    return "\n".join(rows)


def main() -> None:
    config = sys.argv[1] if len(sys.argv) > 1 else "mkdocs.yml"
    options = tuple(sys.argv[2:])
    print(f"mkdocs serve{''.join(' ' + option for option in options)}, {EDITS} edits of docs/{EDITED_PAGE} ({config}):")
    print(report(measure(config, options)))


if __name__ == "__main__":
    main()

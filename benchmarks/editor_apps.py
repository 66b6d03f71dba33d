"""Decap CMS and Sveltia CMS on the same generated config, side by side: the evidence for handbook/editor.md.

    python -m benchmarks.editor_apps [--config clinics/kestrel-peak/mkdocs.yml]

Builds the clinic once (its admin/ is Decap), writes a second admin page beside it that loads Sveltia CMS
with the same config.yml, admin.js formats and policy, and drives each in Debian's Chromium at 390 and
1366 px against a local copy of the repository: Decap through decap-server (git mode, its editorial
workflow), Sveltia through its own local workflow (the browser's folder picker, given a copy of the
repository in the browser's private file system, as the picker would give the real folder).

Prints, for each app: the bytes /admin/ loads, the time to the first form, policy violations, origins
contacted, whether the page fits 390 px, axe's serious and critical findings, and how far the staff
script gets (sign in, change the phone, save, the change on disk). Never fails on its figures.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from tools.project import ROOT, build, copy_project

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
SVELTIA = ROOT / "node_modules" / "@sveltia" / "cms" / "dist" / "sveltia-cms.js"
RUN_AXE = """() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
  resultTypes: ['violations']}).then(r => r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
  .map(v => ({id: v.id, impact: v.impact, count: v.nodes.length})))"""
# Sveltia's local workflow asks for the repository's folder (showDirectoryPicker); the test gives it a copy of
# the repository's files in the origin-private file system, which Chromium hands out as the same kind of handle.
PICKER = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
window.showDirectoryPicker = async () => {
  const root = await navigator.storage.getDirectory();
  const files = await (await fetch('/__repo.json')).json();
  await root.getDirectoryHandle('.git', {create: true});
  for (const [path, data] of Object.entries(files)) {
    let dir = root;
    const parts = path.split('/');
    for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part, {create: true});
    const handle = await dir.getFileHandle(parts.at(-1), {create: true});
    const writable = await handle.createWritable();
    await writable.write(Uint8Array.from(atob(data), c => c.charCodeAt(0)));
    await writable.close();
  }
  window.__root = root;
  return root;
};
window.__read = async (path) => {
  let dir = await navigator.storage.getDirectory();
  const parts = path.split('/');
  for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part);
  return await (await (await dir.getFileHandle(parts.at(-1))).getFile()).text();
};
"""


def sveltia_page(decap_page: str) -> str:
    """Decap's admin/index.html with Sveltia's bundle in place of Decap's."""
    return decap_page.replace('<script src="vendor/decap-cms.js"></script>', '<script src="vendor/sveltia-cms.js"></script>')


def add_sveltia(site: Path) -> Path:
    admin, other = site / "admin", site / "admin-sveltia"
    shutil.copytree(admin, other, ignore=shutil.ignore_patterns("decap-cms.js*"))
    shutil.copyfile(SVELTIA, other / "vendor" / "sveltia-cms.js")
    (other / "index.html").write_text(sveltia_page((admin / "index.html").read_text()))
    # Sveltia refuses a custom format for .md files unless its name ends in -frontmatter (its config check).
    for name in ("config.yml", "admin.js"):
        (other / name).write_text((other / name).read_text().replace("markdown-keep", "keep-frontmatter"))
    headers = (site / "_headers").read_text()
    rule = headers[headers.index("/admin/*"):]
    (site / "_headers").write_text(headers + rule.replace("/admin/*", "/admin-sveltia/*", 1))
    return other


def repo_files(repo: Path, clinic: Path) -> dict[str, str]:
    """The files Sveltia's collections read (the clinic's folder), as base64, for the folder-picker stand-in."""
    return {path.relative_to(repo).as_posix(): base64.b64encode(path.read_bytes()).decode()
            for path in sorted(clinic.rglob("*")) if path.is_file()}


def size(folder: Path, loaded: list[str]) -> tuple[int, int]:
    files = [folder / name for name in loaded]
    raw = sum(path.stat().st_size for path in files)
    return raw, sum(len(gzip.compress(path.read_bytes(), 6)) for path in files)


def serious(page) -> list[dict]:
    return page.evaluate(RUN_AXE)


def run(config_source: Path) -> None:
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="editor-apps-"))
    repo = work / "repo"
    copy_project(repo)
    shutil.copy2(ROOT / "package.json", repo / "package.json")
    (repo / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    config = repo / config_source.relative_to(ROOT)
    port = 18000 + os.getpid() % 1000
    config.write_text(config.read_text() + f"      local_port: {port}\n")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["-c", "user.name=T", "-c", "user.email=t@example.invalid",
                                                                  "commit", "-q", "-m", "start"]):
        subprocess.run(["git", *args], cwd=repo, check=True)
    site = work / "site"
    built = build(config, site, cwd=repo)
    if built.returncode:
        sys.exit(built.stderr)
    add_sveltia(site)
    clinic = config.parent
    (site / "__repo.json").write_text(json.dumps(repo_files(repo, clinic)))
    facts = next(clinic.glob("data/clinic.yml")).relative_to(repo).as_posix()
    phone = yaml.safe_load((repo / facts).read_text())["phone"]
    new_phone = phone[:-4] + "0199"

    quiet = work / "run"
    quiet.mkdir()
    decap = subprocess.Popen(["node", str(ROOT / "node_modules" / "decap-server" / "dist" / "index.js")], cwd=quiet,
                             env={**os.environ, "BIND_HOST": "127.0.0.1", "PORT": str(port), "MODE": "git",
                                  "GIT_REPO_DIRECTORY": str(repo), "LOG_LEVEL": "warn"},
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    host = subprocess.Popen([sys.executable, str(ROOT / "tests" / "static_host.py"), str(site)], stdout=subprocess.PIPE, text=True)
    host_port = int(host.stdout.readline().split()[1])
    results = {}
    try:
        time.sleep(1.5)
        with sync_playwright() as play:
            browser = play.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            for app, path in (("sveltia", "admin-sveltia"), ("decap", "admin")):
                for width, viewport in WIDTHS.items():
                    results[f"{app} {width}"] = drive(browser, app, f"http://127.0.0.1:{host_port}/{path}/", viewport,
                                                      site / path, facts, new_phone, repo)
                    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=repo)
                    for branch in subprocess.run(["git", "branch", "--format=%(refname:short)"], cwd=repo, capture_output=True,
                                                 text=True).stdout.split():
                        if branch != "main":
                            subprocess.run(["git", "branch", "-q", "-D", branch], cwd=repo)
            browser.close()
    finally:
        for process in (host, decap):
            process.terminate()
            process.wait()
    print(json.dumps(results, indent=1))
    shutil.rmtree(work, ignore_errors=True)


def drive(browser, app: str, url: str, viewport: dict, folder: Path, facts: str, new_phone: str, repo: Path) -> dict:
    context = browser.new_context(viewport=viewport)
    context.add_init_script(PICKER)
    context.add_init_script(AXE.read_text())  # init scripts run outside the page's policy
    page = context.new_page()
    loaded: list[str] = []
    origins: set[str] = set()
    errors: list[str] = []
    page.on("response", lambda r: (origins.add(f"{urlsplit(r.url).scheme}://{urlsplit(r.url).netloc}"),
                                    loaded.append(urlsplit(r.url).path) if r.url.startswith(url) else None))
    page.on("requestfailed", lambda r: origins.add(f"{urlsplit(r.url).scheme}://{urlsplit(r.url).netloc} (failed)"))
    page.on("pageerror", lambda e: errors.append(str(e)[:200]))
    result: dict = {"steps": []}
    started = time.monotonic()
    page.goto(url)
    try:
        if app == "decap":
            page.get_by_role("button", name="Login").click(timeout=20000)
        else:
            page.get_by_role("button", name="Work with Local Repository").click(timeout=20000)
        page.get_by_text("Your clinic").first.wait_for(timeout=30000)
        result["seconds_to_collections"] = round(time.monotonic() - started, 1)
        result["steps"].append("signed in")
        result["axe_collections"] = serious(page)
        page.goto(url + "#/collections/clinic/entries/clinic" if app == "sveltia" else url + "#/collections/clinic/entries/clinic")
        field = page.get_by_label("Phone", exact=True).first
        field.wait_for(timeout=30000)
        result["steps"].append("opened the clinic facts")
        page.wait_for_timeout(500)
        result["fits_width"] = page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        result["scroll_width"] = page.evaluate("document.documentElement.scrollWidth")
        result["axe_form"] = serious(page)
        page.screenshot(path=f"/tmp/h19-{app}-{viewport['width']}-form.png")
        field.click()
        field.press("Control+a")
        field.press_sequentially(new_phone)
        page.get_by_role("button", name="Save", exact=True).first.click()
        page.wait_for_timeout(4000)
        result["steps"].append("saved")
        if app == "decap":
            branches = subprocess.run(["git", "branch", "--list"], cwd=repo, capture_output=True, text=True).stdout.split()
            shown = subprocess.run(["git", "log", "--all", "-p", "-1", "--format=%s"], cwd=repo, capture_output=True, text=True).stdout
            result["on_disk"] = "a pull-request branch: " + ", ".join(b for b in branches if b != "*") if new_phone in shown else "not saved"
        else:
            text = page.evaluate("p => window.__read(p)", facts)
            result["on_disk"] = "written to the folder (no branch, no pull request)" if new_phone in text else "not saved"
            before = (repo / facts).read_text().splitlines()
            result["lines_changed"] = sum(a != b for a, b in zip(before, text.splitlines(), strict=False)) + abs(len(before) - len(text.splitlines()))
    except Exception as error:  # noqa: BLE001 (an evaluation: how far it got is the result)
        result["stopped"] = str(error).splitlines()[0][:300]
    result["violations"] = page.evaluate("window.__violations || []")
    result["errors"] = errors[:5]
    result["origins"] = sorted(origins)
    raw, zipped = size(folder, sorted({p.split("/", 2)[-1] for p in loaded if p.endswith(".js")}))
    result["js_loaded_bytes"], result["js_loaded_gzip"] = raw, zipped
    context.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.editor_apps", description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="clinics/kestrel-peak/mkdocs.yml")
    run(ROOT / parser.parse_args().config)


if __name__ == "__main__":
    main()

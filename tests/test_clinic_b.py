"""Clinic B (examples/clinic-b) gets its own site from its own config and data alone.

Clinic A's facts are read from data/clinic-a, so the leak check follows the data:
a new fact added for Clinic A is searched for in Clinic B's site with no test edit.
"""

from __future__ import annotations

import gzip
import re
import shutil
import typing
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from mkdocs.utils.yaml import yaml_load
from pydantic import BaseModel
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from clinic_data import load_clinic_data, on_serve
from conftest import ROOT, build, copy_project, html_pages
from macros import format_days, format_price, format_time
from schema import FILES

B_DIR = ROOT / "examples" / "clinic-b"
COMMON = ROOT / "data" / "common"
A = load_clinic_data([COMMON, ROOT / "data" / "clinic-a"])
B = load_clinic_data([COMMON, B_DIR / "data"])
PAGES_LISTING_CONDITIONS = ["index.html", "conditions/index.html", "faq/index.html"]


@pytest.fixture(scope="session")
def site_b(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site_dir = tmp_path_factory.mktemp("clinic-b-site")
    result = build(B_DIR / "mkdocs.yml", site_dir)
    assert result.returncode == 0, result.stderr
    return site_dir


@pytest.fixture
def project_b(tmp_path: Path) -> Path:
    """A throw-away copy of the project with Clinic B in it; returns Clinic B's config file."""
    root = copy_project(tmp_path / "project").parent
    shutil.copytree(B_DIR, root / "examples" / "clinic-b", ignore=shutil.ignore_patterns("site"))
    return root / "examples" / "clinic-b" / "mkdocs.yml"


def text_of(page: Path) -> str:
    """The page's own content, without the header, nav and footer."""
    return " ".join(HTMLParser(page.read_text()).css_first(".md-content").text(separator=" ").split())


def everything_published(site_dir: Path) -> dict[str, str]:
    """Every text file of the built site by path: pages, sitemap (also gzipped), search index, robots.txt, headers."""
    texts = {}
    for path in sorted(site_dir.rglob("*")):
        if path.suffix == ".gz":
            texts[str(path.relative_to(site_dir))] = gzip.decompress(path.read_bytes()).decode()
        elif path.is_file():
            try:
                texts[str(path.relative_to(site_dir))] = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue  # images and fonts
    for required in ("index.html", "sitemap.xml", "sitemap.xml.gz", "search/search_index.json"):
        assert required in texts, required
    return texts


def phone_pattern(phone: str) -> str:
    """The number in any common format: (208) 555-0147, 208-555-0147, 208.555.0147, +12085550147."""
    area, exchange, line = re.findall(r"\d+", phone)[-3:]
    return rf"\(?{area}\)?[\s.\-]*{exchange}[\s.\-]*{line}"


def clinic_a_only_facts() -> dict[str, str]:
    """What identifies Clinic A, as regular expressions, each with a label for the failure message."""
    clinic = A.clinic
    site_url = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)["site_url"]
    facts = {
        "name": clinic.name, "short name": clinic.short_name, "email": clinic.email,
        "web domain": urlsplit(site_url).hostname, "email domain": clinic.email.split("@")[1],
        "street": clinic.address.street, "street, first part": clinic.address.street.split(",")[0],
        "city": clinic.address.city, "postal code": clinic.address.postal_code,
        **{f"reviewer {r.id}": r.name for r in A.reviewers if r.name not in {b.name for b in B.reviewers}},
    }
    patterns = {label: re.escape(value) for label, value in facts.items()}
    patterns["phone"] = phone_pattern(clinic.phone)
    b_ids = {c.id for c in B.conditions}
    for condition in A.conditions:
        if condition.id not in b_ids:
            patterns[f"condition {condition.id}"] = rf"\b{re.escape(condition.name)}\b"
            if condition.also_called:
                patterns[f"condition {condition.id}, also called"] = rf"\b{re.escape(condition.also_called)}\b"
    return patterns


# Clinic B's site and what it shows.

@pytest.mark.parametrize("config", sorted((ROOT / "examples").glob("*/mkdocs.yml")), ids=lambda path: path.parent.name)
def test_clinic_config_shares_the_base_hooks_docs_and_theme(config: Path):
    """INHERIT replaces lists whole, so each clinic's config repeats the base's hooks: they must stay the same files."""
    with (ROOT / "mkdocs.yml").open("rb") as base_file, config.open("rb") as clinic_file:
        base, clinic = yaml_load(base_file), yaml_load(clinic_file)
    folder = config.parent
    expected = [f"../../{hook}" for hook in base["hooks"]]
    assert [(folder / hook).resolve() for hook in clinic["hooks"]] == [(ROOT / hook).resolve() for hook in base["hooks"]], (
        f"{config.relative_to(ROOT)}: set hooks to {expected}, the same files as mkdocs.yml"
    )
    assert (folder / clinic["docs_dir"]).resolve() == (ROOT / base["docs_dir"]).resolve()
    assert (folder / clinic["theme"]["custom_dir"]).resolve() == (ROOT / base["theme"]["custom_dir"]).resolve()
    assert clinic["theme"]["name"] == base["theme"]["name"] and clinic["nav"] == base["nav"]
    assert clinic["site_url"] != base["site_url"], f"{config.relative_to(ROOT)}: set site_url to your own web address"


def test_clinic_b_conditions_appear_on_every_listing_page(site_b):
    for name in PAGES_LISTING_CONDITIONS:
        text = text_of(site_b / name).lower()
        for condition in B.conditions:
            assert condition.name.lower() in text, f"{condition.name} missing from {name}"


def test_nothing_of_clinic_a_is_published_in_clinic_b_site(site_b):
    published = everything_published(site_b)
    for label, pattern in clinic_a_only_facts().items():
        for path, text in published.items():
            found = re.search(pattern, text, flags=re.IGNORECASE)
            assert not found, f"Clinic A's {label} ('{found and found.group()}') is in Clinic B's {path}"


def test_the_leak_check_can_fail():
    """The patterns find Clinic A's facts in the forms a page could print them."""
    patterns = clinic_a_only_facts()
    only_a = next(c for c in A.conditions if c.also_called and c.id not in {b.id for b in B.conditions})
    area, exchange, line = re.findall(r"\d+", A.clinic.phone)
    samples = {
        "phone": [A.clinic.phone_e164, f"{area}.{exchange}.{line}", f"{area}-{exchange}-{line}"],
        "email": [f"mailto:{A.clinic.email}"],
        f"condition {only_a.id}": [f"We treat {only_a.name.lower()}."],
        f"condition {only_a.id}, also called": [f"({only_a.also_called})"],
    }
    for label, texts in samples.items():
        for text in texts:
            assert re.search(patterns[label], text, flags=re.IGNORECASE), (label, text)


def test_clinic_b_course_trial_then_up_to_nine_more(site_b):
    text = text_of(site_b / "your-session" / "index.html")
    course = B.clinic.policies.course
    assert "trial" in text.lower()
    assert re.search(rf"up to ({course.infusions_after_trial}|nine) more", text), text


def test_clinic_b_benefit_claim_is_shown_as_its_own_report(site_b, site):
    months = B.clinic.policies.course.reported_benefit_months
    text = text_of(site_b / "your-session" / "index.html")
    claim = re.search(rf"[^.]*up to {months} months after each infusion[^.]*\.", text)
    assert claim and "reports" in claim.group(), text
    assert A.clinic.policies.course.reported_benefit_months is None
    assert "months after each infusion" not in text_of(site / "your-session" / "index.html")


def test_clinic_b_premedication_and_screening_are_shown(site_b):
    text = text_of(site_b / "your-session" / "index.html").lower()
    assert "a calming medicine (a sedative)" in text
    assert "screening" in text and "health and medical history" in text


def test_clinic_a_site_shows_no_premedication(site):
    assert not A.clinic.policies.session.premedication
    for page in html_pages(site):
        assert "sedative" not in page.read_text().lower(), page


def test_clinic_b_own_details_are_shown(site_b):
    contact = text_of(site_b / "contact" / "index.html")
    clinic = B.clinic
    for fact in (clinic.name, clinic.phone, clinic.email, clinic.address.street, clinic.address.city, clinic.address.postal_code):
        assert fact in contact, fact
    for hours in clinic.hours:
        assert f"{format_days(hours.days)}: {format_time(hours.opens)} to {format_time(hours.closes)}" in contact
    costs = text_of(site_b / "costs" / "index.html")
    for price in clinic.prices:
        assert price.item in costs and format_price(price) in costs, price.item
    footer = HTMLParser((site_b / "index.html").read_text()).css_first("footer").text()
    assert clinic.name in footer and clinic.phone in footer


def test_no_clinic_b_fact_is_typed_into_a_page():
    facts = [B.clinic.name, B.clinic.short_name, B.clinic.phone, B.clinic.email, B.clinic.address.street,
             *(c.name for c in B.conditions if len(c.name) > 6)]
    for page in (ROOT / "docs").rglob("*.md"):
        text = page.read_text()
        for fact in facts:
            assert fact not in text, f"{page.relative_to(ROOT)} types '{fact}': use a macro or {{{{ clinic }}}}"


def test_serve_watches_the_data_folders():
    class Server:
        watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    class Config:
        config_file_path = str(B_DIR / "mkdocs.yml")
        extra = {"clinic_data": ["../../data/common", "data"]}

    server = on_serve(Server(), config=Config(), builder=None)
    assert [Path(path).resolve() for path in server.watched] == [COMMON.resolve(), (B_DIR / "data").resolve()]


# Each data mistake in Clinic B's own files stops the build with one message naming the file and key path,
# before any page is written.

def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def failed_build(config: Path, site_dir: Path) -> str:
    result = build(config, site_dir)
    assert result.returncode != 0
    problems = [line for line in result.stderr.splitlines() if line.startswith(("ERROR", "WARNING"))]
    assert len(problems) == 1, result.stderr
    assert not list(site_dir.rglob("*.html")), "a page was written before the error stopped the build"
    return result.stderr


@pytest.mark.parametrize(("old", "new", "message"), [
    ("infusions_after_trial: 9", "infusions_after_trial: nine",
     "key 'policies.course.infusions_after_trial': Input should be a valid integer"),
    ("premedication: true", "premedicaton: true",
     "key 'policies.session.premedicaton': 'premedicaton' is not a known key. Check its spelling, or remove it."),
    ("    setting: the center's own infusion suite\n", "",
     "key 'policies.session.setting': the required key 'setting' is missing. Add it."),
], ids=["wrong-type", "unknown-key", "missing-required-key"])
def test_clinic_b_data_error_names_file_line_and_key(project_b, tmp_path, old, new, message):
    edit(project_b.parent / "data" / "clinic.yml", old, new)
    text = failed_build(project_b, tmp_path / "site")
    assert "data/clinic.yml, line " in text
    assert message in text


def test_clinic_b_referral_required_needs_who_refers(project_b, tmp_path):
    edit(project_b.parent / "data" / "clinic.yml", "required_for_mental_health: false", "required_for_mental_health: true")
    message = failed_build(project_b, tmp_path / "site")
    assert "key 'policies.referral': add from_whom: who must refer, because required_for_mental_health is true" in message


def test_clinic_b_duplicate_id(project_b, tmp_path):
    path = project_b.parent / "data" / "conditions.yml"
    path.write_text(path.read_text() + "- id: fibromyalgia\n  name: Fibromyalgia again\n  category: pain\n  description: A copy.\n")
    message = failed_build(project_b, tmp_path / "site")
    assert "data/conditions.yml, line " in message and "the id 'fibromyalgia' is used twice" in message


def test_clinic_b_page_naming_a_condition_it_does_not_treat(project_b, tmp_path):
    """A shared page that names one of Clinic A's conditions by id breaks Clinic B's build, naming both files."""
    page = project_b.parents[2] / "docs" / "conditions.md"
    page.write_text(page.read_text() + "\nWe also treat {{ condition('migraine') }}.\n")
    message = failed_build(project_b, tmp_path / "site")
    assert "conditions.md: unknown condition id 'migraine'. Known ids in data/conditions.yml: crps," in message


# README: "Start a site for your clinic" documents every key a clinic can set.

def nested_model(annotation) -> type[BaseModel] | None:
    for candidate in (annotation, *typing.get_args(annotation)):
        for inner in (candidate, *typing.get_args(candidate)):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return None


def leaf_keys(model: type[BaseModel], prefix: str = "") -> list[str]:
    keys = []
    for name, field in model.model_fields.items():
        inner = nested_model(field.annotation)
        keys += leaf_keys(inner, f"{prefix}{name}.") if inner else [prefix + name]
    return keys


def readme_section() -> str:
    text = (ROOT / "README.md").read_text()
    start = text.index("## Start a site for your clinic")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


def test_readme_documents_every_data_key():
    section = readme_section()
    for file_name, (model, _) in FILES.items():
        assert f"`{file_name}" in section or f"`data/{file_name}`" in section, file_name
        for key in leaf_keys(model):
            shown = key if file_name == "clinic.yml" else key.split(".")[-1]
            assert f"`{shown}`" in section, f"README 'Start a site for your clinic' does not explain {file_name} key '{key}'"


def test_readme_documents_every_clinic_b_config_key():
    with (B_DIR / "mkdocs.yml").open("rb") as config:
        keys = yaml.load(config, Loader=yaml.BaseLoader)
    section = readme_section()
    for key, value in keys.items():
        names = [f"{key}.{inner}" for inner in value] if isinstance(value, dict) else [key]
        for name in names:
            assert f"| `{name}` |" in section, f"README does not explain mkdocs.yml key '{name}'"

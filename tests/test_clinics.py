"""Every clinic is its own site: nothing of another clinic leaks into it, no page states a policy the clinic
does not have, a copied config or folder stops the build, a new clinic starts from the scaffold, and a
legitimate staff edit (phone, hours, a condition, a new name) builds and passes the suite."""

from __future__ import annotations

import functools
import gzip
import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, TODAY, build, built_path, copy_project
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from clinic_site.clinics import check_own_identity, clinic_folders, read_config_keys
from clinic_site.errors import StaffError
from clinic_site.schema import PLACEHOLDER, Clinic, mentions
from clinic_site.yamlfile import read_yaml
from tools.network import check as network_check
from tools.network.check import ClinicFacts, LeakIndex, NetworkClinic, read_network
from tools.new_clinic import create, files_for, folder_name
from tools.project import PROJECT_PARTS, clinic_name

NESTED_PARTS = (*PROJECT_PARTS, "tests", "tools", "benchmarks", "pyproject.toml")


def published(site_dir: Path) -> dict[str, str]:
    """Every text file of the built site, by path: pages, sitemap (also gzipped), search index, robots.txt, headers."""
    texts = {}
    for path in sorted(site_dir.rglob("*")):
        name = path.relative_to(site_dir).as_posix()
        if path.suffix == ".gz":
            texts[name] = gzip.decompress(path.read_bytes()).decode()
        elif path.is_file() and path.suffix in (".html", ".json", ".xml", ".txt") or path.name == "_headers":
            texts[name] = html.unescape(path.read_text(encoding="utf-8"))
    assert {"index.html", "sitemap.xml", "search/search_index.json"} <= set(texts)
    return texts


def phone_pattern(phone: str) -> str:
    """The number in any common format: (503) 555-0100, 503-555-0100, 503.555.0100, +15035550100."""
    area, exchange, line = re.findall(r"\d+", phone)[-3:]
    return rf"\(?{area}\)?[\s.\-]*{exchange}[\s.\-]*{line}"


@functools.cache
def leak_index() -> LeakIndex:
    """Every clinic's identifying facts and conditions, indexed once for the run (tools/network/check.py).
    A clinic whose files do not parse is left out here; the network check names it."""
    return LeakIndex(read_network(ROOT)[0])


def where_conditions_are_offered(site_dir: Path) -> dict[str, str]:
    """The parts of a site that say what it treats: the lists on the home, conditions, FAQ and referral pages,
    and the JSON-LD. (Research text elsewhere may name a condition in general.)"""
    found = {}
    for page in ("index.html", "conditions/index.html", "faq/index.html", "referrals/index.html"):
        tree = HTMLParser((site_dir / page).read_text())
        for sources in tree.css(".sources"):  # reference titles, not offers
            sources.decompose()
        found[page] = " ".join(item.text() for item in tree.css("article li, details#conditions"))
        graphs = [json.loads(node.text())["@graph"] for node in tree.css('script[type="application/ld+json"]')]
        found[f"{page} JSON-LD"] = " ".join(node["name"] for graph in graphs for node in graph
                                           if node["@type"] == "MedicalCondition")
    return found


def test_nothing_of_another_clinic_is_published(clinic):
    index = leak_index()
    if not [name for name in index.clinics() if name != clinic.name]:
        # A clinic's own repository, with the example clinics removed (handbook/going-live.md): no other clinic to leak.
        # The check's own power is proven on two clinics by test_the_leak_check_finds_facts_in_the_forms_a_page_prints_them.
        pytest.skip("the repository holds one clinic: there is no other clinic whose facts could appear")
    assert index.leaks(published(clinic.site_dir), clinic.name) == []
    offered = where_conditions_are_offered(clinic.site_dir)
    assert index.conditions_offered(offered, clinic.name, allowed=clinic.data.crisis.triggers) == []


def facts_of(folder: str, **facts: str) -> ClinicFacts:
    clinic = ClinicFacts(NetworkClinic(folder, Path(folder) / "mkdocs.yml", Path(folder)))
    clinic.facts.update(facts)
    return clinic


def test_the_leak_check_finds_facts_in_the_forms_a_page_prints_them():
    first = facts_of("first", name="First Infusion Clinic", phone="(503) 555-0100", email="hello@first.example",
                     **{"email domain": "first.example"})
    first.reviewers.add("Dr. Ada Stone")
    first.conditions["crps"] = ["Complex regional pain syndrome"]
    second = facts_of("second", name="Second Clinic", phone="(541) 555-0111", street="1 Shared Road")
    second.reviewers.add("Dr. Ada Stone")  # a reviewer both clinics share is no leak
    index = LeakIndex([first, second])
    for sample in ("(503) 555-0100", "+15035550100", "503.555.0100", "503-555-0100", "+1 503 555 0100"):
        assert index.leaks({"p.html": f"Call {sample} now"}, "second") == [f"first's phone ('{sample}') is in second's p.html"]
    assert index.leaks({"p.html": "mailto:HELLO@first.example"}, "second") == [
        "first's email ('HELLO@first.example') is in second's p.html", ]
    assert index.leaks({"p.html": "At  first infusion\nclinic, Dr. Ada Stone"}, "second") == [
        "first's name ('first infusion\nclinic') is in second's p.html"]
    assert index.leaks({"p.html": "Call (541) 555-0111 or (503) 555-0199. First Infusion Clinics-x"}, "second") == []
    assert index.conditions_offered({"conditions": "We treat complex regional pain syndrome."}, "second") == [
        "second's conditions offers first's condition crps (Complex regional pain syndrome), which second does not treat"]
    assert index.conditions_offered({"conditions": "We treat complex regional pain syndrome."}, "first") == []


def test_two_clinics_may_treat_one_condition_under_two_names():
    """A legitimate new condition never fails a test: words a clinic's own conditions.yml uses are its own."""
    first = facts_of("first", name="First Infusion Clinic")
    first.conditions["nerve-pain"] = ["Nerve pain"]
    first.condition_texts += ["Nerve pain", "Burning or tingling pain from damaged nerves."]
    second = facts_of("second", name="Second Clinic")
    second.conditions["neuropathic-pain"] = ["Neuropathy", "pain from damaged nerves"]
    second.condition_texts += ["Neuropathy", "pain from damaged nerves", "For most nerve pain, the proof is weak."]
    index = LeakIndex([first, second])
    assert index.conditions_offered({"conditions": "Nerve pain: burning or tingling pain from damaged nerves."}, "first") == []
    assert index.conditions_offered({"conditions": "Neuropathy. For most nerve pain, the proof is weak."}, "second") == []
    assert index.conditions_offered({"conditions": "We treat neuropathy."}, "first") == [
        "first's conditions offers second's condition neuropathic-pain (Neuropathy), which first does not treat"]


def setting_is_on(data, key: str, value: str | None = None) -> bool:
    current = data.clinic
    for part in key.split("."):
        current = getattr(current, part)
    if value is None:
        return bool(current)
    return value in current if isinstance(current, (list, tuple)) else current == value


def policy_words() -> list[tuple[str, str | None, list[str]]]:
    """(setting, value or None, words shown only while it is on), from the schema's `mentions`."""
    found = []
    for key, words in mentions(Clinic).items():
        if isinstance(words, dict):
            found += [(key, value, terms) for value, terms in words.items()]
        else:
            found.append((key, None, words))
    return found


def test_no_page_states_a_policy_the_clinic_does_not_have(clinic):
    """Each setting is checked both ways, on (its words are on a page) or off (they are on none), so a clinic with
    few settings on (a real choice, like a clinic that takes no HSA card) is checked as fully as one with many."""
    # The editor's files under admin/ describe every setting to staff (its preview names each macro), by design.
    texts = {path: text for path, text in published(clinic.site_dir).items() if not path.startswith("admin/")}
    settings = policy_words()
    assert settings
    for key, value, words in settings:
        pattern = re.compile("|".join(rf"\b{re.escape(word)}\b" for word in words), re.IGNORECASE)
        where = {path: match.group() for path, text in texts.items() if (match := pattern.search(text))}
        if setting_is_on(clinic.data, key, value):
            assert where, f"{key}{'=' + value if value else ''} is on, but no page says {words}: are the words still right?"
        else:
            assert not where, f"{key}{'=' + value if value else ''} is off for {clinic.name}, but {where} mention it"


def test_the_policy_words_come_from_the_schema():
    keys = {key for key, _, _ in policy_words()}
    assert {"policies.workers_compensation", "policies.prior_authorization", "payment.free_consultation",
            "payment.methods", "policies.referral.required_for_mental_health"} <= keys


# A copied config or folder stops the build, naming both files.

def test_a_copied_clinic_is_named_by_the_network_check_and_stops_no_other_build(tmp_path):
    root = copy_project(tmp_path / "project").parent
    other = sorted((root / "clinics").glob("*/mkdocs.yml"))[0]
    copy = root / "clinics" / "zz-copied"
    shutil.copytree(other.parent, copy)
    other_name = other.relative_to(root).as_posix()
    keys = read_config_keys(other)
    problems = network_check.check(root)
    assert (f"clinics/zz-copied/mkdocs.yml:{keys.line(('site_name',))}: site_name: '{keys.value['site_name']}' is also the site_name "
            f"of {other_name} ({other.parent.name}). Give each clinic its own site_name.") in problems
    clinic = read_yaml(other.parent / "data" / "clinic.yml")
    assert (f"clinics/zz-copied/data/clinic.yml:{clinic.line(('phone',))}: phone: '{clinic.value['phone']}' is also the phone of "
            f"{other.parent.relative_to(root).as_posix()}/data/clinic.yml ({other.parent.name}). Give each clinic its own phone.") in problems
    assert network_check.check(root, clinic=clinic_name(root / "mkdocs.yml")) == []
    assert network_check.main(["--root", str(root), "--clinic", "zz-copied"]) == 1


def default_clinic_folder(root: Path) -> Path:
    """The folder of the clinic the top-level mkdocs.yml builds (plugins.clinic.default_clinic)."""
    plugin = ((read_config_keys(root / "mkdocs.yml").value or {}).get("plugins") or {}).get("clinic") or {}
    return clinic_folders(root / "mkdocs.yml", plugin.get("default_clinic")).clinic


def test_a_config_that_sets_no_name_inherits_the_default_clinics_and_stops(tmp_path):
    root = copy_project(tmp_path / "project").parent
    folder = root / "clinics" / "nameless"
    shutil.copytree(default_clinic_folder(root), folder)  # whichever clinics the repository holds
    (folder / "mkdocs.yml").write_text("INHERIT: ../../mkdocs.yml\n")
    (folder / "docs").mkdir(exist_ok=True)  # as the scaffold makes it: MkDocs wants docs_dir before any plugin runs
    with pytest.raises(StaffError) as caught:
        check_own_identity(clinic_folders(folder / "mkdocs.yml", None), read_config_keys(root / "mkdocs.yml").value)
    assert caught.value.line is None and caught.value.key == "site_name"
    assert "sets no site_name" in caught.value.problem and "Set site_name in this file" in caught.value.fix
    result = build(folder / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0 and "clinics/nameless/mkdocs.yml: site_name: this clinic's config sets no site_name" in result.stderr


def test_a_clinic_config_whose_inherit_names_no_file_stops_with_the_line_to_write(tiny):
    config = tiny.parent / "clinics" / "tiny" / "mkdocs.yml"
    config.write_text("# A clinic.\nINHERIT: ../mkdocs.yml\nsite_name: Second\n")
    with pytest.raises(StaffError) as caught:
        clinic_folders(config, None)
    assert caught.value.line == 2 and caught.value.key == "INHERIT"
    assert caught.value.problem.startswith("'../mkdocs.yml' names no file") and caught.value.fix == "Write INHERIT: ../../mkdocs.yml."


# A new clinic from the scaffold: its folder's name, and examples that are no other clinic's facts.

@pytest.mark.parametrize("name, folder", [("sunrise", "sunrise"), ("Sunrise Clinic", "sunrise-clinic"),
                                          (" Española_Infusion  Center ", "espanola-infusion-center")])
def test_a_new_clinics_name_becomes_its_folder(name, folder):
    assert folder_name(name) == folder
    assert f"make build CONFIG=clinics/{folder}/mkdocs.yml" in files_for(name)["mkdocs.yml"]


@pytest.mark.parametrize("name, message", [
    ("", "NAME: no name given. Give the clinic a short name, for example: make new-clinic NAME=sunrise"),
    ("!!!", "NAME: '!!!' has no letters or digits to name a folder. Give the clinic a short name"),
])
def test_a_new_clinic_without_a_usable_name_stops(name, message, tmp_path):
    with pytest.raises(StaffError) as caught:
        create(name, tmp_path)
    assert str(caught.value).startswith(message)


def test_a_new_clinic_never_overwrites_a_folder(tmp_path):
    create("Sunrise", tmp_path)
    with pytest.raises(StaffError) as caught:
        create("sunrise", tmp_path)
    assert str(caught.value).endswith("clinics/sunrise: this folder already exists. Choose another name, or edit that folder's files.")


def test_the_scaffolds_examples_are_not_this_clinics_facts(clinic_config, clinic_data):
    """Staff who delete "FILL IN, for example" keep the example: it must not be a clinic's name, address or person.
    Only what identifies a clinic is checked: a clinic may well choose an example's words for its room or its rules."""
    scaffold = "\n".join(files_for("sunrise").values()).replace(f"{PLACEHOLDER}, for example ", "")
    clinic = clinic_data.clinic
    config = read_config_keys(clinic_config).value
    config = config if "site_name" in config else read_config_keys(ROOT / "mkdocs.yml").value
    facts = {clinic.name, clinic.short_name, clinic.email, clinic.address.street, *(reviewer.name for reviewer in clinic_data.reviewers),
             config["site_name"], urlsplit(config["site_url"]).hostname}
    for fact in filter(None, facts):
        assert not re.search(rf"(?<![\w-]){re.escape(fact)}(?![\w-])", scaffold), f"'{fact}' is in the scaffold"
    assert not re.search(phone_pattern(clinic.phone), scaffold), "this clinic's phone is in the scaffold"


@pytest.mark.parametrize("copied", ["(541) 555-0111", "+1 541 555 0111", "1-541-555-0111", "541.555.0111"])
def test_another_clinics_phone_in_any_form_is_found(tmp_path, copied):
    (tmp_path / "mkdocs.yml").write_text("site_name: First\nsite_url: https://first.example/\nplugins:\n  clinic:\n"
                                         "    default_clinic: clinics/first\n")
    for name, phone in (("first", "(541) 555-0111"), ("second", copied)):
        (tmp_path / "clinics" / name / "data").mkdir(parents=True)
        (tmp_path / "clinics" / name / "data" / "clinic.yml").write_text(f"name: {name}\nphone: {phone}\n")
    (tmp_path / "clinics" / "second" / "mkdocs.yml").write_text("site_name: Second\nsite_url: https://second.example/\n")
    assert network_check.check(tmp_path) == [f"clinics/second/data/clinic.yml:2: phone: '{copied}' is also the phone of "
                                             "clinics/first/data/clinic.yml (first). Give each clinic its own phone."]

# A new clinic from the scaffold, filled in as its staff would; then the per-clinic suite on it.

FILLED = {
    "site_name": "Sunrise Infusion Center", "site_url": "https://sunrise.example/",
    "site_description": "IV ketamine infusions in Tucson, explained in plain words.",
    "name": "Sunrise Infusion Center", "short_name": "Sunrise", "phone": "(520) 555-0110", "email": "hello@sunrise.example",
    "street": "77 Saguaro Road", "city": "Tucson", "region": "AZ", "postal_code": '"85701"', "days": "[Tuesday, Wednesday, Thursday]",
    "opens": '"09:00"', "closes": '"16:00"', "states_served": "[Arizona]", "item": "One infusion", "methods": "[credit-card, hsa]",
    "insurance": "self-pay", "required_for_mental_health": "false", "rule": "fast", "hours": "4", "driver_required": "true",
    "payment_plan": "true", "min_age": "18", "systolic": "160", "diastolic": "100",
    "infusion_minutes_min": "45", "infusion_minutes_max": "45", "observation_minutes": "30", "spacing": "once a week", "infusions": "6",
    "maintenance": "Some people come back for one more infusion later.", "each_infusion": "one-infusion",
    "setting": "a calm room with a view of the mountains", "workers_compensation": "false",
    "prior_authorization": "false",
    "id": None, "category": None,  # per file below
    "reviewed_by": "reyes", "last_reviewed": TODAY.isoformat(), "next_review": TODAY.replace(year=TODAY.year + 1).isoformat(),
}
PER_FILE = {
    "clinic.yml": {"id": "one-infusion", "category": "pain"},
    "conditions.yml": {"id": "crps", "name": "Complex regional pain syndrome", "category": "pain",
                       "description": "Strong, lasting pain in an arm or leg after an injury.", "level": "some",
                       "source": "cohen-2018", "note": "Pain experts found some proof that infusions ease this pain for a few weeks."},
    "reviewers.yml": {"id": "reyes", "name": "Dr. Ana Reyes", "credentials": "MD, board-certified in anesthesiology",
                      "specialty": "anesthesiology", "role": "Medical director"},
}


def fill_in(path: Path, values: dict[str, str | None]) -> None:
    """Replace each FILL IN value, as staff would, by its key."""
    def value_for(match: re.Match) -> str:
        key = match.group(2)
        assert values.get(key) is not None, f"{path.name}: no value for {key}"
        return f"{match.group(1)}{key}: {values[key]}"
    text = re.sub(r'^(\s*-?\s*)(\w+): \[?"FILL IN[^"]*"\]?$', value_for, path.read_text(), flags=re.M)
    text = re.sub(r"^site_url: https://fill-in.example/$", f"site_url: {values['site_url']}", text, flags=re.M)
    assert "FILL IN" not in "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")), path
    path.write_text(text)


@pytest.fixture(scope="module")
def new_clinic(tmp_path_factory) -> Path:
    """A project copy with a clinic made by the scaffold and filled in: one own page, one shared page left out."""
    root = copy_project(tmp_path_factory.mktemp("new") / "project", parts=NESTED_PARTS).parent
    # Only the default clinic stays beside it: a real clinic may already be called sunrise (the handbook's example name).
    for other in (root / "clinics").iterdir():
        if other.is_dir() and other.resolve() != default_clinic_folder(root).resolve():
            shutil.rmtree(other)
    folder = create("sunrise", root)
    fill_in(folder / "mkdocs.yml", FILLED)
    for name in ("clinic.yml", "conditions.yml", "reviewers.yml", "reviews.yml"):
        fill_in(folder / "data" / name, {**FILLED, **PER_FILE.get(name, {})})
    (folder / "data" / "pages.yml").write_text("leave_out:\n  - articles/ketamine-a-hopeful-treatment.md\nmenu:\n"
                                               "  - page: parking.md\n    section: Your care\n")
    reviews = folder / "data" / "reviews.yml"
    reviews.write_text(reviews.read_text().replace("    - articles/ketamine-a-hopeful-treatment.md\n", ""))
    (folder / "docs" / "parking.md").write_text("---\ntitle: Parking and getting here\ndescription: Where to park at our center"
                                               " and how to find the door.\nhealth_page: false\n---\n\n# Parking and getting here\n\n"
                                               "Park in the lot beside the building. Call {{ phone_link() }} if you get lost.\n")
    return folder / "mkdocs.yml"


def test_a_new_clinic_from_the_scaffold_builds_with_its_own_page_and_review_record(new_clinic, tmp_path):
    site = tmp_path / "site"
    result = build(new_clinic, site, TODAY)
    assert result.returncode == 0, result.stderr
    assert (site / "parking" / "index.html").is_file()
    assert not (site / "articles" / "ketamine-a-hopeful-treatment").exists()
    menu = HTMLParser((site / "index.html").read_text()).css_first("nav.md-nav--primary").text()
    assert "Parking and getting here" in menu
    line = " ".join(HTMLParser((site / built_path("safety.md")).read_text()).css_first(".review-line").text().split())
    assert line.endswith(f"Reviewed by {PER_FILE['reviewers.yml']['name']}, {PER_FILE['reviewers.yml']['credentials']}")


def nested_suite(config: Path, *tests: str) -> subprocess.CompletedProcess:
    """The per-clinic tests that need no browser, run on a project copy for one clinic (`make test CONFIG=...`)."""
    root = config.parents[2] if config.parent.parent.name == "clinics" else config.parent
    if not (root / "node_modules").exists():  # the npm test tools (TypeScript for the JSON-LD check) are the project's
        (root / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not browser and not java and not external", "--clinic",
                           str(config), *tests], cwd=root, capture_output=True, text=True)


PER_CLINIC_TESTS = ("tests/test_site.py", "tests/test_jsonld.py", "tests/test_links.py", "tests/test_csp.py",
                    "tests/test_clinics.py::test_nothing_of_another_clinic_is_published",
                    "tests/test_clinics.py::test_no_page_states_a_policy_the_clinic_does_not_have")


def test_the_new_clinic_passes_the_per_clinic_suite(new_clinic):
    result = nested_suite(new_clinic, *PER_CLINIC_TESTS)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "sunrise" in result.stdout or "passed" in result.stdout


# Legitimate staff edits never fail a test.

def test_staff_edits_build_show_the_new_facts_and_pass_the_suite(tmp_path):
    root = copy_project(tmp_path / "project", parts=NESTED_PARTS).parent
    data = default_clinic_folder(root) / "data"  # the default clinic, whichever it is (the examples may be gone)
    clinic = (data / "clinic.yml").read_text()
    old = read_yaml(data / "clinic.yml").value
    area = re.sub(r"\D", "", old["phone"])[-10:-7]
    clinic = clinic.replace(f"phone: {old['phone']}", f"phone: ({area}) 555-0199")
    clinic = clinic.replace(f"name: {old['name']}", "name: Harbor & O'Neil Infusion Clinic")
    clinic = re.sub(r"^hours:\n(?:  .*\n)+",
                    "hours:\n  - days: [Monday, Wednesday, Friday]\n    opens: 7:30\n    closes: \"15:30\"\n"
                    "  - days: [Saturday]\n    opens: \"09:00\"\n    closes: \"12:00\"\n", clinic, flags=re.M)
    (data / "clinic.yml").write_text(clinic)
    (data / "conditions.yml").write_text((data / "conditions.yml").read_text() + (
        "- id: phantom-limb-pain\n  name: Phantom limb pain\n  category: pain\n"
        "  description: Pain that seems to come from a limb that has been removed.\n"
        "  evidence:\n    level: very-limited\n    source: cohen-2018\n    note: Pain experts found weak proof or none for this pain.\n"))
    config = root / "mkdocs.yml"
    config.write_text(re.sub(r"^site_name: .*$", "site_name: Harbor & O'Neil Infusion Clinic", config.read_text(), count=1, flags=re.M))
    site = tmp_path / "site"
    result = build(config, site, TODAY)
    assert result.returncode == 0, result.stderr
    contact = " ".join(HTMLParser((site / "contact" / "index.html").read_text()).css_first(".md-content").text().split())
    assert f"({area}) 555-0199" in contact and "Harbor & O'Neil Infusion Clinic" in contact
    assert "Monday, Wednesday, and Friday: 7:30 a.m. to 3:30 p.m." in contact and "Saturday: 9 a.m. to noon" in contact
    assert "Phantom limb pain" in (site / "conditions" / "index.html").read_text()
    assert "<title>Contact us - Harbor &amp; O&#39;Neil Infusion Clinic</title>" in (site / "contact" / "index.html").read_text()
    result = nested_suite(config, *PER_CLINIC_TESTS)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]

"""The checks between the clinics of one repository: `python -m tools.network.check` (or `--clinic <name>`).

A clinic's build and tests read only its own folder and the shared files. What compares clinics runs here,
once for the whole repository, from each clinic's files read leniently:

- no two clinics share a site name, a web address, a name, a phone number or an email address
  (a copied folder would otherwise publish another clinic's facts);
- each clinic's deploy.yml names a host the workflow knows, and one clinic at most takes the repository's GitHub Pages;
- the leak index: each clinic's identifying facts (name, address, phone, email, reviewers, web domain)
  and the conditions it treats, indexed once, so a built site is scanned once for every other clinic's
  facts instead of once per pair of clinics (tests/test_clinics.py uses it on each built site).

A clinic file that does not parse is reported by its clinic's name and left out of the index; every other
clinic is still checked. `--clinic <name>` prints only the problems that concern that clinic (the per-clinic
CI job runs it), so one clinic's mistake fails its own job only. Exit 1 when a problem is printed.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from clinic_site.clinics import read_config_keys
from clinic_site.errors import StaffError
from clinic_site.yamlfile import YamlDocument, read_yaml, texts
from tools.project import ROOT

IDENTITY = {"site_name": "mkdocs.yml", "site_url": "mkdocs.yml", "name": "data/clinic.yml",
            "phone": "data/clinic.yml", "email": "data/clinic.yml"}
# A phone number in any common form: (503) 555-0100, 503-555-0100, 503.555.0100, +1 503 555 0100, +15035550100.
PHONE = re.compile(r"(?<!\d)(?:\+?1[\s.\-]*)?\(?(\d{3})\)?[\s.\-]*(\d{3})[\s.\-]*(\d{4})(?!\d)")


@dataclass(frozen=True)
class NetworkClinic:
    """One clinic of the repository: its name (its folder's), its config and its folder."""

    name: str
    config: Path
    folder: Path


@dataclass(frozen=True)
class Finding:
    """A problem and the clinics it concerns (a duplicate concerns both; a broken file its own clinic)."""

    clinics: tuple[str, ...]
    message: str


@dataclass
class ClinicFacts:
    """What identifies one clinic, read leniently from its files; `where` maps a key to (file, line)."""

    clinic: NetworkClinic
    identity: dict[str, str] = field(default_factory=dict)
    where: dict[str, tuple[Path, int | None]] = field(default_factory=dict)
    facts: dict[str, str] = field(default_factory=dict)  # label -> text, for the leak index
    reviewers: set[str] = field(default_factory=set)
    conditions: dict[str, list[str]] = field(default_factory=dict)  # condition id -> its names
    condition_texts: list[str] = field(default_factory=list)  # every text of its conditions.yml entries


def network_clinics(root: Path = ROOT) -> tuple[list[NetworkClinic], list[Finding]]:
    """The default clinic (the top-level mkdocs.yml's plugins.clinic.default_clinic), then clinics/*/ with a config.

    A folder under clinics/ that is neither the default clinic nor has a mkdocs.yml is reported, by name.
    """
    found: list[NetworkClinic] = []
    findings: list[Finding] = []
    default = None
    try:
        plugin = ((read_config_keys(root / "mkdocs.yml").value or {}).get("plugins") or {}).get("clinic") or {}
        default = (root / str(plugin.get("default_clinic") or "")).resolve()
        if default != root.resolve() and (default / "data").is_dir():
            found.append(NetworkClinic(default.name, root / "mkdocs.yml", default))
    except StaffError as error:
        findings.append(Finding((), f"{error}"))
    for folder in sorted(path for path in (root / "clinics").glob("*") if path.is_dir() and not path.name.startswith(".")):
        if (folder / "mkdocs.yml").is_file():
            found.append(NetworkClinic(folder.name, folder / "mkdocs.yml", folder))
        elif folder.resolve() != default:
            findings.append(Finding((folder.name,), f"clinics/{folder.name}: this clinic folder has no mkdocs.yml. "
                                                    "Copy one from another clinic's folder and set its site_name and site_url."))
    return found, findings


def _lenient(path: Path) -> tuple[YamlDocument | None, str | None]:
    """The parsed file, or why it does not parse (as the build would word it)."""
    if not path.is_file():
        return None, None
    try:
        return read_yaml(path), None
    except StaffError as error:
        return None, str(error)
    except Exception as error:  # noqa: BLE001 - anything unreadable is reported, never a traceback
        return None, f"{path}: {error}"


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_facts(clinic: NetworkClinic, root: Path, defaults: dict[str, str]) -> tuple[ClinicFacts, list[Finding]]:
    """One clinic's identifying facts from its config and data; files that do not parse become findings."""
    facts = ClinicFacts(clinic)
    problems = []

    def broken(message: str) -> None:
        problems.append(Finding((clinic.name,), f"{clinic.name}: {from_top(message, root)}"))

    config, error = _lenient(clinic.config)
    if error:
        broken(error)
    own = config.value if config and isinstance(config.value, dict) else {}
    for key in ("site_name", "site_url"):
        value = own.get(key, defaults.get(key) if clinic.config != root / "mkdocs.yml" else None)
        if value:
            facts.identity[key] = str(value)
            facts.where[key] = (clinic.config, config.line((key,)) if config and key in own else None)
    if url := facts.identity.get("site_url"):
        facts.facts["web domain"] = urlsplit(url).hostname or ""
    data = clinic.folder / "data"
    document, error = _lenient(data / "clinic.yml")
    if error:
        broken(error)
    values = document.value if document and isinstance(document.value, dict) else {}
    address = values.get("address") if isinstance(values.get("address"), dict) else {}
    for key in ("name", "phone", "email"):
        if values.get(key):
            facts.identity[key] = str(values[key])
            facts.where[key] = (data / "clinic.yml", document.line((key,)))
    email = str(values.get("email") or "")
    facts.facts.update({"name": str(values.get("name") or ""), "short name": str(values.get("short_name") or ""),
                        "email": email, "email domain": email.split("@")[1] if "@" in email else "",
                        "street": str(address.get("street") or ""), "postal code": str(address.get("postal_code") or ""),
                        "phone": str(values.get("phone") or "")})
    document, error = _lenient(data / "reviewers.yml")
    if error:
        broken(error)
    for reviewer in document.value if document and isinstance(document.value, list) else []:
        if isinstance(reviewer, dict) and reviewer.get("name"):
            facts.reviewers.add(str(reviewer["name"]))
    document, error = _lenient(data / "conditions.yml")
    if error:
        broken(error)
    for condition in document.value if document and isinstance(document.value, list) else []:
        if isinstance(condition, dict) and condition.get("id"):
            facts.conditions[str(condition["id"])] = [str(condition[key]) for key in ("name", "also_called") if condition.get(key)]
            facts.condition_texts += [text for _, text in texts(condition)]
    for other in sorted(data.glob("*.yml")) if data.is_dir() else []:
        if other.name not in ("clinic.yml", "reviewers.yml", "conditions.yml") and (error := _lenient(other)[1]):
            broken(error)
    return facts, problems


def from_top(message: str, root: Path) -> str:
    """A message's paths from the repository's top folder, wherever the check runs from."""
    for top in {f"{root.as_posix()}/", f"{root.resolve().as_posix()}/"}:
        message = message.replace(top, "")
    return message


def normal(key: str, value: str) -> str:
    """The form two clinics' values are compared in: a phone's 10 digits, an address without its last /, any case."""
    if key == "phone":
        digits = re.sub(r"\D", "", value)
        return digits[1:] if re.fullmatch(r"1\d{10}", digits) else digits
    text = " ".join(value.split()).casefold()
    return text.rstrip("/") if key == "site_url" else text


def duplicates(network: list[ClinicFacts], root: Path) -> list[Finding]:
    """Each identity value held by more than one clinic, found through one index of every clinic's values."""
    index: dict[tuple[str, str], list[ClinicFacts]] = defaultdict(list)
    for facts in network:
        for key, value in facts.identity.items():
            index[(key, normal(key, value))].append(facts)
    found = []
    for (key, _), holders in index.items():
        for later in holders[1:]:
            first = holders[0]
            path, line = later.where[key]
            shown = _relative(path, root) + (f":{line}" if line else "")
            fix = (f"Give each clinic its own {key}." if line
                   else f"Set {key} in this file to your clinic's own (without it, it is {_relative(first.where[key][0], root)}'s).")
            found.append(Finding((first.clinic.name, later.clinic.name),
                                 f"{shown}: {key}: '{later.identity[key]}' is also the {key} of "
                                 f"{_relative(first.where[key][0], root)} ({first.clinic.name}). {fix}"))
    return found


def read_network(root: Path = ROOT) -> tuple[list[ClinicFacts], list[Finding]]:
    """Every clinic's facts, read once; the findings of files that do not parse and folders without a config."""
    clinics, findings = network_clinics(root)
    top, _ = _lenient(root / "mkdocs.yml")
    defaults = {key: str(top.value.get(key)) for key in ("site_name", "site_url")
                if top and isinstance(top.value, dict) and top.value.get(key)}
    network = []
    for clinic in clinics:
        facts, problems = read_facts(clinic, root, defaults)
        network.append(facts)
        findings += problems
    return network, findings


def all_findings(root: Path = ROOT) -> list[Finding]:
    """Every problem between the repository's clinics, each with the clinics it concerns."""
    from tools.network.ci import deploy_targets  # each clinic's deploy.yml: a wrong one is that clinic's problem

    network, findings = read_network(root)
    findings += duplicates(network, root)
    _, wrong = deploy_targets([facts.clinic for facts in network])
    return findings + [Finding((name,), f"{name}: {from_top(message, root)}") for name, message in wrong.items()]


def concerning(findings: list[Finding], clinic: str | None) -> list[str]:
    """The messages that concern `clinic` (and those that concern the repository as a whole), or every one."""
    return [finding.message for finding in findings if clinic is None or clinic in finding.clinics or not finding.clinics]


def check(root: Path = ROOT, clinic: str | None = None) -> list[str]:
    """Every problem between the repository's clinics, or only those that concern `clinic`."""
    return concerning(all_findings(root), clinic)


class LeakIndex:
    """Every clinic's identifying facts and conditions, indexed once by their normal form.

    `leaks(texts, clinic)` scans each text once with one pattern for all facts of all clinics, then looks each
    match up in the index: a match that is another clinic's fact, and not also this clinic's, is a leak.
    """

    def __init__(self, network: Iterable[ClinicFacts]) -> None:
        self.facts: dict[str, set[tuple[str, str]]] = defaultdict(set)  # normal form -> {(clinic, label)}
        self.conditions: dict[str, set[tuple[str, str, str]]] = defaultdict(set)  # normal form -> {(clinic, id, name)}
        self.treats: dict[str, set[str]] = defaultdict(set)  # clinic -> the ids of the conditions it treats
        self.owned: dict[str, set[str]] = defaultdict(set)  # clinic -> normal forms of its own facts and conditions
        self.own_words: dict[str, str] = {}  # clinic -> what its conditions.yml says, in normal form
        for clinic in network:
            name = clinic.clinic.name
            labelled = {label: value for label, value in clinic.facts.items() if value and label != "phone"}
            labelled.update({f"reviewer {reviewer}": reviewer for reviewer in clinic.reviewers})
            for label, value in labelled.items():
                self.facts[self.key(value)].add((name, label))
                self.owned[name].add(self.key(value))
            if phone := clinic.facts.get("phone"):
                self.facts[normal("phone", phone)].add((name, "phone"))
                self.owned[name].add(normal("phone", phone))
            self.own_words[name] = self.key(" | ".join(clinic.condition_texts))
            for condition_id, names in clinic.conditions.items():
                self.treats[name].add(condition_id)
                for condition in names:
                    self.conditions[self.key(condition)].add((name, condition_id, condition))
                    self.owned[name].add(self.key(condition))
        self.fact_pattern = self.pattern(self.facts, r"(?<![\w-])", r"(?![\w-])")
        self.condition_pattern = self.pattern(self.conditions, r"\b", r"\b")

    @staticmethod
    def key(text: str) -> str:
        return " ".join(text.split()).casefold()

    @staticmethod
    def pattern(index: dict[str, set], before: str, after: str) -> re.Pattern | None:
        words = sorted((key for key in index if not key.isdigit()), key=len, reverse=True)
        if not words:
            return None
        alternatives = "|".join(r"\s+".join(map(re.escape, word.split())) for word in words)
        return re.compile(f"{before}(?:{alternatives}){after}", re.IGNORECASE)

    def clinics(self) -> list[str]:
        return sorted({clinic for holders in self.facts.values() for clinic, _ in holders})

    def leaks(self, texts: dict[str, str], clinic: str, allowed: Iterable[str] = ()) -> list[str]:
        """Each other clinic's identifying fact found in this clinic's texts: '<other>'s <label> ('<text>') in <path>'."""
        mine = self.owned.get(clinic, set()) | {self.key(word) for word in allowed}
        found = []
        for path, text in texts.items():
            matches = [(self.key(m.group()), m.group()) for m in self.fact_pattern.finditer(text)] if self.fact_pattern else []
            matches += [(normal("phone", m.group()), m.group()) for m in PHONE.finditer(text)]
            for key, shown in matches:
                if key in mine:
                    continue
                for other, label in sorted(self.facts.get(key, ())):
                    if other != clinic:
                        found.append(f"{other}'s {label} ('{shown}') is in {clinic}'s {path}")
        return found

    def conditions_offered(self, texts: dict[str, str], clinic: str, allowed: Iterable[str] = ()) -> list[str]:
        """Each condition another clinic treats and this one does not (by its id or its names), found where this clinic's
        pages say what it treats.

        Words this clinic's own conditions.yml uses are its own: two clinics may treat the same condition under two
        names ("Nerve pain" at one, "Neuropathy, also called pain from damaged nerves" at the other).
        """
        mine = self.owned.get(clinic, set()) | {self.key(word) for word in allowed}
        own_words = self.own_words.get(clinic, "")
        found = []
        for path, text in texts.items():
            for match in self.condition_pattern.finditer(text) if self.condition_pattern else []:
                key = self.key(match.group())
                if key not in mine and not re.search(rf"\b{re.escape(key)}\b", own_words):
                    found += [f"{clinic}'s {path} offers {other}'s condition {condition_id} ({name}), which {clinic} does not treat"
                              for other, condition_id, name in sorted(self.conditions.get(key, ()))
                              if other != clinic and condition_id not in self.treats[clinic]]
        return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinic", help="report only the problems that concern this clinic (its folder's name)")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    problems = check(args.root, args.clinic)
    clinics, _ = network_clinics(args.root)
    for problem in problems:
        print(problem)
    scope = f"clinic {args.clinic}" if args.clinic else f"{len(clinics)} clinics"
    print(f"network check ({scope}): {len(problems) or 'no'} problem{'s' if len(problems) != 1 else ''}",
          file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""jsonld.py: one JSON-LD document per page, from each clinic's data and the page's record; and on the built sites."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from conftest import ROOT, built_path, html_pages
from selectolax.lexbor import LexborHTMLParser

from clinic_site import render
from clinic_site.jsonld import medical_clinic, page_graph, to_script_json
from clinic_site.pages.front_matter import PageMeta
from clinic_site.pages.record import PageRecord
from clinic_site.schema import PAYMENT_METHOD_NAMES

TEMPLATES = render.fragments(ROOT / "overrides" / "fragments")
SITE_URL = "https://clinic.example/"


def record(data, src_uri: str, health: bool = True, **changes) -> PageRecord:
    meta = PageMeta(title="T & t", description="D with *emphasis*.", audience="clinicians" if health else None, health_page=health)
    page = PageRecord(src_uri, Path("docs") / src_uri, meta, 1, "", **changes)
    if health:
        page.review = data.reviews[0]
    page.citations = render.Citations(data.reference, TEMPLATES)
    return page


def graph_of(data, page: PageRecord) -> list[dict]:
    document = page_graph(data, page, url=SITE_URL + "x/", site_name="S", site_url=SITE_URL, today=date(2026, 11, 22))
    assert document["@context"] == "https://schema.org"
    return document["@graph"]


def types(node: dict) -> list[str]:
    return node["@type"] if isinstance(node["@type"], list) else [node["@type"]]


def test_a_health_page_is_a_medical_web_page_with_its_clinics_review_and_its_citations(clinic_data):
    data = clinic_data
    page = record(data, "comparison.md")
    page.citations.cite(data.references[0].id, data.references[-1].id)
    (node,) = graph_of(data, page)
    reviewer = data.reviewer(data.reviews[0].reviewed_by[0])
    assert node["@type"] == "MedicalWebPage" and node["name"] == "T & t" and node["description"] == "D with emphasis."
    assert node["lastReviewed"] == data.reviews[0].last_reviewed.isoformat()
    assert node["reviewedBy"][0]["name"] == reviewer.name and node["reviewedBy"][0]["hasCredential"]["name"] == reviewer.credentials
    assert [person["name"] for person in node["reviewedBy"]] == [data.reviewer(i).name for i in data.reviews[0].reviewed_by]
    assert node["medicalAudience"] == {"@type": "MedicalAudience", "audienceType": "Clinician"}
    assert [c["url"] for c in node["citation"]] == [data.references[0].link, data.references[-1].link]


def test_other_pages_faq_clinic_and_therapy(clinic_data):
    data = clinic_data
    (plain,) = graph_of(data, record(data, "costs.md", health=False))
    assert plain["@type"] == "WebPage" and "lastReviewed" not in plain
    faq = record(data, "faq.md", faq=[("Q & A?", "Say **bold** [link](x.md) & more.\n\n- one\n- two")])
    (node,) = graph_of(data, faq)
    assert types(node) == ["MedicalWebPage", "FAQPage"]
    assert node["mainEntity"] == [{"@type": "Question", "name": "Q & A?",
                                   "acceptedAnswer": {"@type": "Answer", "text": "Say bold link & more. one two"}}]
    _, clinic = graph_of(data, record(data, "contact.md", health=False))
    assert clinic["@type"] == "MedicalClinic" and clinic["telephone"] == data.clinic.phone_e164
    home = graph_of(data, record(data, "index.md"))
    assert [types(node)[0] for node in home[:3]] == ["MedicalWebPage", "MedicalClinic", "MedicalTherapy"]
    therapy, conditions = home[2], home[3:]
    assert [c["name"] for c in conditions] == [c.name for c in data.conditions]
    assert all(c["@type"] == "MedicalCondition" and c["possibleTreatment"] == {"@id": therapy["@id"]} for c in conditions)
    assert all("Off-label use" in c["description"] for c in conditions), "no condition may read as an approved use"
    assert "ApprovedIndication" not in json.dumps(home)
    assert therapy["drug"]["legalStatus"]["name"] == data.treatment.legal_status


def test_the_clinic_from_its_data(clinic_data):
    data = clinic_data
    clinic, address = medical_clinic(data, SITE_URL, date(2026, 11, 22)), data.clinic.address
    assert clinic["name"] == data.clinic.name and clinic["email"] == data.clinic.email
    assert clinic["address"]["streetAddress"] == address.street and clinic["address"]["postalCode"] == address.postal_code
    assert [(h["dayOfWeek"], h["opens"]) for h in clinic["openingHoursSpecification"]] == [
        (list(h.days), f"{h.opens:%H:%M}") for h in data.clinic.hours]
    assert clinic["medicalSpecialty"] == sorted({data.category(c.category).specialty for c in data.conditions})
    for method in data.clinic.payment.methods:
        assert PAYMENT_METHOD_NAMES[method] in clinic["paymentAccepted"]
    assert clinic.get("knowsLanguage", []) == list(data.clinic.languages)
    assert bool(clinic.get("amenityFeature")) == bool(data.clinic.access)
    upcoming = render.upcoming_closures(data.clinic.closures, date(2026, 11, 22))
    assert len(clinic.get("specialOpeningHoursSpecification", [])) == len(upcoming)
    geo = data.clinic.address.geo
    assert clinic.get("geo") == (geo and {"@type": "GeoCoordinates", "latitude": geo.latitude, "longitude": geo.longitude})
    amounts = [p.amount for p in data.clinic.prices if p.amount is not None]
    if amounts:
        assert clinic["priceRange"].startswith(f"${min(amounts):,}") and clinic["priceRange"].endswith(f"${max(amounts):,}")
    else:
        assert "priceRange" not in clinic
    assert clinic["image"] == SITE_URL + "assets/previews/index.png"


def test_script_json_cannot_close_the_script_element():
    text = to_script_json({"name": "</script><script>alert(1)</script>"})
    assert "</" not in text and json.loads(text)["name"] == "</script><script>alert(1)</script>"


# The built sites: every page has one document; the facts in it are the clinic's.

def scripts_by_page(site: Path) -> dict[str, list[dict]]:
    return {page.relative_to(site).as_posix(): [json.loads(s.text()) for s in
                                               LexborHTMLParser(page.read_text()).css('script[type="application/ld+json"]')]
            for page in html_pages(site)}


def test_every_page_has_one_document_with_the_clinics_own_facts(clinic):
    found = scripts_by_page(clinic.site_dir)
    reviews = {page: review for review in clinic.data.reviews for page in review.pages}
    seen = set()
    for name, scripts in found.items():
        if name == "404.html":
            assert scripts == []
            continue
        assert len(scripts) == 1, f"{name} has {len(scripts)} JSON-LD scripts"
        graph = scripts[0]["@graph"]
        page = graph[0]
        assert page["url"] == page["@id"] and page["url"].startswith(clinic.site_url), name
        source = next((uri for uri in reviews if built_path(uri) == name), None)
        if source:
            review = reviews[source]
            assert page["lastReviewed"] == review.last_reviewed.isoformat(), name
            assert [p["name"] for p in page["reviewedBy"]] == [clinic.data.reviewer(i).name for i in review.reviewed_by], name
            cited = LexborHTMLParser((clinic.site_dir / name).read_text()).css("ol.sources li")
            assert [c["url"] for c in page["citation"]] == [li.css_first("a").attributes["href"] for li in cited], name
        for node in graph:
            seen.update(types(node))
            if "MedicalClinic" in types(node):
                assert node["name"] == clinic.data.clinic.name and node["telephone"] == clinic.data.clinic.phone_e164
            if "FAQPage" in types(node):
                for question in node["mainEntity"]:
                    answer = question["acceptedAnswer"]["text"]
                    assert answer and "{{" not in answer and "<" not in answer and "**" not in answer, question["name"]
    assert seen >= {"MedicalWebPage", "WebPage", "MedicalClinic", "MedicalTherapy", "FAQPage"}


# Every property checked against schema.org's own vocabulary: the schema-dts typings (generated from
# schema.org's definitions) and TypeScript's check of object literals, which refuses a property a type
# does not define, such as "indication" on a MedicalTherapy.

def typescript_check(documents: dict[str, list[dict]]) -> str:
    """A TypeScript module with one typed constant per JSON-LD node of each page."""
    lines = [f'import type * as schema from "{ROOT / "node_modules" / "schema-dts"}";']
    for number, (page, graph) in enumerate(sorted(documents.items())):
        for index, node in enumerate(graph):
            name = f"page{number}_node{index}"
            if isinstance(node["@type"], list):  # one node of two types: each property must belong to one of them
                rest = {key: value for key, value in node.items() if key != "@type"}
                kind = " | ".join(f'Omit<schema.{t}Leaf, "@type">' for t in node["@type"])
                lines.append(f"// {page}\nexport const {name}: {kind} = {json.dumps(rest, ensure_ascii=False)};")
            else:
                lines.append(f"// {page}\nexport const {name}: schema.Thing = {json.dumps(node, ensure_ascii=False)};")
    return "\n".join(lines) + "\n"


def schema_org_problems(documents: dict[str, list[dict]], folder: Path) -> list[str]:
    source = folder / "jsonld_check.ts"
    source.write_text(typescript_check(documents), encoding="utf-8")
    tsc = ROOT / "node_modules" / "typescript" / "bin" / "tsc"
    run = subprocess.run(["node", str(tsc), "--noEmit", "--strict", "--target", "es2022", "--moduleResolution", "node",
                          str(source)], capture_output=True, text=True, timeout=300)
    if run.returncode == 0:
        return []
    lines = source.read_text(encoding="utf-8").splitlines()
    problems = []
    for message in run.stdout.splitlines():
        if match := re.match(r".*jsonld_check\.ts\((\d+),\d+\): error TS\d+: (.*)", message):
            page = lines[int(match[1]) - 2].removeprefix("// ")
            problems.append(f"{page}: {match[2]}")
        elif problems:
            problems[-1] += " " + message.strip()
    return problems or [run.stdout + run.stderr]


def test_the_vocabulary_check_refuses_a_property_schema_org_does_not_define(tmp_path):
    wrong = {"x.html": [{"@type": "MedicalTherapy", "name": "IV ketamine",
                         "indication": [{"@type": "MedicalIndication", "name": "Depression"}]},
                        {"@type": ["MedicalWebPage", "FAQPage"], "name": "FAQ", "openingHours": "Mo-Fr"}]}
    problems = schema_org_problems(wrong, tmp_path)
    assert len(problems) == 2, problems
    assert "'\"indication\"' does not exist" in problems[0] and "'\"openingHours\"' does not exist" in problems[1]


@pytest.mark.default_clinic  # the same code writes every clinic's documents; TypeScript takes a few seconds a run
def test_every_json_ld_property_is_schema_orgs(clinic, tmp_path):
    documents = {page: scripts[0]["@graph"] for page, scripts in scripts_by_page(clinic.site_dir).items() if scripts}
    assert documents
    assert schema_org_problems(documents, tmp_path) == []

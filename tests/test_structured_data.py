"""JSON-LD: one script per page, the right schema.org types, each with its key properties from the data."""

import html
import json
import re
from datetime import date

import yaml
from selectolax.lexbor import LexborHTMLParser

from clinic_data import load_clinic_data
from conftest import ROOT, html_pages
from structured_data import cited_ids, faq_entities, medical_clinic, page_graph, to_script_json

DATA = load_clinic_data([ROOT / "data" / "common", ROOT / "data" / "clinic-a"])
SITE_URL = "https://harborinfusion.example/"
HEALTH_META = {"reviewed_by": "psychiatry-lead", "last_reviewed": date(2026, 11, 15), "next_review": date(2027, 5, 15), "audience": "clinicians"}


def graph_for(src_uri: str, meta: dict, content: str = "") -> list[dict]:
    document = page_graph(
        DATA, src_uri=src_uri, meta=meta, url=SITE_URL + src_uri.removesuffix(".md") + "/", title="T", description="D",
        content=content, site_name="Harbor", site_url=SITE_URL,
    )
    assert document["@context"] == "https://schema.org"
    return document["@graph"]


def types(node: dict) -> list[str]:
    return node["@type"] if isinstance(node["@type"], list) else [node["@type"]]


def nodes_of(graph: list[dict], kind: str) -> list[dict]:
    return [node for node in graph if kind in types(node)]


def test_health_page_is_a_medical_web_page_with_review_and_citations():
    content = '<ol class="sources">\n<li id="source-elekt-d-2023">x</li>\n<li id="source-lifeline-988">y</li></ol>'
    (page,) = graph_for("comparison.md", HEALTH_META, content)
    assert page["@type"] == "MedicalWebPage"
    assert page["lastReviewed"] == "2026-11-15"
    assert page["reviewedBy"]["name"] == "Dr. Samuel Okafor"
    assert page["reviewedBy"]["hasCredential"]["name"] == "MD, board-certified psychiatrist"
    assert page["about"]["@type"] == "MedicalTherapy"
    assert page["medicalAudience"] == {"@type": "MedicalAudience", "audienceType": "Clinician"}
    assert [c["name"] for c in page["citation"]] == [DATA.reference("elekt-d-2023").title, DATA.reference("lifeline-988").title]
    assert page["citation"][0]["identifier"]["value"] == "10.1056/NEJMoa2302399"
    assert page["citation"][1]["@type"] == "CreativeWork" and page["citation"][1]["url"] == "https://988lifeline.org/"


def test_non_health_page_is_a_plain_web_page():
    (page,) = graph_for("costs.md", {"health_page": False})
    assert page["@type"] == "WebPage" and "lastReviewed" not in page


def test_contact_page_describes_the_clinic():
    page, clinic = graph_for("contact.md", {"health_page": False})
    assert clinic["@type"] == "MedicalClinic"


def test_medical_clinic_from_the_data():
    clinic = medical_clinic(DATA.clinic, DATA.conditions, SITE_URL)
    assert clinic["name"] == "Harbor Infusion Clinic"
    assert clinic["telephone"] == "+12085550147"
    assert clinic["address"] == {
        "@type": "PostalAddress", "streetAddress": "410 Cedar Street, Suite 200", "addressLocality": "Boise",
        "addressRegion": "ID", "postalCode": "83702", "addressCountry": "US",
    }
    assert clinic["openingHoursSpecification"] == [{
        "@type": "OpeningHoursSpecification", "dayOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
        "opens": "08:00", "closes": "17:00",
    }]
    assert clinic["medicalSpecialty"] == ["Anesthesia", "Psychiatric"]
    assert clinic["availableService"][0]["@type"] == "MedicalTherapy"


def test_home_page_has_web_page_clinic_and_therapy():
    graph = graph_for("index.md", HEALTH_META)
    assert [types(node)[0] for node in graph] == ["MedicalWebPage", "MedicalClinic", "MedicalTherapy"]
    therapy = graph[2]
    assert therapy["drug"]["name"] == "Ketamine" and therapy["drug"]["administrationRoute"] == "intravenous"
    assert [i["name"] for i in therapy["indication"]] == [c.name for c in DATA.conditions]
    assert therapy["contraindication"] == [rule.text for rule in DATA.screening]
    assert {e["name"] for e in therapy["adverseOutcome"] + therapy["seriousAdverseOutcome"]} == {e.name for e in DATA.side_effects}


def faq_html(entries) -> str:
    """What the FAQ page's expanders look like once built (macros.render_faq, then Markdown)."""
    return "\n".join(f'<details class="faq" id="{entry.id}">\n<summary>{html.escape(entry.question)}</summary>\n'
                     f"<p>{html.escape(entry.answer)}</p>\n</details>" for entry in entries)


def test_faq_answers_are_rendered_plain_text():
    (entry, *_) = faq_entities(faq_html(DATA.faq))
    assert entry["@type"] == "Question" and entry["name"] == DATA.faq[0].question
    entities = faq_entities(
        '<details class="faq" id="x">\n<summary>Q &amp; A?</summary>\n<p>Say <strong>bold</strong> '
        '<a href="https://a.example">link</a> &amp; more.<sup class="cite">[<a href="#source-x">1</a>]</sup></p>\n'
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n</details>"
    )
    assert entities[0]["name"] == "Q & A?"
    assert entities[0]["acceptedAnswer"] == {"@type": "Answer", "text": "Say bold link & more. one two"}


def test_faq_page_is_also_a_faq_page():
    (page,) = graph_for("faq.md", HEALTH_META, faq_html(DATA.faq))
    assert types(page) == ["MedicalWebPage", "FAQPage"]
    assert len(page["mainEntity"]) == len(DATA.faq)


def test_script_json_cannot_close_the_script_element():
    text = to_script_json({"name": "</script><script>alert(1)</script>"})
    assert "</" not in text and json.loads(text)["name"] == "</script><script>alert(1)</script>"


def test_cited_ids_in_source_list_order():
    assert cited_ids('<li id="source-b-2">x</li><li id="source-a-1">y</li>') == ["b-2", "a-1"]


# The built site: parse every script on every page.

def front_matter(source: str) -> dict:
    match = re.match(r"^---\n(.*?\n)---\n", (ROOT / "docs" / source).read_text(encoding="utf-8"), re.DOTALL)
    return yaml.safe_load(match.group(1))


def scripts_by_page(site) -> dict[str, list[dict]]:
    found = {}
    for page in html_pages(site):
        name = page.relative_to(site).as_posix()
        scripts = LexborHTMLParser(page.read_text()).css('script[type="application/ld+json"]')
        found[name] = [json.loads(script.text()) for script in scripts]
    return found


def source_of(built: str) -> str:
    return "index.md" if built == "index.html" else built.removesuffix("/index.html") + ".md"


def test_every_page_has_exactly_one_json_ld_script(site):
    for name, scripts in scripts_by_page(site).items():
        if name == "404.html":
            assert scripts == []
            continue
        assert len(scripts) == 1, f"{name} has {len(scripts)} JSON-LD scripts"
        assert scripts[0]["@context"] == "https://schema.org"


def test_each_type_has_its_key_properties_on_the_built_site(site):
    seen = set()
    for name, scripts in scripts_by_page(site).items():
        if name == "404.html":
            continue
        graph = scripts[0]["@graph"]
        source = source_of(name) if (ROOT / "docs" / source_of(name)).exists() else source_of(name).replace(".md", "/index.md")
        meta = front_matter(source)
        page = graph[0]
        assert page["url"] == page["@id"] and page["url"].startswith(SITE_URL), name
        if meta.get("health_page") is False:
            assert types(page)[0] == "WebPage", name
        else:
            assert types(page)[0] == "MedicalWebPage", name
            assert page["lastReviewed"] == meta["last_reviewed"].isoformat(), name
            assert page["reviewedBy"]["name"] == DATA.reviewer(meta["reviewed_by"]).name, name
            assert page["about"]["name"] == "IV ketamine infusion therapy", name
            assert page["medicalAudience"]["audienceType"] in ("Patient", "Clinician"), name
            cited = LexborHTMLParser((site / name).read_text()).css("ol.sources li")
            assert [c["url"] for c in page["citation"]] == [li.css_first("a").attributes["href"] for li in cited], name
        for node in graph:
            seen.update(types(node))
        for clinic in nodes_of(graph, "MedicalClinic"):
            assert source in ("index.md", "contact.md"), name
            for key in ("name", "address", "telephone", "openingHoursSpecification", "medicalSpecialty", "availableService"):
                assert clinic[key], f"{name}: MedicalClinic has no {key}"
        for therapy in nodes_of(graph, "MedicalTherapy"):
            assert source == "index.md", name
            assert therapy["drug"]["name"] == "Ketamine" and therapy["indication"], name
        for faq in nodes_of(graph, "FAQPage"):
            assert source == "faq.md", name
            questions = faq["mainEntity"]
            assert [q["name"] for q in questions] == [entry.question for entry in DATA.faq], name
            for question in questions:
                answer = question["acceptedAnswer"]["text"]
                assert answer and "{{" not in answer and "<" not in answer and "**" not in answer, question["name"]
    assert seen >= {"MedicalWebPage", "WebPage", "MedicalClinic", "MedicalTherapy", "FAQPage"}

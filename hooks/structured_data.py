"""One JSON-LD script per page (schema.org), built from the clinic data and the page's front matter.

- every health page: a MedicalWebPage with lastReviewed, reviewedBy, about, medicalAudience and
  citation (the sources the page cites);
- other pages: a plain WebPage;
- the home page and the contact page also describe the clinic (MedicalClinic);
- the home page, the overview of the treatment, also describes the therapy (MedicalTherapy);
- the FAQ page is also a FAQPage: each question and its answer as plain text, read from the page's
  own rendered expanders (macros.render_faq), so the answers are rendered once.

Each builder is a pure function from data to a dict; `on_page_context` hands the JSON to
partials/structured-data.html. JSON-LD is data, not script: a Content-Security-Policy does not block it.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from clinic_data import ClinicData, data_for_config
from review import is_health_page, parse_date
from schema import Clinic, Condition, Reference, Reviewer

THERAPY_NAME = "IV ketamine infusion therapy"
SPECIALTIES = {"pain": "Anesthesia", "mental-health": "Psychiatric"}  # schema.org MedicalSpecialty values
AUDIENCE_TYPES = {"patients": "Patient", "clinicians": "Clinician"}
CLINIC_PAGES = ("index.md", "contact.md")
THERAPY_PAGE = "index.md"
FAQ_PAGE = "faq.md"
SOURCE_ID = re.compile(r'<li id="source-([a-z0-9-]+)"')
FAQ_ITEM = re.compile(r'<details class="faq"[^>]*>\s*<summary>(.*?)</summary>(.*?)</details>', re.DOTALL)
CITATION_MARK = re.compile(r'<sup class="cite">.*?</sup>', re.DOTALL)


def therapy_ref(site_url: str) -> dict:
    return {"@type": "MedicalTherapy", "@id": f"{site_url}#therapy", "name": THERAPY_NAME}


def specialties(conditions: Iterable[Condition]) -> list[str]:
    return sorted({SPECIALTIES[condition.category] for condition in conditions})


def medical_clinic(clinic: Clinic, conditions: Sequence[Condition], site_url: str) -> dict:
    address = clinic.address
    return {
        "@type": "MedicalClinic",
        "@id": f"{site_url}#clinic",
        "name": clinic.name,
        "url": site_url,
        "telephone": clinic.phone_e164,
        "email": clinic.email,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": address.street,
            "addressLocality": address.city,
            "addressRegion": address.region,
            "postalCode": address.postal_code,
            "addressCountry": address.country,
        },
        "openingHoursSpecification": [
            {"@type": "OpeningHoursSpecification", "dayOfWeek": list(hours.days),
             "opens": f"{hours.opens:%H:%M}", "closes": f"{hours.closes:%H:%M}"}
            for hours in clinic.hours
        ],
        "medicalSpecialty": specialties(conditions),
        "availableService": [therapy_ref(site_url)],
        "areaServed": [{"@type": "State", "name": state} for state in clinic.states_served],
    }


def medical_therapy(data: ClinicData, site_url: str) -> dict:
    def entities(effects, kind):
        return [{"@type": "MedicalEntity", "name": e.name} for e in effects if e.kind == kind]

    return {
        **therapy_ref(site_url),
        "drug": {"@type": "Drug", "name": "Ketamine", "nonProprietaryName": "ketamine", "administrationRoute": "intravenous"},
        "indication": [{"@type": "MedicalIndication", "name": condition.name} for condition in data.conditions],
        "contraindication": [rule.text for rule in data.screening],
        "adverseOutcome": entities(data.side_effects, "common"),
        "seriousAdverseOutcome": entities(data.side_effects, "serious"),
        "relevantSpecialty": specialties(data.conditions),
    }


def citation(reference: Reference) -> dict:
    work = {
        "@type": "ScholarlyArticle" if reference.doi else "CreativeWork",
        "name": reference.title,
        "author": reference.authors,
        "datePublished": str(reference.year),
        "isPartOf": {"@type": "CreativeWork", "name": reference.source},
        "url": reference.link,
    }
    if reference.doi:
        work["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": reference.doi}
    return work


def person(reviewer: Reviewer) -> dict:
    return {
        "@type": "Person",
        "name": reviewer.name,
        "jobTitle": reviewer.role,
        "hasCredential": {"@type": "EducationalOccupationalCredential", "name": reviewer.credentials},
    }


def web_page(url: str, title: str, description: str, site_name: str, site_url: str) -> dict:
    return {
        "@type": "WebPage",
        "@id": url,
        "url": url,
        "name": title,
        "description": description,
        "inLanguage": "en-US",
        "isPartOf": {"@type": "WebSite", "name": site_name, "url": site_url},
    }


def medical_web_page(page: dict, meta: dict, reviewer: Reviewer, cited: Sequence[Reference], site_url: str) -> dict:
    """`page` is web_page()'s dict; the review facts come from the front matter checked by review.py."""
    return {
        **page,
        "@type": "MedicalWebPage",
        "lastReviewed": parse_date(meta["last_reviewed"], page["url"], "last_reviewed").isoformat(),
        "reviewedBy": person(reviewer),
        "about": therapy_ref(site_url),
        "medicalAudience": {"@type": "MedicalAudience", "audienceType": AUDIENCE_TYPES[meta["audience"]]},
        "citation": [citation(reference) for reference in cited],
    }


def html_to_text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def faq_entities(content: str) -> list[dict]:
    """Questions with plain-text answers, from the FAQ page's rendered <details class="faq"> expanders."""
    return [
        {"@type": "Question", "name": html_to_text(question),
         "acceptedAnswer": {"@type": "Answer", "text": html_to_text(CITATION_MARK.sub("", answer))}}
        for question, answer in FAQ_ITEM.findall(content)
    ]


def cited_ids(content: str) -> list[str]:
    """The ids in the page's source list (macros.render_source_list), in the order they are numbered."""
    return SOURCE_ID.findall(content)


def page_graph(
    data: ClinicData, *, src_uri: str, meta: dict, url: str, title: str, description: str, content: str,
    site_name: str, site_url: str,
) -> dict:
    """Everything the page says about itself, as one JSON-LD document."""
    node = web_page(url, title, description, site_name, site_url)
    if is_health_page(meta, src_uri):
        cited = [data.reference(reference_id) for reference_id in cited_ids(content)]
        node = medical_web_page(node, meta, data.reviewer(meta["reviewed_by"]), cited, site_url)
    if src_uri == FAQ_PAGE:
        node["@type"] = [node["@type"], "FAQPage"]
        node["mainEntity"] = faq_entities(content)
    graph = [node]
    if src_uri in CLINIC_PAGES:
        graph.append(medical_clinic(data.clinic, data.conditions, site_url))
    if src_uri == THERAPY_PAGE:
        graph.append(medical_therapy(data, site_url))
    return {"@context": "https://schema.org", "@graph": graph}


def to_script_json(document: dict) -> str:
    """JSON that is safe inside <script>: no '<' can close the element early."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def on_page_context(context: dict, *, page: Page, config: MkDocsConfig, nav) -> dict:
    document = page_graph(
        data_for_config(config),
        src_uri=page.file.src_uri,
        meta=page.meta,
        url=page.canonical_url,
        title=page.meta.get("title") or page.title or config.site_name,
        description=page.meta.get("description") or config.site_description,
        content=page.content or "",
        site_name=config.site_name,
        site_url=config.site_url,
    )
    context["structured_data"] = to_script_json(document)
    return context

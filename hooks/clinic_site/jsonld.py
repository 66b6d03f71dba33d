"""One JSON-LD document per page (schema.org), built from the clinic data and the page's record.

- every health page: a MedicalWebPage with lastReviewed and reviewedBy (from the clinic's review
  record), about, medicalAudience and citation (the sources the page's macros cited);
- other pages: a plain WebPage;
- the home page and the contact page also describe the clinic (MedicalClinic);
- the home page also describes the therapy (MedicalTherapy) and each condition the clinic treats
  (MedicalCondition, whose possibleTreatment is the therapy). Its uses are off-label, so each condition
  says so, and the drug's legalStatus says what the FDA approved. schema.org's ApprovedIndication would
  claim approval and MedicalGuidelineRecommendation a sound guideline, so neither is used, and the
  evidence levels stay on the conditions page;
- the FAQ page is also a FAQPage: each question with its answer as plain text, as the page's
  macros rendered it (the record), so nothing is read back out of the HTML.

JSON-LD is data, not script: a Content-Security-Policy does not block it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date

from .data.load import ClinicData
from .pages.record import PageRecord
from .previews import preview_path
from .render import upcoming_closures
from .schema import PAYMENT_METHOD_NAMES, Clinic, Reference, Reviewer
from .text import plain_text

AUDIENCE_TYPES = {"patients": "Patient", "clinicians": "Clinician"}
CLINIC_PAGES = ("index.md", "contact.md")
THERAPY_PAGE = "index.md"


def therapy_ref(data: ClinicData, site_url: str) -> dict:
    return {"@type": "MedicalTherapy", "@id": f"{site_url}#therapy", "name": data.treatment.name}


def specialties(data: ClinicData) -> list[str]:
    return sorted({data.category(condition.category).specialty for condition in data.conditions})


def medical_clinic(data: ClinicData, site_url: str, today: date) -> dict:
    clinic: Clinic = data.clinic
    address = clinic.address
    node = {
        "@type": "MedicalClinic",
        "@id": f"{site_url}#clinic",
        "name": clinic.name,
        "url": site_url,
        "telephone": clinic.phone_e164,
        "email": clinic.email,
        "address": {
            "@type": "PostalAddress", "streetAddress": address.street, "addressLocality": address.city,
            "addressRegion": address.region, "postalCode": address.postal_code, "addressCountry": address.country,
        },
        "openingHoursSpecification": [
            {"@type": "OpeningHoursSpecification", "dayOfWeek": list(hours.days),
             "opens": f"{hours.opens:%H:%M}", "closes": f"{hours.closes:%H:%M}"}
            for hours in clinic.hours
        ],
        "medicalSpecialty": specialties(data),
        "availableService": [therapy_ref(data, site_url)],
        "areaServed": [{"@type": "State", "name": state} for state in clinic.states_served],
        "paymentAccepted": ", ".join(PAYMENT_METHOD_NAMES[method] for method in clinic.payment.methods),
        "image": site_url + preview_path(THERAPY_PAGE),
    }
    if address.geo:
        node["geo"] = {"@type": "GeoCoordinates", "latitude": address.geo.latitude, "longitude": address.geo.longitude}
    amounts = sorted(price.amount for price in clinic.prices if price.amount is not None)
    if amounts:
        node["priceRange"] = f"${amounts[0]:,}" if amounts[0] == amounts[-1] else f"${amounts[0]:,}–${amounts[-1]:,}"
    closed = upcoming_closures(clinic.closures, today)
    if closed:  # closed all day: opens and closes at midnight (schema.org's own example)
        node["specialOpeningHoursSpecification"] = [
            {"@type": "OpeningHoursSpecification", "validFrom": c.first_day.isoformat(), "validThrough": c.until.isoformat(),
             "opens": "00:00", "closes": "00:00"} for c in closed]
    if clinic.languages:
        node["knowsLanguage"] = list(clinic.languages)
    if clinic.access:
        features = [{"@type": "LocationFeatureSpecification", "name": "Step-free entrance", "value": clinic.access.step_free}]
        if clinic.access.parking:
            features.append({"@type": "LocationFeatureSpecification", "name": "Parking", "value": True,
                             "description": clinic.access.parking})
        node["amenityFeature"] = features
    return node


def medical_therapy(data: ClinicData, site_url: str) -> dict:
    def entities(kind: str) -> list[dict]:
        return [{"@type": "MedicalEntity", "name": e.name} for e in data.side_effects if e.kind == kind]

    return {
        **therapy_ref(data, site_url),
        "drug": {"@type": "Drug", "name": data.treatment.drug, "nonProprietaryName": data.treatment.drug.lower(),
                 "administrationRoute": "intravenous",
                 "legalStatus": {"@type": "DrugLegalStatus", "name": data.treatment.legal_status}},
        # A rule the doctor weighs for each person (bipolar disorder) is not a flat contraindication.
        "contraindication": [plain_text(rule.text) for rule in data.screening if not rule.case_by_case],
        "adverseOutcome": entities("common"),
        "seriousAdverseOutcome": entities("serious"),
        "relevantSpecialty": specialties(data),
    }


def treated_conditions(data: ClinicData, site_url: str) -> list[dict]:
    """Each condition the clinic treats, with the therapy as a possible treatment, marked off-label."""
    off_label = f"Off-label use: the FDA has not approved {data.treatment.drug.lower()} for this condition."
    return [{"@type": "MedicalCondition", "name": condition.name, "description": off_label,
             "possibleTreatment": {"@id": f"{site_url}#therapy"}} for condition in data.conditions]


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
    return {"@type": "Person", "name": reviewer.name, "jobTitle": reviewer.role,
            "hasCredential": {"@type": "EducationalOccupationalCredential", "name": reviewer.credentials}}


def web_page(url: str, title: str, description: str, site_name: str, site_url: str) -> dict:
    return {"@type": "WebPage", "@id": url, "url": url, "name": title, "description": description, "inLanguage": "en-US",
            "isPartOf": {"@type": "WebSite", "name": site_name, "url": site_url}}


def page_graph(data: ClinicData, record: PageRecord, *, url: str, site_name: str, site_url: str, today: date) -> dict:
    """Everything the page says about itself, as one JSON-LD document."""
    meta = record.meta
    node = web_page(url, meta.title, plain_text(meta.description), site_name, site_url)
    if record.review is not None:
        cited: Sequence[Reference] = record.citations.cited if record.citations else ()
        node.update({
            "@type": "MedicalWebPage",
            "lastReviewed": record.review.last_reviewed.isoformat(),
            "reviewedBy": [person(data.reviewer(reviewer_id)) for reviewer_id in record.review.reviewed_by],
            "about": therapy_ref(data, site_url),
            "medicalAudience": {"@type": "MedicalAudience", "audienceType": AUDIENCE_TYPES[meta.audience]},
            "citation": [citation(reference) for reference in cited],
        })
    if record.faq:
        node["@type"] = [node["@type"], "FAQPage"]
        node["mainEntity"] = [{"@type": "Question", "name": question,
                               "acceptedAnswer": {"@type": "Answer", "text": plain_text(answer)}}
                              for question, answer in record.faq]
    graph = [node]
    if record.src_uri in CLINIC_PAGES:
        graph.append(medical_clinic(data, site_url, today))
    if record.src_uri == THERAPY_PAGE:
        graph.append(medical_therapy(data, site_url))
        graph.extend(treated_conditions(data, site_url))
    return {"@context": "https://schema.org", "@graph": graph}


def to_script_json(document: dict) -> str:
    """JSON that is safe inside <script>: no '<' can close the element early."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")

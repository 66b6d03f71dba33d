"""One protocol per clinic, rendered the same everywhere, and what a course costs (issue 24, items 2 to 4).

Expected facts come from each clinic's own data (policies.plans, prices, eligibility). One test changes the
plans and prices in a copy of the project and sees every page that describes a course follow. Mistakes in the
plan data stop with one staff-facing message, tried on a copy of the tiny fixture project.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import FIXTURES, build, copy_project
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from clinic_site import plans
from clinic_site.data.load import ClinicData, load_clinic_data
from clinic_site.errors import StaffError

# The pages that describe a course: each must show every plan the same way.
PLAN_PAGES = ("your-session/index.html", "referrals/index.html", "faq/index.html")
COST_PAGE = "costs/index.html"


def text_of(site: Path, page: str) -> str:
    article = HTMLParser((site / page).read_text(encoding="utf-8")).css_first("article")
    return " ".join(article.text(separator=" ").split())


def plain(markdown: str) -> str:
    """The words a Markdown snippet shows: no emphasis marks, no citation marks."""
    return " ".join(re.sub(r"\*\*|<[^>]+>", "", markdown).split())


def no_cite(*_ids: str) -> str:
    return ""


def expected_plan_lines(data: ClinicData, audience: str) -> list[str]:
    """What each plan must say, from the data, as a reader sees it."""
    lines = []
    for plan in data.clinic.policies.plans:
        lines.append(plans.duration(plan.infusion_minutes_min, plan.infusion_minutes_max))
        lines.append(plain(plans.how_many(plan, audience)))
        lines.append(plain(plans.upper_first(plan.spacing)))
        lines.append(plain(plans.premedication_text(plan, audience)))
    return lines


# The data: each clinic has a plan for every group of conditions it treats, and a course adds up.

def test_every_group_a_clinic_treats_has_one_plan(clinic_data):
    data = clinic_data
    treated = {condition.category for condition in data.conditions}
    planned = [plan.category for plan in data.clinic.policies.plans]
    assert treated <= set(planned) and len(planned) == len(set(planned)), (treated, planned)


def test_a_course_adds_up_from_the_price_list(clinic_data):
    data = clinic_data
    prices = {price.id: price.amount for price in data.clinic.prices}
    for plan in data.clinic.policies.plans:
        cost = plans.course_cost(data, plan)
        once = [prices[price_id] for price_id in plan.cost.once]
        if plan.most_infusions is None:
            assert cost.total is None, "a plan set per patient has no total"
            continue
        else:
            first = prices[plan.cost.first_infusion or plan.cost.each_infusion]
            parts = once + [first] + [prices[plan.cost.each_infusion]] * (plan.most_infusions - 1)
        assert cost.total == (None if None in parts else sum(parts))
        if plan.trial and None not in parts:
            first = prices[plan.cost.first_infusion or plan.cost.each_infusion]
            assert cost.trial_total == sum(once) + first + prices[plan.cost.each_infusion] * (plan.trial.infusions - 1)


def test_durations_read_as_people_say_them():
    assert plans.duration(40, 40) == "about 40 minutes"
    assert plans.duration(40, 60) == "40 to 60 minutes"
    assert plans.duration(120, 240) == "2 to 4 hours"
    assert plans.duration(90, 150) == "90 to 150 minutes"


# The built pages: every page that describes a course says the same about each plan.

def test_every_page_about_a_course_shows_each_plan_the_same_way(clinic, site):
    data = clinic.data
    for page in ("your-session/index.html", "faq/index.html"):
        text = text_of(site, page)
        for line in expected_plan_lines(data, "patients"):
            assert line in text, f"{clinic.name}'s {page} does not say: {line}"
    referral = text_of(site, "referrals/index.html")
    for line in expected_plan_lines(data, "clinicians"):
        assert line in referral, f"{clinic.name}'s referral page does not say: {line}"
    for plan in data.clinic.policies.plans:
        for page in (*PLAN_PAGES, COST_PAGE):
            assert f"For {plans.group_name(data, plan)}" in text_of(site, page), (page, plan.category)


def test_the_course_length_on_the_home_page_and_faq_comes_from_the_plans(clinic, site):
    length = plans.render_infusion_length(clinic.data)
    for page in ("index.html", "faq/index.html", "your-session/index.html"):
        assert length in text_of(site, page) if page != "index.html" else length in " ".join(
            HTMLParser((site / page).read_text()).body.text(separator=" ").split()), page


def test_the_costs_page_shows_each_course_total_and_what_is_not_included(clinic, site):
    data = clinic.data
    text = text_of(site, COST_PAGE)
    for plan in data.clinic.policies.plans:
        cost = plans.course_cost(data, plan)
        if cost.total is not None:
            assert f"Total: {plans.money(cost.total)}" in text
        if cost.trial_total is not None:
            assert f"If you stop after the trial, you pay {plans.money(cost.trial_total)}." in text
    for item in data.clinic.payment.not_included:
        assert item in text
    assert ("we offer a payment plan" in text) == data.clinic.payment.payment_plan
    assert ("We do not offer a payment plan" in text) == (not data.clinic.payment.payment_plan)
    # "Call us" for prices the clinic does not publish: said once, never in each row.
    unpublished = plans.unpublished_prices(data)
    assert text.count("We do not publish") == (1 if unpublished else 0)
    assert "Call us for a price" not in text
    table = HTMLParser((site / COST_PAGE).read_text()).css_first("table.prices")
    published = [price for price in data.clinic.prices if price.amount is not None]
    assert (table is not None) == bool(published)
    if table is not None:
        assert table.css_first("caption").text().strip()
        assert len(table.css("tbody tr")) == len(published)
    for fact in ("$400", "120 days"):
        assert fact in text, f"the Good Faith Estimate dispute detail {fact} is missing"


def test_the_referral_page_gives_the_clinics_limits_and_a_route_through_a_family_doctor(clinic, site):
    data = clinic.data
    text = text_of(site, "referrals/index.html")
    limits = data.clinic.policies.eligibility
    assert f"{limits.blood_pressure_limit.systolic}/{limits.blood_pressure_limit.diastolic} mmHg" in text
    assert plans.render_age_limits(data) in text
    for medicine in ("Benzodiazepines", "Lamotrigine", "MAOIs"):
        assert medicine in text
    assert "If the patient's prescriber is a family doctor" in text
    for reviewer in data.reviewers:
        assert reviewer.name in text
    letter = text_of(site, "referral-letter/index.html")
    assert data.clinic.name in letter and data.clinic.phone in letter and data.clinic.address.one_line in letter
    assert not HTMLParser((site / "referral-letter/index.html").read_text()).css("article form, article input, article textarea"), \
        "the letter template must not collect patient details"


def test_a_sedative_is_named_by_its_class_and_called_the_clinics_own_practice(clinic, site):
    given = [plan for plan in clinic.data.clinic.policies.plans if plan.premedication]
    session = text_of(site, "your-session/index.html")
    if not given:
        assert "benzodiazepine" not in session.lower() and "calming medicine" not in session
        return
    assert "our clinic's own practice" in session
    for plan in given:
        assert plans.DRUG_CLASSES[plan.premedication.drug_class][0] in session
    sources = text_of(site, "your-session/index.html")
    assert "Andrashko" in sources or "Andrade" in sources or not any(
        plan.premedication.drug_class == "benzodiazepine" and clinic.data.category(plan.category).crisis_help for plan in given)


@pytest.mark.parametrize("drug_class", sorted(plans.DRUG_CLASSES))
def test_a_medicine_before_the_drip_is_given_for_what_its_class_treats(drug_class):
    """A calming medicine for anxiety, an anti-nausea one for feeling sick: never one reason for every class."""
    calming = drug_class != "anti-nausea"
    for given in ("if-needed", "every-infusion"):
        plan = SimpleNamespace(premedication=SimpleNamespace(drug_class=drug_class, given=given))
        for_patients, for_clinicians = plans.premedication_text(plan, "patients"), plans.premedication_text(plan, "clinicians")
        assert ("anxious" in for_patients or "worry" in for_patients) == calming
        assert ("feel sick" in for_patients or "feeling sick" in for_patients) != calming
        if given == "if-needed":
            assert ("anxiety" in for_clinicians) == calming and ("nausea" in for_clinicians) != calming


# Change the data, and every page follows.

def test_changing_the_plans_and_prices_changes_every_page(tmp_path):
    config = copy_project(tmp_path / "project")
    root = config.parent
    clinic_file = root / "clinics" / "kestrel-peak" / "data" / "clinic.yml"
    data = load_clinic_data(root / "clinics" / "kestrel-peak", root / "data")
    pain = plans.plan_for(data, "pain")
    later = next(price for price in data.clinic.prices if price.id == pain.cost.each_infusion)
    text = clinic_file.read_text()
    text = text.replace(f"    amount: {later.amount}\n", "    amount: 401\n", 1)
    text = text.replace(f"        then_up_to: {pain.trial.then_up_to}\n", "        then_up_to: 7\n", 1)
    text = text.replace(f"      infusion_minutes_min: {pain.infusion_minutes_min}\n      infusion_minutes_max: {pain.infusion_minutes_max}\n",
                        "      infusion_minutes_min: 180\n      infusion_minutes_max: 240\n", 1)
    clinic_file.write_text(text)
    # The staff editor needs node_modules, which the copy leaves out: this test is about pages.
    clinic_config = root / "clinics" / "kestrel-peak" / "mkdocs.yml"
    clinic_config.write_text(re.sub(r"(?ms)^plugins:\n.*", "", clinic_config.read_text()))
    changed = load_clinic_data(root / "clinics" / "kestrel-peak", root / "data")
    new_pain = plans.plan_for(changed, "pain")
    assert (new_pain.trial.then_up_to, new_pain.infusion_minutes_min) == (7, 180), "the edit did not land"
    site = tmp_path / "site"
    result = build(root / "clinics" / "kestrel-peak" / "mkdocs.yml", site)
    assert result.returncode == 0, result.stderr
    for page in PLAN_PAGES:
        shown = text_of(site, page)
        assert "up to 7 more" in shown and "3 to 4 hours" in shown, page
        assert f"up to {pain.trial.then_up_to} more" not in shown.split("For mental health")[0], page
    costs = text_of(site, COST_PAGE)
    total = plans.course_cost(changed, new_pain).total
    assert total == 195 + 575 + 7 * 401 and f"Total: {plans.money(total)}" in costs
    assert "$401" in costs and f"${later.amount}" not in costs


# Mistakes in the plan data: one message each, at the line, with the fix.

@pytest.fixture
def tiny_data(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / "tiny", tmp_path / "tiny", ignore=shutil.ignore_patterns("docs")))


CLINIC = "clinics/tiny/data/clinic.yml"
MH_PLAN = '''    - category: mental-health
      infusion_minutes_min: 40
      infusion_minutes_max: 40
      spacing: twice a week
'''


@pytest.mark.parametrize(("old", "new", "key", "words"), [
    ("      infusions: 6\n", "      infusions: 6\n      trial:\n        infusions: 1\n        then_up_to: 5\n", "policies.plans[1]",
     "infusions and trial are both set"),
    ("      infusions: 6\n", "", "policies.plans[1]", "infusions is missing. Add infusions:"),
    ("      infusions: 6\n", "      set_per_patient: true\n", "policies.plans[1]", "usually is missing"),
    ("    - category: mental-health\n", "    - category: pain\n", "policies.plans", "plans 1 and 2 are both for pain"),
    ("      infusion_minutes_max: 60\n", "      infusion_minutes_max: 30\n", "policies.plans[1].infusion_minutes_max",
     "is less than infusion_minutes_min (40)"),
    ("      trial:\n", "      premedication:\n        drug_class: sedative\n        given: every-infusion\n      trial:\n",
     "policies.plans[2].premedication.drug_class", "Use one of: benzodiazepine, anti-nausea or alpha-2-agonist"),
    ("  payment_plan: false\n", "  payment_plan: false\n  payment_plan_details: Three parts.\n", "payment.payment_plan_details",
     "payment_plan is false"),
    ("  methods: [credit-card]\n", "  methods: [credit-card, financing]\n", "payment.payment_plan", "financing, which is a payment plan"),
    ("    min_age: 18\n", "    min_age: 30\n    max_age: 20\n", "policies.eligibility.max_age", "Make max_age at least min_age"),
    ("      systolic: 160\n", "      systolic: 16\n", "policies.eligibility.blood_pressure_limit.systolic", "16 is too small"),
    ("    id: one-infusion\n", "", "prices[1].id", "this required key is missing"),
    ("    - category: pain\n", "    - category: pian\n", "policies.plans[1].category", "Did you mean 'pain'?"),
    ("        each_infusion: one-infusion\n    - category: mental-health", "        each_infusion: one-infuson\n    - category: mental-health",
     "policies.plans[1].cost.each_infusion", "there is no price with the id 'one-infuson'"),
    ("        each_infusion: one-infusion\n  workers", "        each_infusion: one-infusion\n        once: [screening]\n  workers",
     "policies.plans[2].cost.once[1]", "there is no price with the id 'screening'"),
    ("    id: one-infusion\n", "    id: one-infusion\n  - item: Two infusions\n    id: one-infusion\n", "prices.one-infusion.id",
     "is used by two prices"),
])
def test_a_mistake_in_the_plans_stops_with_one_message(tiny_data, old, new, key, words):
    path = tiny_data / CLINIC
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(StaffError) as caught:
        load_clinic_data(tiny_data / "clinics" / "tiny", tiny_data / "data")
    error = caught.value
    assert error.key == key and words in str(error), str(error)
    assert error.line and str(error).startswith(str(tiny_data / CLINIC) + ":") or CLINIC in str(error), str(error)


def test_a_group_with_conditions_but_no_plan_and_a_plan_with_no_conditions_stop(tiny_data):
    path = tiny_data / CLINIC
    text = path.read_text()
    start = text.index(MH_PLAN)
    end = text.index("  workers_compensation")
    path.write_text(text[:start] + text[end:])
    with pytest.raises(StaffError) as caught:
        load_clinic_data(tiny_data / "clinics" / "tiny", tiny_data / "data")
    assert caught.value.key == "policies.plans" and "conditions.yml lists mental health conditions, but there is no plan" in str(caught.value)
    assert "category: mental-health" in caught.value.fix
    path.write_text(text)
    conditions = tiny_data / "clinics" / "tiny" / "data" / "conditions.yml"
    conditions.write_text(conditions.read_text().replace("  category: mental-health", "  category: pain"))
    with pytest.raises(StaffError) as caught:
        load_clinic_data(tiny_data / "clinics" / "tiny", tiny_data / "data")
    assert caught.value.key == "policies.plans[2].category" and "conditions.yml lists none of them" in str(caught.value)

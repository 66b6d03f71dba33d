"""Staff mistakes, tried as staff make them, on a tiny fixture project (tests/fixtures/tiny): one row each.

Each row copies the project, makes one change in the copy, and builds strictly, the way mkdocs-macros-plugin's
own tests build a small project per case. The build runs in this interpreter (tools.project.build_in_process:
MkDocs' own build function and log, without starting Python and compiling the theme again for each row); the
rows marked `command=True` run the real `mkdocs build` command, to prove the wiring the others take for granted. A mistake must stop the build with exit code 1 and exactly one
staff-facing line, in the shape `file:line: key: problem. fix` (a few of MkDocs' own config messages have
MkDocs' shape), with no Python traceback and no page written. A harmless change must build and publish
what staff meant.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import ROOT, build
from PIL import Image
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from tools.project import build_in_process

CLINIC = "clinics/tiny/data/clinic.yml"
CONDITIONS = "clinics/tiny/data/conditions.yml"
REVIEWS = "clinics/tiny/data/reviews.yml"
FAQ = "data/faq.yml"
CONTACT = "docs/contact.md"
HOME = "docs/index.md"
SECOND = "clinics/tiny/mkdocs.yml"  # a clinic config in the tiny project, for the rows that need one
STAFF_LINE = re.compile(r"^(?:ERROR|WARNING)\s+-\s+(?P<message>.*)$")
SHAPE = re.compile(r"^(?P<file>[^\s:]+):(?:(?P<line>\d+):)? (?:(?P<key>\S+): )?(?P<problem>[^\n]+?)\. (?P<fix>\S.*)$")


def edit(file: str, old: str, new: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {file}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return change


def append(file: str, text: str) -> Callable[[Path], None]:
    return lambda root: (root / file).write_text((root / file).read_text(encoding="utf-8") + text, encoding="utf-8")


def write(file: str, content: str | bytes | Callable[[Path], bytes]) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / file
        data = content(root) if callable(content) else content
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return change


def recode(file: str, old: str, new: str, encoding: str) -> Callable[[Path], None]:
    """Save the file in another encoding, as an old editor would."""
    def change(root: Path) -> None:
        path = root / file
        path.write_bytes(path.read_text(encoding="utf-8").replace(old, new, 1).encode(encoding))
    return change


def both(*changes: Callable[[Path], None]) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        for one in changes:
            one(root)
    return change


def photo(width: int, height: int, noise: bool = False) -> bytes:
    """A phone-photo-sized JPEG (smooth, compressible), or a PNG of pure noise that no quality can shrink."""
    if noise:
        buffer = io.BytesIO()
        Image.effect_noise((width, height), 128).convert("RGB").save(buffer, "PNG")
        return buffer.getvalue()
    gradient = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    texture = Image.effect_noise((width // 16, height // 16), 40).convert("RGB").resize((width, height))
    buffer = io.BytesIO()
    Image.blend(gradient, texture, 0.4).save(buffer, "JPEG", quality=97)
    return buffer.getvalue()


LAUGHS = 'laughs: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"{key}: &{key} [{', '.join([f'*{previous}'] * 9)}]\n" for previous, key in zip("abcdefgh", "bcdefghi", strict=True))


TEAM_PAGE = "---\ntitle: Team\ndescription: Us.\nhealth_page: false\n---\n\n# Team\n\nHi.\n"  # a clinic's own page


# A clinic's own config that turns the editor on, its sign-in service's address written with a path (line 8).
CLINIC_WITH_EDITOR = ("INHERIT: ../../mkdocs.yml\nsite_name: Second\nsite_url: https://second.example/\nplugins:\n  clinic:\n"
                      "    editor:\n      repo: example-org/tiny\n      base_url: https://tiny.example/oauth\n")


def editor_settings(settings: str) -> Callable[[Path], None]:
    """The staff editor turned on in the tiny config, with these settings under `editor:`."""
    return edit("mkdocs.yml", "    default_clinic: clinics/tiny\n", f"    default_clinic: clinics/tiny\n    editor:\n      {settings}\n")


@dataclass(frozen=True)
class Row:
    id: str
    change: Callable[[Path], None]
    where: str | None = None  # "file:line:" (or "file:" with no line) the message must start with
    words: tuple[str, ...] = ()  # parts of the message
    builds: bool = False  # a harmless change: it must build
    check: Callable[[Path], None] | None = None  # for one that builds: what the site must show
    mkdocs_shape: bool = False  # MkDocs' own message (config keys), not ours
    tags: tuple[str, ...] = field(default=())
    config: str = "mkdocs.yml"  # the config to build: the top-level one, or a clinic's
    command: bool = False  # built by the real `mkdocs build` command, not in this interpreter: proves the wiring


def page_text(site: Path, page: str) -> str:
    return " ".join(HTMLParser((site / page).read_text()).css_first("article").text(separator=" ").split())


def meta_description(site: Path, page: str) -> str:
    return HTMLParser((site / page).read_text()).css_first('meta[name="description"]').attributes["content"]


ROWS = [
    # 1. YAML that means something other than what staff typed.
    Row("data-key-written-twice", edit(CLINIC, "email: hello@tiny.example", "email: hello@tiny.example\nphone: (208) 555-0100"),
        f"{CLINIC}:5:", ("phone:", "written twice in the same place (first on line 3)", "Keep one"), command=True),
    Row("entry-key-written-twice", edit(CONDITIONS, "  name: PTSD", "  name: PTSD\n  name: Trauma"),
        f"{CONDITIONS}:12:", ("ptsd.name:", "written twice in the same place (first on line 11)")),
    Row("time-12-hour-closing", edit(CLINIC, '    closes: "17:00"', "    closes: 5:00"),
        f"{CLINIC}:13:", ("hours[1].closes:", "is not later than opens (09:00)", "17:00")),
    Row("time-in-words", edit(CLINIC, '    opens: "09:00"', "    opens: nine"), f"{CLINIC}:12:", ("hours[1].opens:", "in quotes")),
    Row("hash-cuts-value", edit(CLINIC, "  - item: One infusion", "  - item: One infusion #1"),
        f"{CLINIC}:16:", ("prices[1].item:", "read as a comment", "double quotes")),
    Row("empty-value-after-hash", edit(CLINIC, "short_name: Tiny Clinic", "short_name: #1 Clinic"),
        f"{CLINIC}:2:", ("short_name:", "read as a comment")),
    Row("data-not-utf8", recode(CLINIC, "city: Boise", "city: Bois\u00e9", "latin-1"), f"{CLINIC}:7:", ("not saved as UTF-8", "UTF-8")),
    Row("tab-indent", edit(CLINIC, "  city: Boise", "\tcity: Boise"), f"{CLINIC}:7:", ("not valid YAML", "spaces, not tabs")),
    Row("missing-colon", edit(CLINIC, "  city: Boise", "  city Boise"), f"{CLINIC}:7:", ("not valid YAML", "colon")),
    Row("bad-indent", edit(CLINIC, '    closes: "17:00"', '   closes: "17:00"'), f"{CLINIC}:13:", ("not valid YAML",)),
    Row("unclosed-quote", edit(CLINIC, '  postal_code: "83702"', '  postal_code: "83702'), f"{CLINIC}:9:", ("not valid YAML", "quote")),
    Row("colon-in-value", edit(CONDITIONS, "  description: Strong, lasting pain in an arm or leg.",
                                "  description: Pain: strong and lasting."), f"{CONDITIONS}:5:", ("not valid YAML", "double quotes")),
    Row("bool-in-words", edit(CLINIC, "  payment_plan: false", "  payment_plan: maybe"),
        f"{CLINIC}:22:", ("payment.payment_plan:", "'maybe' is not true or false", "Write true or false")),
    Row("number-in-words", edit(CLINIC, "    infusion_minutes_min: 40", "    infusion_minutes_min: forty"),
        f"{CLINIC}:40:", ("policies.plans[1].infusion_minutes_min:", "not a whole number")),
    Row("price-with-dollar-sign", edit(CLINIC, "    amount: 500", "    amount: $500"), f"{CLINIC}:17:", ("prices.one-infusion.amount:", "no $ sign")),
    # 2. Content that contradicts itself, is missing or is empty.
    Row("unknown-key", edit(CLINIC, "phone: (208) 555-0199", "phnoe: (208) 555-0199"),
        f"{CLINIC}:3:", ("phnoe:", "not a known key", "Did you mean 'phone'?")),
    Row("missing-key", edit(CLINIC, "email: hello@tiny.example\n", ""), f"{CLINIC}:1:", ("email:", "required key is missing", "Add email:")),
    Row("zip-too-short", edit(CLINIC, '  postal_code: "83702"', "  postal_code: 8370"),
        f"{CLINIC}:9:", ("address.postal_code:", "5 digits")),
    Row("state-written-out", edit(CLINIC, "  region: ID", "  region: Idaho"), f"{CLINIC}:8:", ("address.region:", "Write its two-letter code, ID")),
    Row("phone-not-a-number", edit(CLINIC, "phone: (208) 555-0199", "phone: call us"), f"{CLINIC}:3:", ("phone:", "digits only")),
    Row("unknown-category", edit(CONDITIONS, "  category: pain", "  category: pian"),
        f"{CONDITIONS}:4:", ("crps.category:", "no category with the id 'pian'", "Did you mean 'pain'?")),
    Row("condition-twice-under-two-ids", append(CONDITIONS, "- id: crps-2\n  name: CRPS\n  category: pain\n  description: Pain.\n"
                                                           "  evidence:\n    level: some\n    source: ref-one\n    note: Some.\n"),
        f"{CONDITIONS}:19:", ("crps-2.name:", "'CRPS' is already listed as the condition 'crps'")),
    Row("day-in-two-hours-entries", edit(
        CLINIC, "states_served:", "  - days: [Tuesday]\n    opens: \"18:00\"\n    closes: \"20:00\"\nstates_served:"),
        f"{CLINIC}:10:", ("hours:", "Tuesday is in hours entry 1 and entry 2")),
    Row("empty-conditions-list", write(CONDITIONS, "# Nothing here yet\n[]\n"), f"{CONDITIONS}:2:", ("the list is empty",)),
    Row("empty-file", write(CONDITIONS, "# Nothing here yet\n"), f"{CONDITIONS}:1:", ("the file is empty",)),
    Row("placeholder-left", edit(CLINIC, "short_name: Tiny Clinic", 'short_name: "FILL IN, for example Lakeside Clinic"'),
        f"{CLINIC}:2:", ("short_name:", "still the placeholder")),
    Row("evidence-without-source", edit(CONDITIONS, "    source: ref-one\n    note: A few", "    note: A few"),
        f"{CONDITIONS}:6:", ("crps.evidence.source:", "required key is missing")),
    Row("evidence-unknown-source", edit(CONDITIONS, "    source: ref-one\n    note: A few", "    source: smith-1999\n    note: A few"),
        f"{CONDITIONS}:8:", ("crps.evidence.source:", "no reference with the id 'smith-1999'")),
    Row("no-review-record", edit(REVIEWS, "[index.md, faq.md]", "[index.md]"),
        f"{REVIEWS}:", ("faq.md:", "health page with no review record, so it cannot be published as reviewed")),
    Row("review-in-the-future", both(edit(REVIEWS, "last_reviewed: 2026-01-15", "last_reviewed: 2999-01-15"),
                                         edit(REVIEWS, "next_review: 2026-07-15", "next_review: 2999-07-15")),
        f"{REVIEWS}:3:", ("2999-01-15 is in the future",)),
    # A list typed inside quotes is one piece of text ("FILL IN, for example [reyes]" filled in as "[reyes]").
    Row("reviewers-list-in-quotes", edit(REVIEWS, "reviewed_by: [tester, psych]", 'reviewed_by: "[tester, psych]"'),
        f"{REVIEWS}:2:", ("[1].reviewed_by:", "'[tester, psych]' is in quotes, so it is read as one piece of text, not as a list",
                          "Remove the quotes around it: reviewed_by: [tester, psych].")),
    Row("review-date-not-a-date", edit(REVIEWS, "last_reviewed: 2026-01-15", "last_reviewed: 2026-13-01"),
        f"{REVIEWS}:3:", ("[1].last_reviewed:", "not a date", "YYYY-MM-DD")),
    Row("unknown-reviewer", edit(REVIEWS, "reviewed_by: [tester", "reviewed_by: [dr-who"), f"{REVIEWS}:2:", ("no reviewer with the id 'dr-who'",)),
    Row("next-review-before-last", edit(REVIEWS, "next_review: 2026-07-15", "next_review: 2025-07-15"), f"{REVIEWS}:4:", ("before last_reviewed",)),
    Row("faq-answer-unknown-macro", edit(FAQ, "Call {{ phone_link() }} to ask more.", "Call {{ phone_lnk() }} to ask more."),
        f"{FAQ}:5:", ("phone_lnk:", "not a macro", "Did you mean 'phone_link'?")),
    Row("faq-answer-unknown-source", edit(FAQ, 'vein.{{ cite("ref-one") }}', 'vein.{{ cite("ref-1") }}'),
        f"{FAQ}:4:", ("no reference with the id 'ref-1'",)),
    Row("faq-when-unknown-setting", edit(FAQ, "- id: cost\n", "- id: cost\n  when: payment.fre_consultation\n"),
        f"{FAQ}:7:", ("cost.when:", "not a setting")),
    # 3. HTML and scripts, in data and in pages.
    Row("html-in-data", edit(CONDITIONS, "  description: Strong, lasting pain in an arm or leg.",
                             "  description: Strong pain.<script>alert(1)</script>"), f"{CONDITIONS}:5:", ("HTML is not allowed",)),
    Row("script-link-in-data", edit(FAQ, "    Most people pay for it themselves.", "    Most people pay. [Pay now](javascript:alert(1))"),
        f"{FAQ}:9:", ("cost.answer:", "the link 'javascript:alert(1)' is not allowed")),
    Row("script-in-page", append(CONTACT, "\n<script>alert(document.cookie)</script>\n"), f"{CONTACT}:13:", ("a script",), command=True),
    # What a {{ ... }} shows must be text: never a Python object, "None" or "True".
    Row("macro-without-brackets", append(CONTACT, "\nCall {{ phone_link }}.\n"), f"{CONTACT}:13:",
        ("phone_link:", "phone_link is a macro, but it has no brackets", "phone_link()")),
    Row("a-group-of-settings-shown", append(CONTACT, "\nWe are at {{ clinic.address }}.\n"), f"{CONTACT}:13:",
        ("clinic.address:", "a group of settings (street, city", "not one value")),
    Row("a-list-shown", append(CONTACT, "\nOpen {{ clinic.hours }}.\n"), f"{CONTACT}:13:", ("clinic.hours:", "a list, not one value")),
    Row("a-yes-no-setting-shown", append(CONTACT, "\nDriver: {{ policies.driver_required }}.\n"), f"{CONTACT}:13:",
        ("policies.driver_required:", "yes/no setting", "{% if")),
    Row("the-build-config-shown", append(CONTACT, "\n{{ config.plugins }}\n"), f"{CONTACT}:13:", ("config.plugins:", "a group of settings, not one value")),
    Row("a-macro-given-too-many-values", append(CONTACT, '\nCall {{ phone_link("x", "y") }}.\n'), f"{CONTACT}:13:",
        ("phone_link():", "takes nothing in its brackets, but it was given 2")),
    # A page's title heading: the theme's skip link, the crisis box and screen readers start there.
    Row("page-without-title", edit(CONTACT, "# Contact\n", ""), f"{CONTACT}:8:", ("the page has no title heading", "# Contact us")),
    Row("title-made-a-section", edit(CONTACT, "# Contact\n", "## Contact\n"), f"{CONTACT}:7:", ("the page has no title heading",)),
    Row("a-second-title", append(CONTACT, "\n# More ways to reach us\n"), f"{CONTACT}:13:",
        ("a second title heading (the first is on line 7)", "## ...")),
    Row("two-pages-with-one-title", edit(CONTACT, "title: Contact", "title: Questions"), "docs/faq.md:2:",
        ("title:", "docs/contact.md has the same title")),
    Row("a-copied-description", edit(CONTACT, "description: How to reach the tiny test clinic.",
                                     "description: The tiny test clinic's home page."), "docs/index.md:3:",
        ("description:", "docs/contact.md has the same description")),
    Row("link-in-data-to-a-missing-page", edit(FAQ, "    Most people pay for it themselves.", "    Most people pay. See [costs](cost.md)."),
        f"{FAQ}:8:", ("cost.answer:", "the link to cost.md goes to a page that is not on this site")),
    Row("a-note-for-staff", append(CONTACT, "\n<!-- TODO: ask the doctor about new prices -->\n"), builds=True,
        check=lambda site: "TODO" not in (site / "contact" / "index.html").read_text()),
    Row("a-note-never-closed", append(CONTACT, "\n<!-- TODO: ask the doctor\n\nMore text.\n"), f"{CONTACT}:13:",
        ("a note (<!--) is never closed", "-->")),
    Row("a-macro-never-closed", append(CONTACT, "\nCall {{ phone_link() or write to us.\n\nMore text.\n\nAnd more.\n"), f"{CONTACT}:13:",
        ("a macro is not written correctly",)),
    Row("curly-quotes-in-a-macro", append(CONTACT, "\nSmall studies found relief for some weeks.{{ cite(\u201cref-one\u201d) }}\n"), f"{CONTACT}:13:", ("curly quotes", "straight quotes")),
    Row("front-matter-never-closed", edit(CONTACT, "health_page: false\n---\n", "health_page: false\n--\n"), f"{CONTACT}:1:",
        ("never closed", "---")),
    Row("phone-typed-into-a-page", append(CONTACT, "\nOr call 208-555-0199.\n"), f"{CONTACT}:13:",
        ("the clinic's (208) 555-0199 is typed into the page", "{{ phone_link() }}")),
    Row("email-typed-into-a-page", append(CONTACT, "\nOr write to Hello@Tiny.example.\n"), f"{CONTACT}:13:",
        ("hello@tiny.example is typed into the page", "{{ email_link() }}")),
    # A macro where no macro works: it would show as typed.
    Row("macro-in-front-matter", edit(CONTACT, "title: Contact", "title: Contact {{ clinic.name }}"), f"{CONTACT}:2:",
        ("title:", "does not work here")),
    Row("macro-in-a-data-text", edit(CONDITIONS, "  description: Strong, lasting pain in an arm or leg.",
                                     "  description: Pain we treat at {{ clinic.name }}."), f"{CONDITIONS}:5:",
        ("crps.description:", "does not work here")),
    # Pictures and media from another site, pictures with no words, links in the wrong form.
    Row("picture-from-another-site", append(CONTACT, "\n![A map of our street](https://maps.example/x.png)\n"), f"{CONTACT}:13:",
        ("a picture loaded from another site (maps.example)",)),
    Row("video-from-another-site", append(CONTACT, '\n<video src="https://cdn.example/v.mp4"></video>\n'), f"{CONTACT}:13:",
        ("a video loaded from another site (cdn.example)",)),
    Row("img-tag-without-alt", both(write("docs/door.jpg", photo(800, 600)), append(CONTACT, '\n<img src="../door.jpg">\n')),
        f"{CONTACT}:13:", ("has no alt text",)),
    Row("link-to-a-web-address-of-the-site", append(CONTACT, "\nSee [costs](/costs/).\n"), f"{CONTACT}:13:",
        ("/costs/:", "not to a page's file", "costs.md")),
    Row("link-without-https", append(CONTACT, "\nSee [the FDA](www.fda.gov).\n"), f"{CONTACT}:13:", ("www.fda.gov:", "https://www.fda.gov")),
    Row("link-with-a-space", append(CONTACT, "\nSee [this](https://www.fda.gov/ketamine info).\n"), f"{CONTACT}:13:", ("has a space in it",)),
    Row("phone-link-without-area-code", append(CONTACT, "\nCall [us](tel:555-0100).\n"), f"{CONTACT}:13:",
        ("tel:555-0100:", "not a number a phone can call", "phone_link()")),
    Row("email-link-without-at", append(CONTACT, "\nWrite to [us](mailto:care.tiny).\n"), f"{CONTACT}:13:",
        ("'care.tiny' is not an email address",)),
    Row("link-without-words", append(CONTACT, "\nSee [](index.md).\n"), f"{CONTACT}:13:", ("the link has no words",)),
    Row("event-handler-in-page", append(CONTACT, '\n<p onmouseover="alert(1)">Hover</p>\n'), f"{CONTACT}:13:", ("an event handler (onmouseover=)",)),
    Row("script-link-in-page", append(CONTACT, "\n[Click](javascript:alert(1))\n"), f"{CONTACT}:13:", ("a script address (javascript:)",)),
    Row("iframe-in-page", append(CONTACT, '\n<iframe src="https://maps.example/"></iframe>\n'), f"{CONTACT}:13:", ("a frame (iframe)",)),
    # Pages: front matter and macros.
    Row("page-front-matter-key-twice", edit(CONTACT, "title: Contact\n", "title: Contact\ntitle: Reach us\n"),
        f"{CONTACT}:3:", ("title:", "written twice")),
    Row("page-front-matter-typo", edit(CONTACT, "description:", "descripton:"), f"{CONTACT}:3:", ("descripton:", "Did you mean 'description'?")),
    Row("page-without-description", edit(CONTACT, "description: How to reach the tiny test clinic.\n", ""),
        f"{CONTACT}:2:", ("description:", "required key is missing")),
    Row("page-with-old-review-keys", edit(HOME, "audience: patients\n", "audience: patients\nreviewed_by: tester\n"),
        f"{HOME}:5:", ("reviewed_by:", "data/reviews.yml")),
    Row("page-health-without-audience", edit(HOME, "audience: patients\n", ""), f"{HOME}:2:", ("audience is missing",)),
    # The at-a-glance summary (front matter summary:): on every health page, 3 to 5 lines, restating only what the page says.
    Row("page-health-without-summary", edit(HOME, "summary: [The tiny test clinic gives IV ketamine., It treats pain and mental health conditions., Call the clinic to ask if it could help you.]\n", ""), f"{HOME}:4:",
        ("summary:", "a health page needs an at-a-glance summary at its top", "health_page: false")),
    Row("page-summary-too-short", edit(HOME, ", Call the clinic to ask if it could help you.]", "]"), f"{HOME}:5:",
        ("summary:", "the summary has 2 lines, not 3 to 5", "Write 3 to 5 short lines")),
    Row("page-summary-number-not-in-page", edit(HOME, "It treats pain and mental health conditions.", "It helps 37 in 100 people."),
        f"{HOME}:5:", ("summary:", "'37' is in the summary", "not in the page's text", "write the number as the page gives it")),
    Row("page-summary-outcome-claim", edit(HOME, "It treats pain and mental health conditions.", "Our patients feel better for months."),
        f"{HOME}:5:", ("summary:", "states this clinic's own results", "outcome record")),
    Row("page-body-empty", write(CONTACT, "---\ntitle: Contact\ndescription: How to reach us.\nhealth_page: false\n---\n\n"),
        f"{CONTACT}:6:", ("no text after its front matter",)),
    Row("page-title-with-colon", edit(CONTACT, "title: Contact", "title: Contact: phone and email"),
        f"{CONTACT}:2:", ("not valid YAML", "double quotes")),
    Row("page-not-utf8", recode(CONTACT, "# Contact", "# Contact \u00e0 Boise", "latin-1"), f"{CONTACT}:7:", ("not saved as UTF-8",)),
    Row("page-misspelt-fact", append(CONTACT, "\nOr call {{ clinic.phnoe }}.\n"),
        f"{CONTACT}:13:", ("clinic.phnoe:", "'phnoe' is not one of the facts", "Did you mean 'phone'?")),
    Row("page-unknown-macro", append(CONTACT, "\n{{ opening_hourz() }}\n"), f"{CONTACT}:13:", ("opening_hourz:", "not a macro", "opening_hours")),
    Row("page-unknown-condition", append(HOME, "\nWe also treat {{ condition('lupus') }}.\n"),
        f"{HOME}:18:", ("condition('lupus'):", "no condition with the id 'lupus'", "crps, ptsd")),
    Row("page-unknown-source", append(HOME, '\nA claim.{{ cite("smith-1999") }}\n'), f"{HOME}:18:", ("cite('smith-1999'):", "no reference")),
    Row("page-macro-not-closed", append(CONTACT, "\nCall {{ phone_link() }\n"), f"{CONTACT}:13:", ("not written correctly",)),
    Row("page-if-without-endif", append(CONTACT, "\n{% if payment.free_consultation %}Free!\n"), f"{CONTACT}:", ("not written correctly",)),
    Row("page-link-to-missing-page", append(CONTACT, "\nSee [prices](pricing.md).\n"), f"{CONTACT}:13:", ("pricing.md:", "not on this site")),
    # 4. Images.
    Row("image-without-alt", both(write("docs/door.jpg", photo(800, 600)), append(CONTACT, "\n![](door.jpg)\n")),
        f"{CONTACT}:13:", ("door.jpg has no alt text", "{ .decorative }")),
    Row("image-unreadable", both(write("docs/door.jpg", b"not a picture at all"), append(CONTACT, "\n![Our door](door.jpg)\n")),
        "docs/door.jpg:", ("cannot be read",)),
    Row("image-cannot-fit-budget", both(write("docs/noise.png", photo(1600, 1200, noise=True)), append(CONTACT, "\n![Static](noise.png)\n")),
        "docs/noise.png:", ("cannot be made smaller than 300 KB",)),
    # 5. Config mistakes.
    Row("macros-option-wrong", edit("mkdocs.yml", "on_undefined: strict", "on_undefined: strictt"),
        "mkdocs.yml:", ("plugins.macros.on_undefined:", "'strictt' is not a known value", "keep, silent, strict, lax")),
    Row("analytics", append("mkdocs.yml", "extra:\n  analytics:\n    provider: google\n    property: G-TEST000000\n"),
        "mkdocs.yml:", ("extra.analytics:", "Remove extra.analytics")),
    Row("google-fonts", edit("mkdocs.yml", "  font: false", "  font:\n    text: Roboto"), "mkdocs.yml:", ("theme.font:", "Google Fonts")),
    Row("default-clinic-missing", edit("mkdocs.yml", "default_clinic: clinics/tiny", "default_clinic: clinics/tinny"),
        "mkdocs.yml:", ("plugins.clinic.default_clinic:", "has no data/ folder")),
    Row("config-key-misspelt", edit("mkdocs.yml", "site_url:", "site_ulr:"), None, ("site_ulr",), mkdocs_shape=True, command=True),
    Row("review-of-a-left-out-page", both(
        write("docs/more.md", "---\ntitle: More\ndescription: More about the tiny clinic.\naudience: patients\n"
              "summary: [More about the tiny clinic., It is small., It is a test.]\n---\n\n# More\n\nText.\n"),
        edit("mkdocs.yml", "  - Contact: contact.md\n", "  - Contact: contact.md\n  - More: more.md\n"),
        edit(REVIEWS, "[index.md, faq.md]", "[index.md, faq.md, more.md]"),
        write("clinics/tiny/data/pages.yml", "leave_out:\n  - more.md\n")),
        f"{REVIEWS}:1:", ("[1].pages:", "more.md is left out of this site (pages.yml, line 2)", "Remove it from this review record")),
    Row("leave-out-a-linked-page", write("clinics/tiny/data/pages.yml", "leave_out:\n  - faq.md\n"),
        "clinics/tiny/data/pages.yml:2:", ("leave_out[1]:", "faq.md cannot be left out: docs/index.md links to it on line 16")),
    Row("menu-section-unknown", both(write("clinics/tiny/docs/team.md", TEAM_PAGE),
                                     write("clinics/tiny/data/pages.yml", "menu:\n  - page: team.md\n    section: About\n")),
        "clinics/tiny/data/pages.yml:3:", ("menu[1].section:", "no menu section called 'About'")),
    # 6. Harmless input builds, and shows what staff meant.
    Row("byte-order-mark-in-page", lambda root: (root / CONTACT).write_bytes(b"\xef\xbb\xbf" + (root / CONTACT).read_bytes()), builds=True,
        check=lambda site: page_text(site, "contact/index.html").startswith("Contact")),
    Row("windows-line-ends", lambda root: [(root / name).write_bytes((root / name).read_bytes().replace(b"\n", b"\r\n"))
                                           for name in (CONTACT, CLINIC, FAQ)], builds=True,
        check=lambda site: "9 a.m. to 5 p.m." in page_text(site, "contact/index.html"), command=True),
    Row("unquoted-time-is-read-as-written", edit(CLINIC, '    opens: "09:00"', "    opens: 9:30"), builds=True,
        check=lambda site: "9:30 a.m. to 5 p.m." in page_text(site, "contact/index.html")),
    Row("text-that-looks-like-yes-or-a-number", both(edit(CLINIC, "short_name: Tiny Clinic", "short_name: Yes"),
                                                     edit(CLINIC, "  street: 1 Test Street", "  street: 1600")), builds=True,
        check=lambda site: '"streetAddress":"1600"' in (site / "contact" / "index.html").read_text()),
    Row("ampersand-and-apostrophe-in-name", both(edit(CLINIC, "name: Tiny Test Clinic", "name: O'Neil & Sons \"Tiny\" Clinic"),
                                                 edit("mkdocs.yml", "site_name: Tiny Test Clinic", "site_name: O'Neil & Sons Clinic")),
        builds=True, check=lambda site: ("O'Neil & Sons \"Tiny\" Clinic" in HTMLParser((site / "index.html").read_text()).css_first(
            "footer").text() and "<title>Contact - O'Neil &amp; Sons Clinic</title>".replace("'", "&#39;")
            in (site / "contact" / "index.html").read_text())),
    Row("emphasis-and-quotes-in-descriptions", both(
        edit(CONTACT, "description: How to reach the tiny test clinic.", 'description: How to reach *the* "tiny" clinic.'),
        edit(CONDITIONS, "  description: Strong, lasting pain in an arm or leg.", "  description: Strong, *lasting* pain.")),
        builds=True, check=lambda site: meta_description(site, "contact/index.html") == 'How to reach the "tiny" clinic.'
        and "<em>lasting</em>" in (site / "index.html").read_text()),
    Row("quotes-and-ampersand-in-a-title", edit(HOME, "title: Tiny home", 'title: Tiny "home" & more'), builds=True,
        check=lambda site: "<title>Tiny &#34;home&#34; &amp; more - Tiny Test Clinic</title>" in (site / "index.html").read_text()
        or "<title>Tiny &quot;home&quot; &amp; more - Tiny Test Clinic</title>" in (site / "index.html").read_text()),
    Row("accents-in-utf8", edit(CLINIC, "  city: Boise", "  city: Española"), builds=True,
        check=lambda site: '"addressLocality":"Española"' in (site / "contact" / "index.html").read_text()),
    Row("a-decorative-image", both(write("docs/door.jpg", photo(800, 600)), append(CONTACT, "\n![](door.jpg){ .decorative }\n")),
        builds=True, check=lambda site: 'alt="" width="800" height="600"' in (site / "contact" / "index.html").read_text()),
    Row("a-4-megapixel-phone-photo", both(write("docs/door.jpg", photo(4032, 3024)), append(CONTACT, "\n![Our front door](door.jpg)\n")),
        builds=True, check=lambda site: (site / "door.jpg").stat().st_size <= 300_000 and (site / "door-480.webp").is_file()
        and 'width="1600" height="1200"' in (site / "contact" / "index.html").read_text()),
    # 7. A clinic's config that does not build on the shared one, and the staff editor's settings.
    Row("clinic-config-without-inherit", both(write("clinics/tiny/docs/team.md", TEAM_PAGE),
                                              write(SECOND, "# The second clinic.\nsite_name: Second\nsite_url: https://second.example/\n"
                                                            "plugins:\n  clinic: {}\n")),
        f"{SECOND}:1:", ("INHERIT:", "has no INHERIT line", "Add INHERIT: ../../mkdocs.yml as its first line"), config=SECOND, command=True),
    Row("editor-setting-misspelt", editor_settings("repos: example-org/tiny"),
        "mkdocs.yml:22:", ("plugins.clinic.editor.repos:", "'repos' is not a known key", "Did you mean 'repo'?")),
    Row("editor-port-in-words", editor_settings("repo: example-org/tiny\n      local_port: eighty"),
        "mkdocs.yml:23:", ("plugins.clinic.editor.local_port:", "'eighty' is not a whole number", "for example 8081")),
    Row("editor-port-too-large", editor_settings("repo: example-org/tiny\n      local_port: 99999"),
        "mkdocs.yml:23:", ("plugins.clinic.editor.local_port:", "99999 is too large", "at most 65535")),
    Row("editor-branch-empty", editor_settings("repo: example-org/tiny\n      branch:"),
        "mkdocs.yml:23:", ("plugins.clinic.editor.branch:", "the value is empty", "Write the branch the site is published from")),
    Row("editor-branch-a-number", editor_settings("repo: example-org/tiny\n      branch: 2024"),
        "mkdocs.yml:23:", ("plugins.clinic.editor.branch:", "'2024' is read as a number", 'double quotes, as "2024"')),
    Row("editor-site-domain-with-https", editor_settings("repo: example-org/tiny\n      site_domain: https://tiny.netlify.app"),
        "mkdocs.yml:23:", ("plugins.clinic.editor.site_domain:", "is not in the right form",
                        "Write the site's host name as the sign-in service knows it (its name at Netlify), without https://, "
                        "for example clinic.netlify.app.")),
    # Signing in through a sign-in service of the clinic's own (handbook/editor.md, "Signing in without Netlify").
    Row("editor-base-url-with-a-path", editor_settings("repo: example-org/tiny\n      base_url: https://tiny.example/oauth"),
        "mkdocs.yml:23:", ("plugins.clinic.editor.base_url:", "has a path after the host name",
                        "Write base_url: https://tiny.example and auth_endpoint: oauth/auth, which make the same address.")),
    Row("editor-base-url-without-https", editor_settings("repo: example-org/tiny\n      base_url: http://tiny-auth.example.workers.dev"),
        "mkdocs.yml:23:", ("plugins.clinic.editor.base_url:", "is not in the right form", "starting with https://")),
    Row("editor-auth-endpoint-without-base-url", editor_settings("repo: example-org/tiny\n      auth_endpoint: oauth/auth"),
        "mkdocs.yml:23:", ("plugins.clinic.editor.auth_endpoint:", "a path on base_url, which is not set", "or remove auth_endpoint")),
    Row("editor-api-root-the-website", editor_settings("repo: example-org/tiny\n      api_root: https://github.com"),
        "mkdocs.yml:23:", ("plugins.clinic.editor.api_root:", "is GitHub's website, not its API", "Write api_root: https://api.github.com")),
    Row("editor-setting-in-a-clinic-config", both(write("clinics/tiny/docs/team.md", TEAM_PAGE), write(SECOND, CLINIC_WITH_EDITOR)),
        f"{SECOND}:8:", ("plugins.clinic.editor.base_url:", "has a path after the host name"), config=SECOND),
    Row("editor-neither-true-nor-settings", edit("mkdocs.yml", "    default_clinic: clinics/tiny\n",
                                                 '    default_clinic: clinics/tiny\n    editor: "yes please"\n'),
        "mkdocs.yml:21:", ("plugins.clinic.editor:", "'yes please' is neither true, false nor a list of settings")),
    Row("default-clinic-a-list", edit("mkdocs.yml", "default_clinic: clinics/tiny", "default_clinic: [clinics/tiny]"),
        "mkdocs.yml:", ("plugins.clinic.default_clinic:", "is not a folder", "for example clinics/harbor")),
    # 8. Characters pasted from Word or a web page.
    Row("pasted-non-breaking-and-zero-width-spaces", both(edit(CLINIC, "phone: (208) 555-0199", "phone: (208)\u00a0555-0199"),
                                                          edit(CLINIC, "  city: Boise", "\u00a0 ci\u200bty: Boise")), builds=True,
        check=lambda site: 'href="tel:+12085550199"' in (site / "contact" / "index.html").read_text()
        and '"addressLocality":"Boise"' in (site / "contact" / "index.html").read_text()),
    Row("invisible-joiner-in-a-key", edit(CLINIC, "  city: Boise", "  ci\u200dty: Boise"),
        f"{CLINIC}:7:", ("address.city:", "invisible character (U+200D ZERO WIDTH JOINER) at column 5", "type it again")),
    # 9. Phone numbers and email addresses as people write them.
    Row("phone-with-country-code", edit(CLINIC, "phone: (208) 555-0199", "phone: +1 208 555 0199"), builds=True,
        check=lambda site: all(part in (site / "contact" / "index.html").read_text() for part in (
            '<a href="tel:+12085550199">(208) 555-0199</a>', '"telephone":"+12085550199"'))),
    Row("phone-with-extension", edit(CLINIC, "phone: (208) 555-0199", "phone: (208) 555-0199 ext. 2"),
        f"{CLINIC}:3:", ("phone:", "has an extension", "main number only")),
    Row("email-with-mailto", edit(CLINIC, "email: hello@tiny.example", "email: mailto:hello@tiny.example"),
        f"{CLINIC}:4:", ("email:", "starts with 'mailto:'", "address only")),
    # 10. Text the site fills in.
    Row("crisis-placeholder-misspelt", edit("data/crisis.yml", "{phone}", "{phone_number}"),
        "data/crisis.yml:7:", ("not_monitored:", "'{phone_number}' is not one of the names the site fills in", "Use {phone} or {email}")),
    # A crisis number a visitor cannot tap (crisis.py, check_unlinked): the build names the line and the links to write.
    Row("crisis-number-without-its-links", append(CONTACT, "\nIn a crisis, call or text 988.\n"), f"{CONTACT}:13:",
        ("988:", "printed without its tap-to-call link", "[call 988](tel:988) or [text 988](sms:988)")),
    Row("crisis-number-with-its-links", append(CONTACT, "\nIn a crisis, [call 988](tel:988) or [text 988](sms:988).\n"), builds=True,
        check=lambda site: 'href="sms:988"' in (site / "contact" / "index.html").read_text()),
    # US English (pages/spelling.py, data/us_english.yml): the line, the British word and the US one.
    Row("british-spelling-in-a-page", append(CONTACT, "\nOur rooms are painted in a calm colour.\n"), f"{CONTACT}:13:",
        ("'colour' is British English", "Write 'color' instead")),
    Row("british-word-in-clinic-data", edit(CLINIC, "states_served: [Idaho]", "states_served: [Idaho]\naccess:\n  step_free: true\n  notes: There is a lift by the door."),
        f"{CLINIC}:17:", ("access.notes:", "'a lift' is British English", "Write 'an elevator' instead")),
    Row("british-spelling-in-a-faq-answer", edit(FAQ, "    Most people pay for it themselves.", "    Most people pay.\n    Ask about colours."),
        f"{FAQ}:10:", ("cost.answer:", "'colours' is British English", "Write 'colors' instead")),
    Row("time-zone-unknown", edit(CLINIC, "states_served: [Idaho]", "time_zone: Mountain\nstates_served: [Idaho]"),
        f"{CLINIC}:14:", ("time_zone:", "'Mountain' is not a time zone name", "America/Denver")),
    Row("a-mood-that-lifts-is-us-english", append(CONTACT, "\nFor many, low mood lifted after a few days.\n"), builds=True),
    Row("state-misspelt", edit(CLINIC, "states_served: [Idaho]", "states_served: [Idaho, Oregan]"), f"{CLINIC}:14:",
        ("states_served[2]:", "'Oregan' is not one of the choices", "Did you mean 'Oregon'?")),
    Row("state-code-unknown", edit(CLINIC, "  region: ID", "  region: XX"), f"{CLINIC}:8:", ("address.region:", "'XX' is not one of the choices")),
    Row("a-page-compares-with-an-impossible-value", append(CONTACT, '\n{% if payment.insurance == "super-bill" %}We give a receipt.{% endif %}\n'),
        f"{CONTACT}:13:", ("payment.insurance:", "'super-bill' is not a value payment.insurance can have", "Did you mean 'superbill'?")),
    Row("a-page-looks-for-an-impossible-value", append(CONTACT, '\n{% if "HSA" in payment.methods %}HSA cards are fine.{% endif %}\n'),
        f"{CONTACT}:13:", ("payment.methods:", "'HSA' is not a value payment.methods can have", "hsa")),
    Row("macro-with-single-braces", append(CONTACT, "\nCall { phone_link() }.\n"), f"{CONTACT}:13:",
        ("{ phone_link() }:", "two braces", "Write {{ phone_link() }}.")),
    Row("html-link-to-a-web-address", append(CONTACT, '\nSee <a href="pricing/">our prices</a>.\n'), f"{CONTACT}:13:",
        ("pricing/:", "not to a page's file")),
    Row("alt-text-is-the-file-name", both(write("docs/door.jpg", photo(800, 600)), append(CONTACT, "\n![door.jpg](door.jpg)\n")),
        f"{CONTACT}:13:", ("alt text that says nothing about it ('door.jpg')",)),
    Row("link-in-a-title", edit(CONTACT, "title: Contact", "title: Contact [us](index.md)"), f"{CONTACT}:2:",
        ("title:", "a link does not work here")),
    Row("heading-in-a-faq-answer", edit(FAQ, "    Most people pay for it themselves.", "    # Most people pay"), f"{FAQ}:8:",
        ("cost.answer:", "a heading (a line starting with #) does not belong here")),
    Row("site-url-with-http", edit("mkdocs.yml", "site_url: https://", "site_url: http://"), "mkdocs.yml:",
        ("site_url:", "starting with https:// and ending with /")),
    Row("picture-name-with-other-capitals", both(write("docs/door.jpg", photo(800, 600)), append(CONTACT, "\n![Our front door](Door.JPG)\n")),
        f"{CONTACT}:13:", ("Door.JPG:", "the picture's file is not in the pages' folders", "Did you mean door.jpg?")),
    Row("an-articles-page-with-no-articles", both(
        write("docs/articles/index.md", "---\ntitle: Articles\ndescription: Longer reads.\nhealth_page: false\n---\n\n# Articles\n\n{{ articles_list() }}\n"),
        edit("mkdocs.yml", "  - Contact: contact.md\n", "  - Contact: contact.md\n  - Articles: articles/index.md\n")),
        "docs/articles/index.md:9:", ("articles_list():", "lists the articles, but the site has none", "Leave this page out too")),
    # 11. Numbers and days that would make nonsense of a sentence.
    Row("no-rest-after-the-infusion", edit(CLINIC, "    observation_minutes: 30", "    observation_minutes: 0"),
        f"{CLINIC}:31:", ("policies.session.observation_minutes:", "0 is too small", "at least 15")),
    Row("day-twice-in-one-hours-entry", edit(CLINIC, "  - days: [Monday, Tuesday]", "  - days: [Monday, Monday, Tuesday]"),
        f"{CLINIC}:11:", ("hours[1].days:", "Monday is written twice in this entry's days", "Write each day once")),
    # 12. Files that would make the build hang, read outside the repository, or publish something active
    # (each class in full: tests/test_yamlfile.py, tests/test_published.py, tests/test_commands.py).
    Row("yaml-that-expands-without-end", append(CLINIC, LAUGHS), f"{CLINIC}:61:", ("'&a' marks this value for reuse", "YAML anchor")),
    Row("yaml-alias-in-front-matter", both(edit(CONTACT, "title: Contact", "title: &t Contact"),
                                           edit(CONTACT, "description: How to reach the tiny test clinic.", "description: *t")),
        f"{CONTACT}:2:", ("title:", "'&t' marks this value for reuse")),
    Row("svg-with-a-script", write("docs/map.svg", '<svg xmlns="http://www.w3.org/2000/svg">\n<script>alert(1)</script>\n</svg>\n'),
        "docs/map.svg:2:", ("this drawing cannot be published: it holds <script>", "Optimized SVG"), command=True),
    Row("svg-favicon-loading-another-site", write("docs/leaf.svg", '<svg xmlns="http://www.w3.org/2000/svg">'
                                                  '<image href="https://tracker.example/p.png"/></svg>'),
        "docs/leaf.svg:1:", ("links to something outside the drawing (https://tracker.example/p.png)",)),
    Row("html-file-in-docs", write("docs/offer.html", "<html><script>alert(1)</script></html>"),
        "docs/offer.html:", ("an HTML file is published as it is", "Markdown")),
    Row("pdf-with-javascript", write("docs/form.pdf", b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"
                                                      b"\nendobj\n%%EOF\n"),
        "docs/form.pdf:", ("this document cannot be published", "Save as PDF")),
    Row("a-file-of-another-kind", write("clinics/tiny/docs/dance.gif", b"GIF89a"), "clinics/tiny/docs/dance.gif:",
        ("a .gif file is not one of the kinds of file the site publishes", ".jpg, .jpeg, .png, .webp")),
    Row("a-symlink-to-a-file-elsewhere", lambda root: (root / "docs" / "notes.md").symlink_to(root.parent / "outside.md"),
        "docs/notes.md:", ("a symlink",)),
    # 13. Notes after quoted values, a clinic's own pages: the off-label note and where they go in the menu.
    Row("note-after-a-quoted-value", edit(CLINIC, '    opens: "09:00"', '    opens: "09:00"  # Mondays too'),
        f"{CLINIC}:12:", ("hours[1].opens:", "notes go on a line of their own", "line of its own above")),
    Row("own-page-names-a-condition-without-the-off-label-note", write(
        "clinics/tiny/docs/ptsd-care.md", "---\ntitle: PTSD care\ndescription: How we help with PTSD.\nhealth_page: false\n---\n\n"
                                          "# PTSD care\n\nWe see many people with PTSD.\n"),
        "clinics/tiny/docs/ptsd-care.md:7:", ("off_label_note():", "names PTSD", "Add {{ off_label_note() }}")),
    Row("menu-next-to-a-page-not-in-the-menu", both(
        write("clinics/tiny/docs/team.md", "---\ntitle: Team\ndescription: Us.\nhealth_page: false\n---\n\n# Team\n\nHi.\n"),
        write("clinics/tiny/data/pages.yml", "menu:\n  - page: team.md\n    after: contcat.md\n")),
        "clinics/tiny/data/pages.yml:3:", ("menu[1].after:", "contcat.md is not in the menu", "Did you mean contact.md?")),
    Row("menu-page-in-a-new-section", both(
        write("clinics/tiny/docs/team.md", "---\ntitle: Team\ndescription: Us.\nhealth_page: false\n---\n\n# Team\n\nHi.\n"),
        write("clinics/tiny/data/pages.yml", "menu:\n  - page: team.md\n    section: About us\n    new_section: true\n"
                                            "    before: contact.md\n")), builds=True,
        check=lambda site: "About us" in (site / "index.html").read_text()),
    Row("the-same-file-name-on-two-lines", both(write("docs/door.jpg", photo(800, 600)),
                                                append(CONTACT, "\nOur door.jpg is below.\n\n![](door.jpg)\n")),
        f"{CONTACT}:15:", ("the image door.jpg has no alt text",)),
    # 14. Mistakes whose message once gave a wrong fix: each now gives one that builds (FIXES below).
    Row("tab-indent-before-an-entry", edit(CLINIC, "  - days: [Monday, Tuesday]", "\t- days: [Monday, Tuesday]"),
        f"{CLINIC}:11:", ("indented with a tab", "spaces, not tabs")),
    Row("evidence-level-in-words", edit(CONDITIONS, "    level: some", "    level: very limited"),
        f"{CONDITIONS}:7:", ("crps.evidence.level:", "evidence_levels.yml", "for example some")),
    Row("a-source-of-the-same-year", both(append("data/references.yml", "- id: lipsitz-2021\n  authors: Lipsitz A.\n  title: A third study\n"
                                                                        "  source: Test Journal 2(1):3-4\n  year: 2021\n  doi: 10.1000/test.3\n"
                                                                        "  supports:\n    - claim: A third study.\n      words: [study]\n"),
                                          edit(CONDITIONS, "    source: ref-one\n    note: A few", "    source: smith-2021\n    note: A few")),
        f"{CONDITIONS}:8:", ("no reference with the id 'smith-2021'", "Use one of: ref-one, ref-two, lipsitz-2021")),
    Row("own-page-in-leave-out", both(write("clinics/tiny/docs/our-team.md", "---\ntitle: Team\ndescription: Us.\nhealth_page: false\n---\n\n"
                                                                             "# Team\n\nHi.\n"),
                                      write("clinics/tiny/data/pages.yml", "leave_out:\n  - our-team.md\n")),
        "clinics/tiny/data/pages.yml:2:", ("our-team.md is this clinic's own page", "delete clinics/tiny/docs/our-team.md")),
]


# What staff do on reading each message: the fix it gives, applied to the broken project (`fixed` reads the
# message where the fix is in it, such as a did-you-mean), or the corrected input where the fix is not
# mechanical. After it the build must pass: a message whose fix is wrong fails its row.
Fix = Callable[[Path, str], None]


def to(*changes: Callable[[Path], None]) -> Fix:
    return lambda root, message: [change(root) for change in changes] and None


def as_suggested(file: str, wrong: str, pattern: str = r"Did you mean '?([^'?]+)'?\?", written: str = "{}") -> Fix:
    """Replace what was written with what the message proposes (a did-you-mean, a code, an example)."""
    def fix(root: Path, message: str) -> None:
        proposed = re.search(pattern, message)
        assert proposed, f"the message proposes nothing ({pattern}):\n{message}"
        edit(file, wrong, written.format(proposed.group(1)))(root)
    return fix


def first_choice(file: str, wrong: str) -> Fix:
    return as_suggested(file, wrong, r"Use one of: ([^,.]+)")


# What staff add to an empty conditions.yml: their conditions, one entry each (the tiny clinic's own list).
THE_CONDITIONS = (ROOT / "tests" / "fixtures" / "tiny" / CONDITIONS).read_text(encoding="utf-8")


def cropped_jpeg(file: str) -> Callable[[Path], bytes]:
    """The message's advice for a picture too large to publish: crop it, and save it as a JPEG."""
    def picture(root: Path) -> bytes:
        buffer = io.BytesIO()
        Image.open(root / file).convert("RGB").crop((0, 0, 800, 600)).save(buffer, "JPEG", quality=90)
        return buffer.getvalue()
    return picture


def with_editor_packages(fix: Fix) -> Fix:
    """An editor-settings fix, in a project that has the editor's pinned npm packages (installed by make build)."""
    def fixed(root: Path, message: str) -> None:
        fix(root, message)
        for name in ("package.json", "package-lock.json"):
            shutil.copy2(ROOT / name, root / name)
        (root / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return fixed


def split_base_url(file: str) -> Fix:
    """The message's fix for a sign-in address with a path: the host as base_url, the path as auth_endpoint."""
    def fix(root: Path, message: str) -> None:
        proposed = re.search(r"Write base_url: (\S+) and auth_endpoint: ([^\s,]+),", message)
        assert proposed, message
        edit(file, "base_url: https://tiny.example/oauth",
             f"base_url: {proposed.group(1)}\n      auth_endpoint: {proposed.group(2)}")(root)
    return fix


def saved_as_utf8(file: str) -> Fix:
    return to(lambda root: (root / file).write_bytes((root / file).read_bytes().decode("latin-1").encode("utf-8")))


def removed(file: str, text: str) -> Fix:
    return to(edit(file, text, ""))


FIXES: dict[str, Fix] = {
    "data-key-written-twice": removed(CLINIC, "\nphone: (208) 555-0100"),
    "entry-key-written-twice": removed(CONDITIONS, "\n  name: Trauma"),
    "time-12-hour-closing": to(edit(CLINIC, "    closes: 5:00", "    closes: 17:00")),
    "time-in-words": to(edit(CLINIC, "    opens: nine", '    opens: "09:00"')),
    "hash-cuts-value": to(edit(CLINIC, "  - item: One infusion #1", '  - item: "One infusion #1"')),
    "empty-value-after-hash": to(edit(CLINIC, "short_name: #1 Clinic", 'short_name: "#1 Clinic"')),
    "data-not-utf8": saved_as_utf8(CLINIC),
    "tab-indent": to(edit(CLINIC, "\tcity: Boise", "  city: Boise")),
    "tab-indent-before-an-entry": to(edit(CLINIC, "\t- days:", "  - days:")),
    "missing-colon": to(edit(CLINIC, "  city Boise", "  city: Boise")),
    "bad-indent": to(edit(CLINIC, '   closes: "17:00"', '    closes: "17:00"')),
    "unclosed-quote": to(edit(CLINIC, '  postal_code: "83702', '  postal_code: "83702"')),
    "colon-in-value": to(edit(CONDITIONS, "  description: Pain: strong and lasting.", '  description: "Pain: strong and lasting."')),
    "bool-in-words": to(edit(CLINIC, "  payment_plan: maybe", "  payment_plan: false")),
    "time-zone-unknown": to(edit(CLINIC, "time_zone: Mountain", "time_zone: America/Denver")),
    "number-in-words": as_suggested(CLINIC, "forty", r"for example (\d+)"),
    "price-with-dollar-sign": to(edit(CLINIC, "    amount: $500", "    amount: 500")),
    "unknown-key": as_suggested(CLINIC, "phnoe"),
    "missing-key": to(edit(CLINIC, "phone: (208) 555-0199\n", "phone: (208) 555-0199\nemail: care@tiny.example\n")),
    "zip-too-short": to(edit(CLINIC, "  postal_code: 8370", '  postal_code: "83702"')),
    "state-written-out": as_suggested(CLINIC, "Idaho", r"two-letter code, ([A-Z]{2})"),
    "phone-not-a-number": to(edit(CLINIC, "phone: call us", "phone: 208-555-0199")),
    "unknown-category": as_suggested(CONDITIONS, "pian"),
    "condition-twice-under-two-ids": removed(CONDITIONS, "- id: crps-2\n  name: CRPS\n  category: pain\n  description: Pain.\n"
                                                         "  evidence:\n    level: some\n    source: ref-one\n    note: Some.\n"),
    "day-in-two-hours-entries": removed(CLINIC, "  - days: [Tuesday]\n    opens: \"18:00\"\n    closes: \"20:00\"\n"),
    "empty-conditions-list": to(write(CONDITIONS, THE_CONDITIONS)),
    "empty-file": to(write(CONDITIONS, THE_CONDITIONS)),
    "placeholder-left": to(edit(CLINIC, '"FILL IN, for example Lakeside Clinic"', "Tiny Clinic")),
    "evidence-without-source": to(edit(CONDITIONS, "    level: some\n    note: A few", "    level: some\n    source: ref-one\n    note: A few")),
    "evidence-unknown-source": first_choice(CONDITIONS, "smith-1999"),
    "evidence-level-in-words": as_suggested(CONDITIONS, "very limited", r"for example ([a-z-]+)\."),
    "a-source-of-the-same-year": first_choice(CONDITIONS, "smith-2021"),
    "no-review-record": to(edit(REVIEWS, "[index.md]", "[index.md, faq.md]")),
    "review-in-the-future": to(edit(REVIEWS, "last_reviewed: 2999-01-15", "last_reviewed: 2026-01-15"),
                               edit(REVIEWS, "next_review: 2999-07-15", "next_review: 2026-07-15")),
    "reviewers-list-in-quotes": as_suggested(REVIEWS, 'reviewed_by: "[tester, psych]"', r"Remove the quotes around it: (.+)\.$"),
    "review-date-not-a-date": to(edit(REVIEWS, "last_reviewed: 2026-13-01", "last_reviewed: 2026-01-13")),
    "unknown-reviewer": first_choice(REVIEWS, "dr-who"),
    "next-review-before-last": to(edit(REVIEWS, "next_review: 2025-07-15", "next_review: 2026-07-15")),
    "faq-answer-unknown-macro": as_suggested(FAQ, "phone_lnk"),
    "faq-answer-unknown-source": as_suggested(FAQ, "ref-1"),
    "faq-when-unknown-setting": as_suggested(FAQ, "payment.fre_consultation", r"for example ([a-z_.]+)\."),
    "html-in-data": to(edit(CONDITIONS, "Strong pain.<script>alert(1)</script>", "Strong pain.")),
    "script-link-in-data": to(edit(FAQ, "[Pay now](javascript:alert(1))", "[Ask us](contact.md)")),
    "script-in-page": removed(CONTACT, "<script>alert(document.cookie)</script>\n"),
    "macro-without-brackets": to(edit(CONTACT, "{{ phone_link }}", "{{ phone_link() }}")),
    "a-group-of-settings-shown": as_suggested(CONTACT, "{{ clinic.address }}", r"such as (\{\{ [\w.]+ \}\})"),
    "a-list-shown": as_suggested(CONTACT, "{{ clinic.hours }}", r"Write (\{\{ \w+\(\) \}\})"),
    "a-yes-no-setting-shown": to(edit(CONTACT, "Driver: {{ policies.driver_required }}.",
                                      "{% if policies.driver_required %}Bring a driver.{% endif %}")),
    "the-build-config-shown": as_suggested(CONTACT, "{{ config.plugins }}", r"such as (\{\{ [\w.]+ \}\})"),
    "a-macro-given-too-many-values": to(edit(CONTACT, '{{ phone_link("x", "y") }}', "{{ phone_link() }}")),
    "page-without-title": to(edit(CONTACT, "---\n\n", "---\n\n# Contact us\n\n")),
    "title-made-a-section": to(edit(CONTACT, "## Contact\n", "# Contact\n")),
    "a-second-title": to(edit(CONTACT, "\n# More ways to reach us\n", "\n## More ways to reach us\n")),
    "two-pages-with-one-title": to(edit(CONTACT, "title: Questions", "title: Reach us")),
    "a-copied-description": to(edit(CONTACT, "description: The tiny test clinic's home page.", "description: Ways to reach us.")),
    "link-in-data-to-a-missing-page": as_suggested(FAQ, "cost.md", r"Did you mean ([\w/-]+\.md)\?"),
    "a-note-never-closed": to(edit(CONTACT, "ask the doctor\n", "ask the doctor -->\n")),
    "a-macro-never-closed": to(edit(CONTACT, "{{ phone_link() or", "{{ phone_link() }} or")),
    "curly-quotes-in-a-macro": to(edit(CONTACT, "\u201cref-one\u201d", '"ref-one"')),
    "front-matter-never-closed": to(edit(CONTACT, "health_page: false\n--\n", "health_page: false\n---\n")),
    "phone-typed-into-a-page": to(edit(CONTACT, "208-555-0199", "{{ phone_link() }}")),
    "email-typed-into-a-page": to(edit(CONTACT, "Hello@Tiny.example", "{{ email_link() }}")),
    "macro-in-front-matter": to(edit(CONTACT, "title: Contact {{ clinic.name }}", "title: Contact Tiny Clinic")),
    "macro-in-a-data-text": to(edit(CONDITIONS, "Pain we treat at {{ clinic.name }}.", "Pain we treat here.")),
    "picture-from-another-site": to(write("docs/map.png", photo(400, 300)), edit(CONTACT, "https://maps.example/x.png", "map.png")),
    "video-from-another-site": to(edit(CONTACT, '<video src="https://cdn.example/v.mp4"></video>',
                                       "[See the video](https://cdn.example/v.mp4)")),
    "img-tag-without-alt": to(edit(CONTACT, '<img src="../door.jpg">', '<img src="../door.jpg" alt="Our front door">')),
    "link-to-a-web-address-of-the-site": to(edit(CONTACT, "(/costs/)", "(faq.md)")),
    "link-without-https": as_suggested(CONTACT, "www.fda.gov", r"Write it as (https://\S+)$"),
    "link-with-a-space": to(edit(CONTACT, "ketamine info", "ketamine%20info")),
    "phone-link-without-area-code": to(edit(CONTACT, "tel:555-0100", "tel:+12085550100")),
    "email-link-without-at": to(edit(CONTACT, "mailto:care.tiny", "mailto:care@tiny.example")),
    "link-without-words": to(edit(CONTACT, "[](index.md)", "[our home page](index.md)")),
    "event-handler-in-page": to(edit(CONTACT, ' onmouseover="alert(1)"', "")),
    "script-link-in-page": removed(CONTACT, "[Click](javascript:alert(1))\n"),
    "iframe-in-page": to(edit(CONTACT, '<iframe src="https://maps.example/"></iframe>', "[See the map](https://maps.example/)")),
    "page-front-matter-key-twice": removed(CONTACT, "title: Reach us\n"),
    "page-front-matter-typo": as_suggested(CONTACT, "descripton"),
    "page-without-description": to(edit(CONTACT, "title: Contact\n", "title: Contact\ndescription: Ways to reach us.\n")),
    "page-with-old-review-keys": removed(HOME, "reviewed_by: tester\n"),
    "page-health-without-audience": to(edit(HOME, "description: The tiny test clinic's home page.\n",
                                            "description: The tiny test clinic's home page.\naudience: patients\n")),
    "page-health-without-summary": to(edit(HOME, "audience: patients\n", "audience: patients\nsummary: [The tiny test clinic gives IV ketamine., It treats pain and mental health conditions., Call the clinic to ask if it could help you.]\n")),
    "page-summary-too-short": to(edit(HOME, "summary: [", "summary: [Ask the clinic anything., ")),
    "page-summary-number-not-in-page": to(edit(HOME, "It helps 37 in 100 people.", "It treats pain.")),
    "page-summary-outcome-claim": to(edit(HOME, "Our patients feel better for months.", "It treats pain.")),
    "page-body-empty": to(append(CONTACT, "# Contact\n\nCall us.\n")),
    "page-title-with-colon": to(edit(CONTACT, "title: Contact: phone and email", 'title: "Contact: phone and email"')),
    "page-not-utf8": saved_as_utf8(CONTACT),
    "page-misspelt-fact": as_suggested(CONTACT, "phnoe"),
    "page-unknown-macro": as_suggested(CONTACT, "opening_hourz"),
    "page-unknown-condition": first_choice(HOME, "lupus"),
    "page-unknown-source": to(edit(HOME, 'A claim.{{ cite("smith-1999") }}',  # one of the sources, for a sentence it supports
                                   'Small studies found relief for some weeks.{{ cite("ref-one") }}')),
    "page-macro-not-closed": to(edit(CONTACT, "{{ phone_link() }\n", "{{ phone_link() }}\n")),
    "page-if-without-endif": to(edit(CONTACT, "Free!\n", "Free!{% endif %}\n")),
    "page-link-to-missing-page": to(edit(CONTACT, "(pricing.md)", "(faq.md)")),
    "note-after-a-quoted-value": to(edit(CLINIC, '    opens: "09:00"  # Mondays too', '    # Mondays too\n    opens: "09:00"')),
    "own-page-names-a-condition-without-the-off-label-note": to(append("clinics/tiny/docs/ptsd-care.md", "\n{{ off_label_note() }}\n")),
    "menu-next-to-a-page-not-in-the-menu": as_suggested("clinics/tiny/data/pages.yml", "contcat.md", r"Did you mean ([\w./-]+)\?"),
    "crisis-number-without-its-links": as_suggested(CONTACT, "call or text 988", r"as in: (\[call 988\]\(tel:988\) or \[text 988\]\(sms:988\))"),
    "british-spelling-in-a-page": as_suggested(CONTACT, "colour", r"Write '([^']+)' instead"),
    "british-word-in-clinic-data": as_suggested(CLINIC, "a lift", r"Write '([^']+)' instead"),
    "british-spelling-in-a-faq-answer": as_suggested(FAQ, "colours", r"Write '([^']+)' instead"),
    "the-same-file-name-on-two-lines": to(edit(CONTACT, "![](door.jpg)", "![Our front door, with a ramp](door.jpg)")),
    "image-without-alt": to(edit(CONTACT, "![](door.jpg)", "![Our front door, with a ramp](door.jpg)")),
    "image-unreadable": to(write("docs/door.jpg", photo(800, 600))),
    "image-cannot-fit-budget": to(write("docs/noise.jpg", cropped_jpeg("docs/noise.png")), edit(CONTACT, "(noise.png)", "(noise.jpg)"),
                                  lambda root: (root / "docs/noise.png").unlink()),
    "macros-option-wrong": to(edit("mkdocs.yml", "on_undefined: strictt", "on_undefined: strict")),
    "analytics": removed("mkdocs.yml", "extra:\n  analytics:\n    provider: google\n    property: G-TEST000000\n"),
    "google-fonts": to(edit("mkdocs.yml", "  font:\n    text: Roboto", "  font: false")),
    "default-clinic-missing": to(edit("mkdocs.yml", "default_clinic: clinics/tinny", "default_clinic: clinics/tiny")),
    "config-key-misspelt": to(edit("mkdocs.yml", "site_ulr:", "site_url:")),
    "review-of-a-left-out-page": to(edit(REVIEWS, "[index.md, faq.md, more.md]", "[index.md, faq.md]")),
    "leave-out-a-linked-page": to(write("clinics/tiny/data/pages.yml", "leave_out: []\n")),
    "own-page-in-leave-out": to(write("clinics/tiny/data/pages.yml", "leave_out: []\n"),
                                lambda root: (root / "clinics/tiny/docs/our-team.md").unlink()),
    "menu-section-unknown": removed("clinics/tiny/data/pages.yml", "    section: About\n"),
    "clinic-config-without-inherit": to(edit(SECOND, "# The second clinic.\n", "INHERIT: ../../mkdocs.yml\n")),
    "editor-setting-misspelt": with_editor_packages(as_suggested("mkdocs.yml", "repos")),
    "editor-port-in-words": with_editor_packages(as_suggested("mkdocs.yml", "eighty", r"for example (\d+)")),
    "editor-port-too-large": with_editor_packages(to(edit("mkdocs.yml", "local_port: 99999", "local_port: 8081"))),
    "editor-branch-empty": with_editor_packages(to(edit("mkdocs.yml", "branch:", "branch: main"))),
    "editor-branch-a-number": with_editor_packages(to(edit("mkdocs.yml", "branch: 2024", 'branch: "2024"'))),
    "editor-site-domain-with-https": with_editor_packages(to(edit("mkdocs.yml", "https://tiny.netlify.app", "tiny.netlify.app"))),
    "editor-base-url-with-a-path": with_editor_packages(split_base_url("mkdocs.yml")),
    "editor-setting-in-a-clinic-config": with_editor_packages(split_base_url(SECOND)),
    "editor-base-url-without-https": with_editor_packages(to(edit("mkdocs.yml", "http://", "https://"))),
    "editor-auth-endpoint-without-base-url": with_editor_packages(
        to(edit("mkdocs.yml", "auth_endpoint:", "base_url: https://tiny-auth.example.workers.dev\n      auth_endpoint:"))),
    "editor-api-root-the-website": with_editor_packages(as_suggested("mkdocs.yml", "https://github.com", r"Write api_root: (\S+),")),
    "editor-neither-true-nor-settings": to(edit("mkdocs.yml", 'editor: "yes please"', "editor: false")),
    "default-clinic-a-list": to(edit("mkdocs.yml", "default_clinic: [clinics/tiny]", "default_clinic: clinics/tiny")),
    "invisible-joiner-in-a-key": to(edit(CLINIC, "  ci\u200dty: Boise", "  city: Boise")),
    "phone-with-extension": to(edit(CLINIC, "phone: (208) 555-0199 ext. 2", "phone: (208) 555-0199")),
    "email-with-mailto": to(edit(CLINIC, "email: mailto:hello@tiny.example", "email: hello@tiny.example")),
    "crisis-placeholder-misspelt": to(edit("data/crisis.yml", "{phone_number}", "{phone}")),
    "state-misspelt": as_suggested(CLINIC, "Oregan"),
    "state-code-unknown": to(edit(CLINIC, "  region: XX", "  region: ID")),
    "a-page-compares-with-an-impossible-value": as_suggested(CONTACT, "super-bill"),
    "a-page-looks-for-an-impossible-value": as_suggested(CONTACT, '"HSA"', r"Did you mean ('[^']+')\?"),
    "macro-with-single-braces": as_suggested(CONTACT, "Call { phone_link() }.", r"Write (\{\{ phone_link\(\) \}\})\.", "Call {}."),
    "html-link-to-a-web-address": to(edit(CONTACT, '<a href="pricing/">our prices</a>', "[our prices](faq.md)")),
    "alt-text-is-the-file-name": to(edit(CONTACT, "![door.jpg](door.jpg)", "![Our front door, with a ramp](door.jpg)")),
    "link-in-a-title": to(edit(CONTACT, "title: Contact [us](index.md)", "title: Contact us")),
    "heading-in-a-faq-answer": to(edit(FAQ, "    # Most people pay", "    **Most people pay**")),
    "site-url-with-http": to(edit("mkdocs.yml", "site_url: http://", "site_url: https://")),
    "picture-name-with-other-capitals": as_suggested(CONTACT, "Door.JPG", r"Did you mean ([\w.-]+)\?"),
    "an-articles-page-with-no-articles": to(lambda root: (root / "docs/articles/index.md").unlink(),
                                            edit("mkdocs.yml", "  - Articles: articles/index.md\n", "")),
    "no-rest-after-the-infusion": as_suggested(CLINIC, "observation_minutes: 0", r"at least (\d+)", "observation_minutes: {}"),
    "day-twice-in-one-hours-entry": to(edit(CLINIC, "[Monday, Monday, Tuesday]", "[Monday, Tuesday]")),
    "yaml-that-expands-without-end": removed(CLINIC, LAUGHS),
    "yaml-alias-in-front-matter": to(edit(CONTACT, "title: &t Contact", "title: Contact"),
                                     edit(CONTACT, "description: *t", "description: Ways to reach us.")),
    "svg-with-a-script": to(write("docs/map.svg", '<svg xmlns="http://www.w3.org/2000/svg">\n<circle r="4"/>\n</svg>\n')),
    "svg-favicon-loading-another-site": to(write("docs/leaf.svg", '<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>')),
    "html-file-in-docs": to(lambda root: (root / "docs/offer.html").unlink()),
    "pdf-with-javascript": to(write("docs/form.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\nendobj\n%%EOF\n")),
    "a-file-of-another-kind": to(lambda root: (root / "clinics/tiny/docs/dance.gif").unlink(),
                                 write("clinics/tiny/docs/dance.png", photo(200, 200))),
    "a-symlink-to-a-file-elsewhere": to(lambda root: (root / "docs/notes.md").unlink()),
}


def staff_lines(stderr: str) -> list[str]:
    return [match.group("message") for line in stderr.splitlines() if (match := STAFF_LINE.match(line))]


def staff_message(row: Row, root: Path, site: Path) -> str | None:
    """Make the row's change, build, and return the one staff-facing line (None for a row that must build)."""
    row.change(root)
    result = (build if row.command else build_in_process)(root / row.config, site, cwd=root)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    if row.builds:
        assert result.returncode == 0, result.stderr
        assert row.check is None or row.check(site), "the site does not show what staff meant"
        return None
    assert result.returncode != 0, "the build passed"
    lines = staff_lines(result.stderr)
    assert len(lines) == 1, f"expected one staff-facing line, got:\n{result.stderr}"
    message = lines[0]
    if not row.mkdocs_shape:
        assert SHAPE.match(message), f"not in the shape file:line: key: problem. fix:\n{message}"
        assert message.startswith(row.where), f"expected it to start with {row.where}:\n{message}"
    for words in row.words:
        assert words in message, f"{words!r} not in:\n{message}"
    return message


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_staff_mistake(row: Row, tiny: Path, tmp_path: Path):
    site = tmp_path / "site"
    message = staff_message(row, tiny.parent, site)
    if message is None:
        return
    assert not list(site.rglob("*.html")), "a page was written"
    FIXES[row.id](tiny.parent, message)  # what staff do on reading it
    fixed = build_in_process(tiny.parent / row.config, tmp_path / "fixed", cwd=tiny.parent)
    assert fixed.returncode == 0, f"the fix this message gives does not make the build pass:\n{message}\n\n{fixed.stderr}"


def test_every_mistake_has_its_fix():
    assert sorted(row.id for row in ROWS if not row.builds) == sorted(FIXES)


def test_the_table_covers_every_class_with_enough_rows():
    assert len(ROWS) >= 40
    assert sum(row.builds for row in ROWS) >= 6
    commands = [row for row in ROWS if row.command]
    assert len(commands) >= 5 and any(row.builds for row in commands) and any(row.mkdocs_shape for row in commands)

"""The review records of the health pages (a clinic's data/reviews.yml): checked against the pages, and the ones due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..data.load import ClinicData
from ..errors import StaffError, did_you_mean
from ..schema import ReviewRecord
from .record import PageRecord


def check_reviews(data: ClinicData, records: dict[str, PageRecord], today: date) -> None:
    """Every health page has a review record, every record names a health page, no review is in the future.

    Attaches each page's record. Only a future date depends on today, so time passing can only mend it.
    """
    document = data.documents["reviews.yml"]
    covered: dict[str, ReviewRecord] = {}
    for index, review in enumerate(data.reviews):
        if review.last_reviewed > today:
            raise StaffError(document.path, document.line((index, "last_reviewed")), f"[{index + 1}].last_reviewed",
                             f"{review.last_reviewed} is in the future", "Use the date the review took place.")
        for number, page in enumerate(review.pages):
            where = (document.path, document.line((index, "pages", number)), f"[{index + 1}].pages")
            if page in data.pages.leave_out:
                pages_file = data.documents["pages.yml"]
                raise StaffError(*where, f"{page} is left out of this site (pages.yml, line "
                                 f"{pages_file.line(('leave_out', data.pages.leave_out.index(page)))})",
                                 "Remove it from this review record.")
            if page not in records:
                raise StaffError(*where, f"{page} is not a page of this site",
                                 did_you_mean(page, records, quoted=False) + "Remove it, or check its spelling.")
            if not records[page].meta.health_page:
                raise StaffError(*where, f"{page} is not a health page (its front matter says health_page: false)",
                                 "Remove it from this record.")
            covered[page] = review
    for uri, record in sorted(records.items()):
        if record.meta.health_page:
            if uri not in covered:
                raise StaffError(document.path, None, uri,
                                 f"{uri} is a health page with no review record, so it cannot be published as reviewed",
                                 f"After your reviewer has checked it, add {uri} to the pages of a record here. "
                                 "Or leave the page out of your site in pages.yml.")
            record.review = covered[uri]


@dataclass(frozen=True)
class Due:
    page: str
    review: ReviewRecord
    line: int
    days_left: int  # negative: overdue


def reviews_due(data: ClinicData, today: date, within_days: int) -> list[Due]:
    """Pages whose next review is within `within_days` of today, or already past, soonest first."""
    document = data.documents["reviews.yml"]
    due = [Due(page, review, document.line((index, "next_review")), (review.next_review - today).days)
           for index, review in enumerate(data.reviews) for page in review.pages
           if (review.next_review - today).days <= within_days]
    return sorted(due, key=lambda item: (item.days_left, item.page))

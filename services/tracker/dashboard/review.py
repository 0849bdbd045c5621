"""Which fields of a dispatch the Office should check, and how each was reviewed (issue 18). Pure.

A field the parser read is marked "cần kiểm tra" when its confidence is below the threshold
(``TRACKER_REVIEW_THRESHOLD``, 0.8) or when it was read by OCR, until someone confirms or corrects
it; every field the parser read (or one already reviewed) gets the small confirm/correct form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.tracker.corrections import CORRECTABLE, shown_value
from services.tracker.dashboard.labels import when

MULTILINE = ("subject", "recipients", "distribution", "deadlines")
"""Fields typed in a text area (long or a list, one item a line)."""


@dataclass(frozen=True)
class ReviewMark:
    """What the dispatch page shows beside one field."""

    key: str
    needs_review: bool
    """Low confidence or OCR-read, and not yet reviewed: marked "cần kiểm tra"."""
    confidence_pct: int | None
    reviewed: str | None
    """"Đã xác nhận …" / "Đã sửa …" with who and when, once reviewed."""
    editable: bool
    typed: str
    """The value as the form shows it, ready to be corrected."""
    multiline: bool


def _reviewed(review: Mapping[str, Any] | None) -> str | None:
    if not review:
        return None
    what = "Đã xác nhận" if review.get("review") == "confirmed" else "Đã sửa"
    return f"{what}: {review.get('by') or '—'}, {when(review.get('at'))}"


def marks(dispatch: Mapping[str, Any], threshold: float) -> dict[str, ReviewMark]:
    """The review mark of each field the parser read or someone reviewed, by field."""
    parsed = set(dispatch.get("parsed_fields") or [])
    origins: Mapping[str, Mapping[str, Any]] = dispatch.get("field_origins") or {}
    reviews: Mapping[str, Mapping[str, Any]] = dispatch.get("reviews") or {}
    found: dict[str, ReviewMark] = {}
    for key in CORRECTABLE:
        if key not in parsed and key not in reviews:
            continue
        origin = origins.get(key) or {}
        confidence = origin.get("confidence")
        low = confidence is not None and confidence < threshold
        ocr = origin.get("origin") == "ocr"
        found[key] = ReviewMark(
            key=key, needs_review=(low or ocr) and key not in reviews,
            confidence_pct=None if confidence is None else round(confidence * 100),
            reviewed=_reviewed(reviews.get(key)), editable=True,
            typed=shown_value(dispatch.get(key)).replace("; ", "\n")
            if key in ("recipients", "distribution", "deadlines") else shown_value(dispatch.get(key)),
            multiline=key in MULTILINE)
    return found


def to_check(found: Mapping[str, ReviewMark]) -> int:
    """How many fields still need checking (the page's summary line)."""
    return sum(mark.needs_review for mark in found.values())

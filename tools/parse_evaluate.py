"""Scoring of parser output against labels (the ``eval-parse`` figures).

Rules (see the corpus README):

- strings are compared after NFC, whitespace collapsing and casefolding;
- list fields are scored by F1 over their items (two empty lists score 1.0);
- deadlines compare on (date, time); referenced documents on (number, notation,
  date); the meeting on (date, time, place);
- a null or empty label is right only when the parser gives nothing too;
- ``overall`` is the mean of the per-field accuracies.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

from services.ingest.parsing.model import LABEL_KEYS

LIST_FIELDS = ("recipients", "distribution")


def normalise(value: Any) -> str:
    """NFC, collapsed whitespace, casefolded text of ``value``."""
    return " ".join(unicodedata.normalize("NFC", str(value)).split()).casefold()


def _notation(value: Any) -> str:
    text = unicodedata.normalize("NFC", str(value or ""))
    return "".join(text.split()).replace("–", "-").replace("—", "-").casefold()


def f1(predicted: Iterable[Hashable], expected: Iterable[Hashable]) -> float:
    """F1 of two multisets of items; 1.0 when both are empty."""
    got, want = Counter(predicted), Counter(expected)
    if not got and not want:
        return 1.0
    hits = sum((got & want).values())
    if hits == 0:
        return 0.0
    precision, recall = hits / sum(got.values()), hits / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def _opt(value: Any) -> str | None:
    return None if value is None else normalise(value)


def score_field(field: str, predicted: Any, expected: Any) -> float:
    """Score in ``[0, 1]`` of one field of one document."""
    if field in LIST_FIELDS:
        return f1(map(normalise, predicted or []), map(normalise, expected or []))
    if field == "deadlines":
        return f1(_deadline_keys(predicted), _deadline_keys(expected))
    if field == "referenced_documents":
        return f1(_reference_keys(predicted), _reference_keys(expected))
    if field == "meeting":
        if not predicted or not expected:
            return float(not predicted and not expected)
        keys = ("date", "time", "place")
        return float(all(_opt(predicted.get(k)) == _opt(expected.get(k)) for k in keys))
    empty_predicted = predicted is None or normalise(predicted) == ""
    if expected is None or normalise(expected) == "":
        return float(empty_predicted)
    return float(not empty_predicted and normalise(predicted) == normalise(expected))


def _deadline_keys(items: Any) -> list[tuple[str | None, str | None]]:
    return [(_opt(d.get("date")), _opt(d.get("time"))) for d in items or []]


def _reference_keys(items: Any) -> list[tuple[str | None, str, str | None]]:
    return [(_opt(r.get("number")), _notation(r.get("notation")), _opt(r.get("date"))) for r in items or []]


def score_document(predicted: Mapping[str, Any] | None, expected: Mapping[str, Any]) -> dict[str, float]:
    """Per-field scores of one document; a missing prediction counts as all empty."""
    predicted = predicted or {}
    return {key: score_field(key, predicted.get(key), expected.get(key)) for key in LABEL_KEYS}


def evaluate(
    parsed: Mapping[str, Mapping[str, Any] | None], labels: Iterable[Mapping[str, Any]]
) -> dict[str, Any]:
    """``{"documents": N, "fields": {field: accuracy}, "overall": mean}``.

    ``parsed`` maps each label's ``file`` to the parser's label dict (or None when
    the document failed to parse).
    """
    totals = dict.fromkeys(LABEL_KEYS, 0.0)
    count = 0
    for label in labels:
        count += 1
        scores = score_document(parsed.get(str(label.get("file"))), label)
        for key, value in scores.items():
            totals[key] += value
    fields = {key: round(total / count, 4) if count else 0.0 for key, total in totals.items()}
    overall = round(sum(fields.values()) / len(fields), 4) if count else 0.0
    return {"documents": count, "fields": fields, "overall": overall}

"""Scoring of parser output against labels (the ``eval-parse`` figures).

Rules (see the corpus README):

- strings are compared after NFC, whitespace collapsing and casefolding;
- list fields are scored by F1 over their items (two empty lists score 1.0);
- deadlines compare on (date, time); referenced documents on (number, notation,
  date); the meeting on (date, time, place);
- a null or empty label is right only when the parser gives nothing too;
- ``overall`` is the mean of the per-field accuracies.

The report also names the ``worst`` letters (lowest mean field score, with each missed field's
expected and parsed value, shortened) and the ``doc_type_confusion`` (expected → parsed counts).
"""

from __future__ import annotations

import json
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


WORST = 10
SHORT = 60
NONE = "(không có)"


def evaluate(
    parsed: Mapping[str, Mapping[str, Any] | None], labels: Iterable[Mapping[str, Any]],
    worst: int = WORST, confidence: Mapping[str, Mapping[str, float]] | None = None,
) -> dict[str, Any]:
    """``{"documents": N, "fields": {field: accuracy}, "overall": mean, "worst": [...],
    "doc_type_confusion": {expected: {parsed: count}}}``, and ``"confidence"`` (see
    :func:`confidence_report`) when ``confidence`` gives each file's field confidences.

    ``parsed`` maps each label's ``file`` to the parser's label dict (or None when
    the document failed to parse); ``worst`` is how many letters to name.
    """
    totals = dict.fromkeys(LABEL_KEYS, 0.0)
    letters: list[dict[str, Any]] = []
    confusion: dict[str, Counter[str]] = {}
    rows = list(labels)
    for label in rows:
        name = str(label.get("file"))
        predicted = parsed.get(name)
        scores = score_document(predicted, label)
        for key, value in scores.items():
            totals[key] += value
        letters.append(letter_report(name, predicted, label, scores))
        expected, got = doc_type_pair(predicted, label)
        confusion.setdefault(expected, Counter())[got] += 1
    count = len(rows)
    fields = {key: round(total / count, 4) if count else 0.0 for key, total in totals.items()}
    overall = round(sum(fields.values()) / len(fields), 4) if count else 0.0
    report = {"documents": count, "fields": fields, "overall": overall,
              "worst": worst_letters(letters, worst),
              "doc_type_confusion": {e: dict(c.most_common()) for e, c in sorted(confusion.items())}}
    if confidence is not None:
        report["confidence"] = confidence_report(parsed, rows, confidence)
    return report


def confidence_report(parsed: Mapping[str, Mapping[str, Any] | None],
                      labels: Iterable[Mapping[str, Any]],
                      confidence: Mapping[str, Mapping[str, float]],
                      threshold: float = 0.8) -> dict[str, Any]:
    """Whether the parser's confidence tells right fields from wrong ones: the mean confidence of
    the fields it gave that score 1.0 (``right``) and of those that do not (``wrong``), with their
    counts and the share of each below ``threshold`` (what the dashboard marks for review)."""
    split: dict[str, list[float]] = {"right": [], "wrong": []}
    for label in labels:
        name = str(label.get("file"))
        predicted = parsed.get(name) or {}
        for key, value in (confidence.get(name) or {}).items():
            right = score_field(key, predicted.get(key), label.get(key)) == 1.0
            split["right" if right else "wrong"].append(value)
    return {side: {"fields": len(values),
                   "mean": round(sum(values) / len(values), 3) if values else None,
                   "below_threshold": round(sum(v < threshold for v in values) / len(values), 3)
                   if values else None}
            for side, values in split.items()} | {"threshold": threshold}


def letter_report(name: str, predicted: Mapping[str, Any] | None, expected: Mapping[str, Any],
                  scores: Mapping[str, float]) -> dict[str, Any]:
    """One letter's mean field score and, for each field it missed, what was expected and
    what the parser gave (shortened); ``failed`` when it could not be parsed at all."""
    got = predicted or {}
    missed = {key: {"expected": shorten(expected.get(key)), "got": shorten(got.get(key))}
              for key, value in scores.items() if value < 1.0}
    report: dict[str, Any] = {"file": name, "score": round(sum(scores.values()) / len(scores), 4),
                              "missed": missed}
    if predicted is None:
        report["failed"] = True
    return report


def worst_letters(letters: Iterable[Mapping[str, Any]], limit: int = WORST) -> list[dict[str, Any]]:
    """The ``limit`` letters with the lowest score that missed something, lowest first (ties
    by file name)."""
    missing = [dict(letter) for letter in letters if letter["missed"]]
    return sorted(missing, key=lambda letter: (letter["score"], letter["file"]))[:limit]


def doc_type_pair(predicted: Mapping[str, Any] | None, expected: Mapping[str, Any]) -> tuple[str, str]:
    """``(expected, parsed)`` doc_type as the label writes it; the parsed one takes the label's
    spelling when they compare equal, and an empty one is ``(không có)``."""
    want, got = expected.get("doc_type"), (predicted or {}).get("doc_type")
    want_text = NONE if want is None or not normalise(want) else " ".join(str(want).split())
    if score_field("doc_type", got, want) == 1.0:
        return want_text, want_text
    return want_text, NONE if got is None or not normalise(got) else " ".join(str(got).split())


def shorten(value: Any, limit: int = SHORT) -> Any:
    """``value`` for a person to compare: None stays None, text is collapsed and cut at
    ``limit`` characters (with …), anything else is its compact JSON."""
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                            separators=(",", ":"))
    text = " ".join(unicodedata.normalize("NFC", text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"

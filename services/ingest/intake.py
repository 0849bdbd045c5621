"""Turning what an upstream system sent into a ``DispatchReceived``: pure, no I/O.

What the sender stated always wins. Fields the parser read from the text fill only the gaps, are
listed in ``parsed_fields`` (guesses for a clerk to confirm), and keep their source sentence.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError

from services.ingest.parsing import ParsedDocument
from shared.events import MeetingInfo, StatedDeadline

SCALAR_FIELDS = ("issuer", "parent_issuer", "number", "notation", "doc_type", "place", "subject",
                 "signer_title", "signer_name")
LIST_FIELDS = ("recipients", "distribution")


def merge_parsed(stated: dict[str, Any], parsed: ParsedDocument | None) -> dict[str, Any]:
    """Return event fields: ``stated`` values, completed by ``parsed`` where the sender gave none."""
    fields = {k: v for k, v in stated.items() if v not in (None, [], "")}
    if parsed is None:
        fields.setdefault("parsed_fields", [])
        return fields
    labels = parsed.to_labels()
    with_sources = parsed.to_dict_with_sources()
    guessed: list[str] = []
    for name in (*SCALAR_FIELDS, *LIST_FIELDS):
        if name not in fields and labels.get(name):
            fields[name] = labels[name]
            guessed.append(name)
    if "issued_on" not in fields and (issued := _date(labels.get("issued_on"))):
        fields["issued_on"] = issued
        guessed.append("issued_on")
    deadlines = [d for d in (_deadline(raw) for raw in labels.get("deadlines") or []) if d]
    if deadlines and "deadlines" not in fields:
        fields["deadlines"] = deadlines
        guessed.append("deadlines")
    if "meeting" not in fields and (meeting := _meeting(labels.get("meeting"))):
        fields["meeting"] = meeting
        guessed.append("meeting")
    fields["parsed_fields"] = guessed
    fields["sources"] = {name: s for name in guessed if (s := _sentence(with_sources.get(name)))}
    return fields


def _sentence(entry: Any) -> str | None:
    if isinstance(entry, list):
        entry = entry[0] if entry else None
    if isinstance(entry, dict) and isinstance(entry.get("sentence"), str):
        return str(entry["sentence"])[:1000]
    return None


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _deadline(raw: dict[str, Any]) -> StatedDeadline | None:
    try:
        return StatedDeadline.model_validate(raw)
    except ValidationError:
        return None


def _meeting(raw: Any) -> MeetingInfo | None:
    if not isinstance(raw, dict) or not any(raw.values()):
        return None
    try:
        return MeetingInfo.model_validate(raw)
    except ValidationError:
        return None

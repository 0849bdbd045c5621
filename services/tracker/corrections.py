"""The Office reviews the fields the parser read (issue 18): confirm or correct. Pure.

- :func:`parse_value` reads what the reviewer typed into a field's value as ``DispatchReceived``
  carries it (lists separated by ";" or lines, dates as dd/mm/yyyy), or says in words why not;
- :func:`corrected_dispatch` rebuilds the dispatch as received from the tracker's stored document
  with the correction applied, for the router to decide again (``DispatchCorrected.corrected``);
- :func:`applied` plans what the tracker writes when it consumes a review: the field's new value,
  the review mark (who, when, before, the confidence it had), the timeline entry;
- :func:`review_words` says it on the timeline: "Văn phòng sửa trường Cơ quan ban hành: «A» → «B»".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any, get_args

from services.tracker.recording import timeline_entry
from services.tracker.writes import SetFields, WriteBatch
from shared.events import DispatchReceived
from shared.events_corrections import ROUTING_FIELDS, CorrectableField, DispatchCorrected

Doc = dict[str, Any]
CORRECTABLE: tuple[str, ...] = get_args(CorrectableField)
LIST_FIELDS = ("recipients", "distribution")
LABELS = {"subject": "Trích yếu", "number": "Số", "notation": "Ký hiệu", "doc_type": "Loại văn bản",
          "issuer": "Cơ quan ban hành", "parent_issuer": "Cơ quan chủ quản", "place": "Địa danh",
          "issued_on": "Ngày ban hành", "recipients": "Kính gửi",
          "deadlines": "Hạn nêu trong văn bản", "meeting": "Cuộc họp",
          "signer_title": "Chức vụ người ký", "signer_name": "Người ký", "distribution": "Nơi nhận"}
"""The reviewable fields' names as the dispatch page shows them (``dashboard.labels.FIELD``)."""
_DAY = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")
_DEADLINE = re.compile(r"^\s*(?:(\d{1,2})[:hg](\d{2})\s+)?(\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4})"
                       r"\s*(?::\s*(.+))?$")
_MEETING = re.compile(r"^\s*(?:(\d{1,2})[:hg](\d{2})\s+)?(?:ngày\s+)?"
                      r"(\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4})?\s*(?:tại\s+(.+))?$", re.IGNORECASE)


class BadValue(ValueError):
    """What the reviewer typed does not fit the field; the message says why, in Vietnamese."""


def _day(text: str) -> str:
    match = _DAY.match(text)
    if match is None:
        raise BadValue(f"«{text.strip()}» không phải ngày dạng ngày/tháng/năm (vd 05/03/2025)")
    try:
        return date(int(match[3]), int(match[2]), int(match[1])).isoformat()
    except ValueError as exc:
        raise BadValue(f"«{text.strip()}» không phải ngày có thật") from exc


def parse_value(field: str, text: str) -> Any:
    """The value of ``field`` typed as ``text`` (None: the field is emptied); raises
    :class:`BadValue`. Lists: items separated by ";" or line breaks. ``issued_on``: dd/mm/yyyy.
    ``deadlines``: items "[HH:MM ]dd/mm/yyyy[: việc cần làm]". ``meeting``: "[HH:MM ][ngày ]
    dd/mm/yyyy[ tại địa điểm]"."""
    if field not in CORRECTABLE:
        raise BadValue(f"trường «{field}» không sửa được")
    text = text.strip()
    items = [i.strip() for i in re.split(r"[;\n]", text) if i.strip()]
    if field in LIST_FIELDS:
        return items
    if not text:
        return [] if field == "deadlines" else None
    if field == "issued_on":
        return _day(text)
    if field == "deadlines":
        found = []
        for item in items:
            match = _DEADLINE.match(item)
            if match is None:
                raise BadValue(f"«{item}» không phải hạn dạng [giờ:phút ]ngày/tháng/năm[: việc]")
            time = f"{int(match[1]):02d}:{match[2]}" if match[1] else None
            found.append({"date": _day(match[3]), "time": time, "what": match[4], "who": None})
        return found
    if field == "meeting":
        match = _MEETING.match(text)
        if match is None or not any(match.groups()):
            raise BadValue("cuộc họp ghi dạng [giờ:phút ]ngày/tháng/năm[ tại địa điểm]")
        return {"date": _day(match[3]) if match[3] else None,
                "time": f"{int(match[1]):02d}:{match[2]}" if match[1] else None,
                "place": match[4].strip() if match[4] else None}
    return " ".join(text.split())


def shown_value(value: Any) -> str:
    """A value as the reviewer types it back (the form's initial text) and the timeline quotes it."""
    if value in (None, "", [], {}):
        return ""
    if isinstance(value, list):
        return "; ".join(shown_value(v) for v in value)
    if isinstance(value, dict):
        if "place" in value:
            parts = [value.get("time") or "", _dmy(value.get("date")),
                     f"tại {value['place']}" if value.get("place") else ""]
        else:
            parts = [value.get("time") or "", _dmy(value.get("date")) +
                     (f": {value['what']}" if value.get("what") else "")]
        return " ".join(p for p in parts if p)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return _dmy(value)
    return str(value)


def _dmy(iso: Any) -> str:
    if not iso:
        return ""
    year, month, day = str(iso)[:10].split("-")
    return f"{day}/{month}/{year}"


def _aware(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value))


def corrected_dispatch(dispatch: Mapping[str, Any], field: str, after: Any,
                       event_id: str) -> DispatchReceived:
    """The dispatch as ingest sent it, read back from the tracker's stored document, with ``field``
    set to ``after`` (``event_id``: an id of its own; the receipt time stays the original's)."""
    fields = {k: v for k, v in dispatch.items() if k not in ("_id", "event_id", "occurred_at")}
    fields[field] = after
    return DispatchReceived.model_validate({
        **fields, "dispatch_id": dispatch.get("dispatch_id") or dispatch["_id"],
        "event_id": event_id, "occurred_at": _aware(dispatch.get("received_at"))})


def changes_routing(field: str, before: Any, after: Any) -> bool:
    """Whether the router must decide again: a field routing depends on changed."""
    return field in ROUTING_FIELDS and before != after


def review_words(entry: Mapping[str, Any]) -> str:
    """A review on the timeline, in words."""
    label = LABELS.get(entry.get("field") or "", entry.get("field") or "")
    who = f" (người sửa: {entry['corrected_by']})" if entry.get("corrected_by") else ""
    before = shown_value(entry.get("before")) or "trống"
    if entry.get("review") == "confirmed":
        return f"Văn phòng xác nhận trường {label}: «{before}»{who}"
    after = shown_value(entry.get("after")) or "trống"
    return f"Văn phòng sửa trường {label}: «{before}» → «{after}»{who}"


def applied(batch: WriteBatch, event: DispatchCorrected, dispatch: Mapping[str, Any]) -> None:
    """Plan the writes of a review: the field's value (if corrected), its review mark, the
    timeline entry (which marks the event applied)."""
    reviews = dict(dispatch.get("reviews") or {})
    reviews[event.field] = {"review": event.review, "by": event.corrected_by,
                            "at": event.occurred_at, "confidence": event.confidence,
                            "event_id": event.event_id}
    fields: Doc = {"reviews": reviews}
    after = event.model_dump(mode="json")["after"]
    if event.review == "corrected":
        fields[event.field] = after
    batch.dispatches.append(SetFields(event.dispatch_id, fields))
    batch.timeline.append(timeline_entry(
        event, event.dispatch_id, field=event.field, review=event.review,
        before=event.model_dump(mode="json")["before"], after=after,
        corrected_by=event.corrected_by, rerouted=event.reroutes))

"""View models of one dispatch: its fields with their source sentences, assignments, timeline and
the units × status matrix. Pure: documents in, rows out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.tracker import reports
from services.tracker.blockers import directed_words, reported_words
from services.tracker.corrections import review_words
from services.tracker.dashboard import labels
from services.tracker.extensions import timeline_words as extension_words
from services.tracker.people import handed_over_words
from services.tracker.withdrawal import withdrawal_words

Doc = dict[str, Any]


@dataclass(frozen=True)
class FieldRow:
    """One field of the dispatch; ``parsed`` when the parser read it, with the sentence it came from."""

    key: str
    label: str
    value: str
    parsed: bool
    source: str | None
    ocr_confidence: float | None = None
    """Set when the field was recognised from a scanned page (OCR): the clerk must confirm it."""
    ocr: bool = False


@dataclass(frozen=True)
class SignatureView:
    """The verdict on the document's digital signature (chữ ký số), in words."""

    status: str
    text: str
    detail: str


@dataclass(frozen=True)
class Event:
    """One line of the timeline."""

    at: datetime | None
    when: str
    text: str
    kind: str


@dataclass(frozen=True)
class MatrixRow:
    """One unit of the matrix: its cell is the column whose key equals ``reply``."""

    unit_code: str
    unit_name: str
    role: str
    status: str
    due: str
    reply: str


def _moment(time: str | None, day: Any) -> str:
    """A stated time and day as every page writes them: '09:00 ngày 19/02/2024' (shared.wording)."""
    shown = labels.day(day) if day else ""
    return " ".join(p for p in (time or "", f"ngày {shown}" if shown else "") if p)


def _value(key: str, value: Any) -> str:
    if key in ("recipients", "distribution"):
        return "; ".join(str(v) for v in value)
    if key == "deadlines":
        return "; ".join(
            _moment(d.get("time"), d.get("date"))
            + (f": {d['what']}" if d.get("what") else "") + (f" ({d['who']})" if d.get("who") else "")
            for d in value)
    if key == "meeting":
        at = _moment(value.get("time"), value.get("date"))
        return at + (f" tại {value['place']}" if value.get("place") else "")
    if key == "issued_on":
        return labels.day(value)
    if key == "due_at":
        return labels.when(value)
    return str(value)


def dispatch_fields(dispatch: Doc) -> list[FieldRow]:
    """The fields the dispatch has, each with its source sentence when the parser read it."""
    parsed = set(dispatch.get("parsed_fields") or [])
    sources: Mapping[str, str] = dispatch.get("sources") or {}
    origins: Mapping[str, Doc] = dispatch.get("field_origins") or {}
    rows = []
    for key, label in labels.FIELD.items():
        value = dispatch.get(key)
        if value in (None, "", [], {}):
            continue
        origin = origins.get(key) or {}
        rows.append(FieldRow(key, label, _value(key, value), key in parsed, sources.get(key),
                             origin.get("confidence"), origin.get("origin") == "ocr"))
    return rows


def signature(dispatch: Doc) -> SignatureView | None:
    """The digital signature's verdict in words, or None when the file was not a PDF."""
    sig = dispatch.get("signature")
    if not sig:
        return None
    status = sig.get("status") or "unsigned"
    who = ", ".join(p for p in (sig.get("signer"), sig.get("organisation")) if p)
    parts = [f"người ký: {who}" if who else "",
             f"ký lúc {labels.when(sig['signed_at'])}" if sig.get("signed_at") else "",
             sig.get("reason") or ""]
    return SignatureView(status, labels.SIGNATURE.get(status, status),
                         " · ".join(p for p in parts if p))


def assignment_rows(assignments: Iterable[Doc], names: Mapping[str, str],
                    now: datetime) -> list[Doc]:
    """Assignments for the table: lead first, then by unit."""
    rows = []
    for a in sorted(assignments, key=lambda a: (a.get("role") != "lead", a["unit_code"])):
        reply = reports.reply_state(a, now)
        rows.append({
            "unit_code": a["unit_code"], "unit_name": names.get(a["unit_code"], a["unit_code"]),
            "role": labels.ROLE.get(a.get("role") or "", "—"),
            "status": labels.status_text(a["status"]), "reply": reply,
            "reply_text": labels.REPLY.get(reply, reply), "task": a.get("task") or "",
            "due": labels.when(a["due_at"]), "ack_due": labels.when(a.get("ack_due_at")),
            "acknowledged": labels.when(a.get("acknowledged_at")),
            "completed": labels.when(a.get("completed_at")), "note": a.get("reply_note") or "",
        })
    return rows


def failed_notice(entry: Doc, names: Mapping[str, str]) -> str:
    """A notification the notifier gave up on, in words (what, about whom, to whom, why)."""
    kind = entry.get("kind") or ""
    what = labels.NOTICE.get(kind, kind or "thông báo")
    if entry.get("level"):
        what += f" mức {entry['level']}"
    unit = entry.get("unit_code")
    about = f" về {names.get(unit, unit)} ({unit})" if unit else ""
    channel = labels.CHANNEL.get(entry.get("channel") or "", entry.get("channel") or "—")
    step = labels.STEP.get(entry.get("step") or "", entry.get("step") or "—")
    return (f"Gửi thông báo thất bại: {what}{about} tới {entry.get('recipient_id') or '—'} qua "
            f"{channel}, hỏng ở bước {step} sau {entry.get('attempts', 0)} lần thử — lý do: "
            f"{entry.get('reason') or 'không rõ'}")


def _describe(entry: Doc, names: Mapping[str, str]) -> str:
    kind = entry.get("event_type", "")
    unit = entry.get("unit_code")
    if kind == "notification.failed":
        return failed_notice(entry, names)
    if kind == "dispatch.received":
        return f"Tiếp nhận văn bản từ hệ thống {entry.get('source_system') or '—'}"
    if kind == "dispatch.assigned":
        return f"Phân công: {', '.join(entry.get('units') or [])}. {entry.get('reason') or ''}".strip()
    if kind == "dispatch.reassigned":
        return f"Chuyển từ {entry.get('from_unit') or '—'} sang {unit}: {entry.get('reason') or ''}"
    if kind == "dispatch.disputed":
        return f"Đùn đẩy giữa {', '.join(entry.get('units') or [])}: {entry.get('reason') or ''}"
    if kind == "assignment.overridden":
        return (f"{entry.get('decided_by') or 'Lãnh đạo Sở'} chỉ đạo: {entry.get('lead_unit')} chủ trì."
                f" {entry.get('reason') or ''}").strip()
    if kind == "assignment.responded":
        action = labels.ACTION.get(entry.get("action") or "", entry.get("action") or "")
        text = f"{names.get(unit or '', unit)} ({unit}) {action}"
        if entry.get("responded_by") and entry["responded_by"] != unit:
            text += f" (người gửi: {entry['responded_by']})"
        if entry.get("transfer_to"):
            text += f" → {entry['transfer_to']}"
        if entry.get("note"):
            text += f": «{entry['note']}»"
        if entry.get("refused"):
            text += f" — bị từ chối ghi nhận: {entry['refused']}"
        return text
    if kind in ("blocker.reported", "blocker.directed"):  # issue 16: phản ánh vướng mắc
        return (reported_words if kind == "blocker.reported" else directed_words)(entry, names)
    if kind in ("extension.requested", "extension.decided"):  # issue 16: xin gia hạn
        return extension_words(entry, names)
    if kind in ("assignment.handed_over", "desk.handed_over"):  # issue 16: phân công xử lý
        return handed_over_words(entry, names)
    if kind == "dispatch.withdrawn":  # issue 19: thu hồi, thay thế by a later package
        return withdrawal_words(entry, names)
    if kind == "dispatch.corrected":  # issue 18: the Office confirmed or corrected a field
        return review_words(entry)
    return str(kind)


def _kind(entry: Doc) -> str:
    if entry.get("event_type") == "notification.failed":
        return "failed"
    return "refused" if entry.get("refused") else "event"


def timeline(entries: Iterable[Doc], checks: Iterable[Doc], names: Mapping[str, str]) -> list[Event]:
    """Recorded events and fired deadline signals (at the instant each became due), oldest first."""
    events = [Event(labels.as_datetime(e.get("occurred_at")), labels.when(e.get("occurred_at")),
                    _describe(e, names), _kind(e))
              for e in entries]
    for check in checks:
        for signal in check.get("fired") or []:
            at = labels.as_datetime((check.get("schedule") or {}).get(signal))
            text = f"{labels.SIGNAL.get(signal, signal)}: {names.get(check['unit_code'], '')} " \
                   f"({check['unit_code']})"
            events.append(Event(at, labels.when(at), text, "signal"))
    return sorted(events, key=lambda e: (e.at is None, e.at or datetime.min))


def matrix(assignments: list[Doc], names: Mapping[str, str], now: datetime) -> list[MatrixRow]:
    """Units × reply state of a (broadcast) dispatch, from ``reports.broadcast_matrix``."""
    return [MatrixRow(r["unit_code"], names.get(r["unit_code"], r["unit_code"]),
                      labels.ROLE.get(r.get("role") or "", "—"),
                      labels.status_text(r["status"]), labels.when(r["due_at"]),
                      r["reply"])
            for r in reports.broadcast_matrix(assignments, now)]


def failed_rows(entries: Iterable[Doc], names: Mapping[str, str]) -> list[Doc]:
    """Notifications the notifier gave up on, newest first, for the list of failures."""
    return [{"when": labels.when(e.get("occurred_at")), "dispatch_id": e.get("dispatch_id"),
             "text": failed_notice(e, names)} for e in entries]

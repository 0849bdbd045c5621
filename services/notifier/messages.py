"""Vietnamese messages (thông báo nhắc việc) from Jinja2 templates: subject, text and HTML bodies.

:class:`MessageRenderer` renders one or several planned notifications for the same recipient (several
when the :class:`~services.notifier.coalescing.Coalescer` held them) into one
:class:`~services.notifier.channels.base.RenderedMessage`; for overdue level 3 it attaches the draft
công văn đôn đốc built by :mod:`services.notifier.reminder_letter`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from services.notifier.channels.base import FileAttachment, RenderedMessage
from services.notifier.escalation import PlannedNotification
from services.notifier.policy import LetterSettings
from services.notifier.reminder_letter import DOCX_TYPE, letter_for
from services.notifier.wording import document_ref, local_time, strip_vv, unit_label, vn_duration
from shared.events import (
    AssignmentDeadlineApproaching,
    AssignmentNotAcknowledged,
    AssignmentSignal,
    ResponsibilityDisputed,
)
from shared.events_exchange import Urgency
from shared.safe_text import clean_line

TEMPLATES = Path(__file__).with_name("templates")
_ACTIONS = {
    ("unacknowledged", None): "Đề nghị đồng chí chỉ đạo tiếp nhận văn bản trên hệ thống.",
    ("approaching", None): "Đề nghị đơn vị hoàn thành và gửi kết quả trước hạn.",
    ("overdue", 1): "Đề nghị đồng chí chỉ đạo xử lý ngay và báo cáo kết quả.",
    ("overdue", 2): "Đề nghị Văn phòng đôn đốc đơn vị và theo dõi kết quả xử lý.",
    ("overdue", 3): "Kính trình Lãnh đạo Sở xem xét, ký công văn đôn đốc (dự thảo đính kèm).",
    ("disputed", None): "Đề nghị Lãnh đạo Sở quyết định đơn vị chủ trì xử lý.",
}
URGENT_FIRST = (Urgency.EXPRESS, Urgency.VERY_URGENT, Urgency.URGENT)
_HOPS = {"decline": "trả lại", "transfer": "chuyển", "override": "Lãnh đạo giao lại"}


def environment() -> Environment:
    """The Jinja2 environment over ``templates/`` (HTML autoescaped, undefined names are errors)."""
    return Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                       autoescape=select_autoescape(["html.j2"]), trim_blocks=True,
                       lstrip_blocks=True, keep_trailing_newline=True)


def headline(item: PlannedNotification) -> str:
    """What happened, in a few words (for a coordinating unit: whom its part is due to)."""
    text = {
        "unacknowledged": "Chưa tiếp nhận văn bản", "approaching": "Sắp đến hạn xử lý",
        "overdue": f"Quá hạn xử lý (mức {item.level})",
        "disputed": "Văn bản bị chuyển qua lại giữa các đơn vị",
    }[item.kind]
    sig = item.signal
    if isinstance(sig, AssignmentSignal) and sig.role == "coordinating":
        leads = ", ".join(clean_line(c) for c in sig.lead_units) or "đơn vị chủ trì"
        text += f" — phần phối hợp gửi {leads}"
    return text


def urgency_prefix(items: Sequence[PlannedNotification]) -> str:
    """'[HỎA TỐC] ' (thượng khẩn, khẩn) for the most urgent of the items' dispatches; ''."""
    stated = {getattr(i.signal, "urgency", None) for i in items}
    top = next((u for u in URGENT_FIRST if u in stated), None)
    return f"[{top.label.upper()}] " if top is not None else ""


def _lateness(signal: AssignmentSignal) -> str:
    now = signal.detected_at
    if isinstance(signal, AssignmentDeadlineApproaching):
        return f"còn {vn_duration(signal.due_at - now)} đến hạn xử lý"
    if isinstance(signal, AssignmentNotAcknowledged):
        return f"quá hạn tiếp nhận {vn_duration(now - (signal.ack_due_at or signal.due_at))}"
    return f"đã quá hạn {vn_duration(now - signal.due_at)}"


def _unit_label(item: PlannedNotification, code: str) -> str:
    return unit_label(code, item.unit_names.get(code))


def item_view(item: PlannedNotification, tracker_url: str) -> dict[str, Any]:
    """The template variables of one notification. Every text is one clean line (events may hold
    anything), and the link's dispatch id is percent-encoded, so it cannot leave the dashboard."""
    sig = item.signal
    view: dict[str, Any] = {
        "headline": headline(item), "kind": item.kind, "level": item.level, "cc": item.copy,
        "subject": strip_vv(sig.subject), "action": _ACTIONS[(item.kind, item.level)],
        "link": f"{tracker_url.rstrip('/')}/dashboard/dispatches/{quote(sig.dispatch_id, safe='')}",
        "chain": [],
    }
    if isinstance(sig, ResponsibilityDisputed):
        view |= {"ref": clean_line(f"mã {sig.dispatch_id}"), "unit": ", ".join(
            _unit_label(item, c) for c in item.unit_names), "due": None,
            "reason": clean_line(sig.reason), "lateness": f"đã chuyển qua {len(sig.chain)} lần"}
        view["chain"] = [clean_line(
            f"{local_time(h.at)}: {h.from_unit or 'Văn thư'} → {h.to_unit} ({_HOPS.get(h.action, h.action)}"
            + (f": {h.reason})" if h.reason else ")")) for h in sig.chain]
    else:
        view |= {"ref": document_ref(sig.number, sig.notation), "unit": _unit_label(item, sig.unit_code),
                 "due": local_time(sig.due_at), "lateness": _lateness(sig), "reason": None}
    return view


class MessageRenderer:
    """Renders planned notifications for one recipient into one message (Vietnamese, text + HTML)."""

    def __init__(self, tracker_url: str, letter: LetterSettings | None = None) -> None:
        self.tracker_url = tracker_url
        self.letter = letter or LetterSettings()
        self._env = environment()

    def subject(self, items: Sequence[PlannedNotification]) -> str:
        """'[Vanthu] Quá hạn xử lý (mức 3): số 123/SCT-VP - QLTM', or a count when folded; led by
        the most urgent dispatch's độ khẩn: '[HỎA TỐC] [Vanthu] …'."""
        urgent = urgency_prefix(items)
        if len(items) > 1:
            return f"{urgent}[Vanthu] {len(items)} thông báo nhắc việc, đôn đốc xử lý văn bản"
        view = item_view(items[0], self.tracker_url)
        unit = clean_line(items[0].unit_code or "").strip() or "Lãnh đạo Sở quyết định"
        return clean_line(f"{urgent}[Vanthu] {view['headline']}: {view['ref']} - {unit}")

    def render(self, items: Sequence[PlannedNotification]) -> RenderedMessage:
        """One message for ``items`` (same recipient and channel, at least one)."""
        if not items:
            raise ValueError("nothing to render")
        views = [item_view(i, self.tracker_url) for i in items]
        ctx = {"recipient": items[0].recipient, "items": views, "folded": len(items) > 1}
        data = {"items": [{"key": i.key, "dispatch_id": i.dispatch_id, "unit_code": i.unit_code,
                           "kind": i.kind, "level": i.level, "cc": i.copy, "link": v["link"]}
                          for i, v in zip(items, views, strict=True)]}
        return RenderedMessage(
            subject=self.subject(items),
            text=self._env.get_template("notification.txt.j2").render(ctx),
            html=self._env.get_template("notification.html.j2").render(ctx),
            attachments=self._letters(items), data=data,
        )

    def _letters(self, items: Sequence[PlannedNotification]) -> tuple[FileAttachment, ...]:
        by_dispatch: dict[str, list[PlannedNotification]] = {}
        for item in items:
            if item.reminder_letter and isinstance(item.signal, AssignmentSignal):
                by_dispatch.setdefault(item.dispatch_id, []).append(item)
        return tuple(FileAttachment(name, content, DOCX_TYPE)
                     for name, content in (letter_for(group, self.letter)
                                           for group in by_dispatch.values()))

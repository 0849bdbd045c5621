"""Who hears about lateness, and what they are told. Pure: no I/O.

For now every overdue signal goes to the late unit itself over the log channel; the escalation chain
(unit → head → Văn phòng → Phó Giám đốc → Giám đốc) comes as data in the notifier's own issue.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.clock import VIETNAM_TZ
from shared.events import AssignmentOverdue


@dataclass(frozen=True)
class Notification:
    """One message to one recipient over one channel."""

    dedup_key: str
    recipient: str
    channel: str
    text: str


def notifications_for(event: AssignmentOverdue) -> list[Notification]:
    """Return the notifications an overdue signal causes (one per recipient)."""
    due_local = event.due_at.astimezone(VIETNAM_TZ).strftime("%H:%M ngày %d/%m/%Y")
    recipient = event.unit_code
    text = (
        f"Đơn vị {event.unit_code}: văn bản {event.dispatch_id} đã quá hạn xử lý "
        f"(hạn {due_local}), mức {event.level}."
    )
    key = f"{event.dispatch_id}:{event.unit_code}:L{event.level}:{recipient}"
    return [Notification(dedup_key=key, recipient=recipient, channel="log", text=text)]

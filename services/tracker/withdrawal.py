"""A dispatch withdrawn by a later edXML package (``DispatchWithdrawn``, issue 19; ADR 0016).

The router found the earlier dispatch by its DocumentId; here its open assignments are cancelled
(their deadline checks closed, so no reminder follows), the dispatch is marked withdrawn, and both
dispatches' timelines say so, each naming the other: the earlier one "bị thu hồi / thay thế bởi" the
package, the package "thu hồi / thay thế" the earlier one. The units that held it are told by the
notifier, from the same event. Applied once: the earlier dispatch's timeline entry has the event's id.
Pure: the entries and their words; the handler is :mod:`services.tracker.withdrawal_handler`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.tracker.recording import timeline_entry
from services.tracker.records import TimelineEntry
from shared.events import derived_event_id
from shared.events_withdrawal import DispatchWithdrawn

EVENT_TYPE = "dispatch.withdrawn"
ACT = {"revoke": "thu hồi", "replace": "thay thế", "update": "cập nhật"}
"""What the later package did, in a clerk's words."""


def withdrawal_entries(event: DispatchWithdrawn, cancelled: list[str]) -> list[TimelineEntry]:
    """The timeline entries: on the withdrawn dispatch (the event's id) and on the package's."""
    common = {"business": event.business.value, "document_id": event.document_id,
              "reason": event.reason}
    earlier = timeline_entry(event, event.dispatch_id, side="withdrawn",
                             by_dispatch_id=event.by_dispatch_id, by_subject=event.by_subject,
                             cancelled=cancelled, **common)
    package = timeline_entry(event, event.by_dispatch_id, side="withdrawing",
                             withdrawn_dispatch_id=event.dispatch_id, subject=event.subject,
                             number=event.number, notation=event.notation, **common)
    return [earlier, TimelineEntry(
        event_id=derived_event_id(event.event_id, "package"), dispatch_id=package.dispatch_id,
        event_type=package.event_type, occurred_at=package.occurred_at,
        correlation_id=event.by_dispatch_id, details=package.details)]


def withdrawal_words(entry: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """A withdrawal on a timeline, e.g. 'Văn bản bị thu hồi bởi văn bản mã … («…»); dừng xử lý,
    hủy phần việc của Phòng Quản lý Thương mại (QLTM). Lý do: …'."""
    act = ACT.get(str(entry.get("business")), "thu hồi")
    reason = f" Lý do: {entry['reason']}" if entry.get("reason") else ""
    if entry.get("side") == "withdrawing":
        number = "/".join(p for p in (entry.get("number"), entry.get("notation")) if p)
        ref = f"số {number}, " if number else ""
        subject = f" («{entry['subject']}»)" if entry.get("subject") else ""
        return (f"Văn bản này {act} văn bản {ref}mã {entry.get('withdrawn_dispatch_id')}{subject}: "
                f"văn bản đó dừng xử lý.{reason}")
    subject = f" («{entry['by_subject']}»)" if entry.get("by_subject") else ""
    units = [f"{names.get(u, u)} ({u})" for u in entry.get("cancelled") or []]
    cancelled = f"; hủy phần việc của {', '.join(units)}" if units else ""
    return (f"Văn bản bị {act} bởi văn bản mã {entry.get('by_dispatch_id')}{subject}: dừng xử lý"
            f"{cancelled}.{reason}")

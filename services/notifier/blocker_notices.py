"""Notices of blockers (phản ánh vướng mắc) and directions (ý kiến chỉ đạo), issue 16. Pure: no I/O.

A reported blocker goes at once, unfolded, to the Office (Văn phòng Sở) and the deputy director in
charge of the unit; leadership's direction goes back to the unit, with its head in copy. Each
message is rendered here (Vietnamese, text and HTML, from ``templates/blocker.*.j2``) and becomes one
:class:`~services.notifier.channels.base.Outgoing` per recipient and channel
(:mod:`services.notifier.notices`), delivered by
:meth:`~services.notifier.delivery.DeliveryService.send` like the digest: once per dedup key

    ``{dispatch_id}/{unit_code}/{blocker_id}/{blocker|direction}/{recipient}/{channel}``

which :func:`~services.notifier.failures.describe_key` reads (kind ``blocker`` or ``direction``), so a
redelivered event sends nothing twice and a give-up lands on the dispatch's timeline.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from services.notifier import notices
from services.notifier.addressees import asked_or_answered
from services.notifier.channels.base import Outgoing, RenderedMessage
from services.notifier.directory import Contact, RecipientDirectory
from services.notifier.wording import document_ref, local_time, strip_vv, unit_label
from shared.events_blockers import BlockerDirected, BlockerReported
from shared.safe_text import clean_line

BlockerEvent = BlockerReported | BlockerDirected


def recipients(event: BlockerEvent, directory: RecipientDirectory
               ) -> tuple[tuple[Contact, ...], tuple[Contact, ...]]:
    """(addressees, copies): the Office and the deputy in charge for a blocker; the unit, and its
    head in copy, for a direction. Raises ``UnknownRecipientError`` when one cannot be found."""
    return asked_or_answered(directory, event.unit_code, asking=isinstance(event, BlockerReported))


def view(event: BlockerEvent, unit_name: str, tracker_url: str) -> dict[str, Any]:
    """The template variables (every text one clean line but the notes; links percent-encoded)."""
    base = tracker_url.rstrip("/")
    common = {"unit": unit_label(event.unit_code, unit_name),
              "subject": strip_vv(event.subject) if event.subject else "(chưa có trích yếu)",
              "dispatch_id": clean_line(event.dispatch_id)}
    if isinstance(event, BlockerReported):
        return {**common, "kind": "blocker", "headline": "Đơn vị phản ánh vướng mắc, chờ chỉ đạo",
                "ref": document_ref(event.number, event.notation),
                "who": clean_line(event.reported_by_name or event.reported_by),
                "at": local_time(event.occurred_at), "note": event.note,
                "due": local_time(event.due_at) if event.due_at else None,
                "action": "Kính trình Lãnh đạo Sở cho ý kiến chỉ đạo; Văn phòng theo dõi.",
                "link": f"{base}/dashboard/blockers"}
    return {**common, "kind": "direction", "headline": "Ý kiến chỉ đạo về vướng mắc của đơn vị",
            "ref": clean_line(f"mã {event.dispatch_id}"), "who": clean_line(event.directed_by),
            "at": local_time(event.occurred_at), "note": event.note or "", "due": None,
            "direction": event.direction, "waited": clean_line(event.waited_words),
            "action": "Đề nghị đơn vị triển khai theo ý kiến chỉ đạo và báo cáo kết quả.",
            "link": f"{base}/desk/dispatches/{quote(event.dispatch_id, safe='')}/blockers"}


def render(event: BlockerEvent, recipient: Contact, copy: bool, unit_name: str,
           tracker_url: str) -> RenderedMessage:
    """The message for ``recipient``."""
    item = view(event, unit_name, tracker_url)
    return notices.message("blocker", item, recipient, copy, event.unit_code, data={
        "kind": item["kind"], "blocker_id": event.blocker_id, "dispatch_id": event.dispatch_id,
        "unit_code": event.unit_code, "cc": copy, "link": item["link"]})


def outgoings(event: BlockerEvent, directory: RecipientDirectory,
              tracker_url: str) -> list[Outgoing]:
    """One message per recipient and channel, each with its dedup key."""
    to, cc = recipients(event, directory)
    kind = "blocker" if isinstance(event, BlockerReported) else "direction"
    name = directory.unit_name(event.unit_code)
    return notices.per_recipient(
        to, cc, f"{event.dispatch_id}/{event.unit_code}/{event.blocker_id}/{kind}",
        lambda contact, copy: render(event, contact, copy, name, tracker_url))

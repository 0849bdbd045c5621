"""Notices of a dispatch withdrawn by a later edXML package (issue 19; ADR 0016). Pure: no I/O.

When a package revokes (thu hồi), replaces (thay thế) or updates (cập nhật) an earlier document, the
router announces the earlier dispatch withdrawn (``DispatchWithdrawn``) with the units that held it;
each unit is told at once (never folded), with its head in copy: stop handling it and, for a
replacement, handle the new document instead. One message per recipient and channel, once per key

    ``{dispatch_id}/{unit_code}/withdrawn/{recipient}/{channel}``

which :func:`~services.notifier.failures.describe_key` reads (kind ``withdrawn``).
"""

from __future__ import annotations

from functools import partial
from typing import Any
from urllib.parse import quote

from services.notifier import notices
from services.notifier.addressees import asked_or_answered
from services.notifier.channels.base import Outgoing, RenderedMessage
from services.notifier.directory import Contact, RecipientDirectory
from services.notifier.wording import document_ref, local_time, strip_vv, unit_label
from shared.events_withdrawal import DispatchWithdrawn
from shared.safe_text import clean_line

HEADLINE = {"revoke": "Văn bản đã bị thu hồi", "replace": "Văn bản đã được thay thế",
            "update": "Văn bản đã được cập nhật"}


def view(event: DispatchWithdrawn, unit_code: str, unit_name: str, tracker_url: str) -> dict[str, Any]:
    """The template variables (every text one clean line but the reason; links percent-encoded)."""
    base = tracker_url.rstrip("/")
    business = event.business.value
    action = ("Đề nghị đơn vị dừng xử lý văn bản này." if business == "revoke" else
              "Đề nghị đơn vị dừng xử lý văn bản cũ và xử lý theo văn bản mới.")
    return {"kind": "withdrawn", "headline": HEADLINE[business],
            "ref": document_ref(event.number, event.notation),
            "subject": strip_vv(event.subject) if event.subject else "(chưa có trích yếu)",
            "unit": unit_label(unit_code, unit_name), "at": local_time(event.occurred_at),
            "by": clean_line(strip_vv(event.by_subject) if event.by_subject
                             else f"mã {event.by_dispatch_id}"),
            "replaced": event.replaced, "reason": event.reason or "", "action": action,
            "link": f"{base}/desk/dispatches/{quote(event.dispatch_id, safe='')}",
            "new_link": f"{base}/desk/dispatches/{quote(event.by_dispatch_id, safe='')}"}


def render(event: DispatchWithdrawn, unit_code: str, recipient: Contact, copy: bool,
           unit_name: str, tracker_url: str) -> RenderedMessage:
    """The message for ``recipient`` about ``unit_code``'s share."""
    item = view(event, unit_code, unit_name, tracker_url)
    return notices.message("withdrawal", item, recipient, copy, unit_code, data={
        "kind": "withdrawn", "business": event.business.value, "dispatch_id": event.dispatch_id,
        "by_dispatch_id": event.by_dispatch_id, "unit_code": unit_code, "cc": copy,
        "link": item["link"]})


def outgoings(event: DispatchWithdrawn, directory: RecipientDirectory,
              tracker_url: str) -> list[Outgoing]:
    """For each unit that held the dispatch: the unit, its head in copy; one message per recipient
    and channel, each with its dedup key. Raises ``UnknownRecipientError`` for an unknown unit."""
    planned: list[Outgoing] = []
    for unit_code in event.units:
        to, cc = asked_or_answered(directory, unit_code, asking=False)
        name = directory.unit_name(unit_code)
        planned += notices.per_recipient(
            to, cc, f"{event.dispatch_id}/{unit_code}/withdrawn",
            partial(render, event, unit_code, unit_name=name, tracker_url=tracker_url))
    return planned

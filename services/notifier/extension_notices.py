"""Notices of deadline extensions (xin gia hạn), issue 16. Pure: no I/O.

A request goes at once, unfolded, to the Office (Văn phòng Sở) and the deputy director in charge of
the unit, who decide on the dashboard; the decision, approved or refused, goes back to the unit
with its head in copy, saying which deadline now holds. Each message is rendered here (Vietnamese,
text and HTML, from ``templates/extension.*.j2``) and becomes one
:class:`~services.notifier.channels.base.Outgoing` per recipient and channel
(:mod:`services.notifier.notices`), delivered once per dedup key

    ``{dispatch_id}/{unit_code}/{request_id}/{extension|extension_decision}/{recipient}/{channel}``

which :func:`~services.notifier.failures.describe_key` reads (kind ``extension`` or
``extension_decision``), so a redelivered event sends nothing twice and a give-up lands on the
dispatch's timeline.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from services.notifier import notices
from services.notifier.addressees import asked_or_answered
from services.notifier.channels.base import Outgoing, RenderedMessage
from services.notifier.directory import Contact, RecipientDirectory
from services.notifier.wording import local_time, strip_vv, unit_label
from shared.events_extensions import ExtensionDecided, ExtensionRequested
from shared.safe_text import clean_line

ExtensionEvent = ExtensionRequested | ExtensionDecided


def kind_of(event: ExtensionEvent) -> str:
    """The notice's kind, as its dedup key and a failed notification name it."""
    return "extension" if isinstance(event, ExtensionRequested) else "extension_decision"


def recipients(event: ExtensionEvent, directory: RecipientDirectory
               ) -> tuple[tuple[Contact, ...], tuple[Contact, ...]]:
    """(addressees, copies): the Office and the deputy in charge for a request; the unit, and its
    head in copy, for a decision. Raises ``UnknownRecipientError`` when one cannot be found."""
    return asked_or_answered(directory, event.unit_code, asking=isinstance(event, ExtensionRequested))


def view(event: ExtensionEvent, unit_name: str, tracker_url: str) -> dict[str, Any]:
    """The template variables (every text one clean line but the reason and the note)."""
    base = tracker_url.rstrip("/")
    common = {"unit": unit_label(event.unit_code, unit_name),
              "subject": strip_vv(event.subject) if event.subject else "(chưa có trích yếu)",
              "ref": clean_line(f"mã {event.dispatch_id}"), "at": local_time(event.occurred_at),
              "current": local_time(event.current_due_at), "new": local_time(event.new_due_at)}
    if isinstance(event, ExtensionRequested):
        return {**common, "kind": "extension", "headline": "Đơn vị xin gia hạn, chờ quyết định",
                "who": clean_line(event.requested_by), "reason": event.reason,
                "action": "Kính trình Lãnh đạo Sở quyết định đồng ý hoặc không đồng ý gia hạn.",
                "link": f"{base}/dashboard/extensions"}
    approved = event.approved
    return {**common, "kind": "extension_decision", "approved": approved,
            "headline": "Lãnh đạo Sở đồng ý gia hạn" if approved
            else "Lãnh đạo Sở không đồng ý gia hạn",
            "who": clean_line(event.decided_by), "note": event.note or "",
            "holds": local_time(event.new_due_at if approved else event.current_due_at),
            "action": "Đề nghị đơn vị hoàn thành trước hạn xử lý nêu trên.",
            "link": f"{base}/desk/dispatches/{quote(event.dispatch_id, safe='')}/extensions"}


def render(event: ExtensionEvent, recipient: Contact, copy: bool, unit_name: str,
           tracker_url: str) -> RenderedMessage:
    """The message for ``recipient``."""
    item = view(event, unit_name, tracker_url)
    return notices.message("extension", item, recipient, copy, event.unit_code, data={
        "kind": item["kind"], "request_id": event.request_id, "dispatch_id": event.dispatch_id,
        "unit_code": event.unit_code, "cc": copy, "link": item["link"],
        **({"approved": item["approved"]} if "approved" in item else {})})


def outgoings(event: ExtensionEvent, directory: RecipientDirectory,
              tracker_url: str) -> list[Outgoing]:
    """One message per recipient and channel, each with its dedup key."""
    to, cc = recipients(event, directory)
    name = directory.unit_name(event.unit_code)
    return notices.per_recipient(
        to, cc, f"{event.dispatch_id}/{event.unit_code}/{event.request_id}/{kind_of(event)}",
        lambda contact, copy: render(event, contact, copy, name, tracker_url))

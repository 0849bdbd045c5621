"""A notice sent at once to its addressees and copies (issue 16): how it is worded and addressed.
Pure: no I/O.

The notices of a unit's request and of leadership's answer (:mod:`services.notifier.blocker_notices`,
:mod:`services.notifier.extension_notices`) are each rendered from a pair of templates
(``templates/{name}.txt.j2`` and ``.html.j2``) under the subject ``[Vanthu] {headline}: {ref} -
{unit}``, and go as one :class:`~services.notifier.channels.base.Outgoing` per recipient and
channel, the addressees first, then the copies, each once per dedup key ``{key}/{recipient}/{channel}``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from services.notifier.channels.base import Outgoing, RenderedMessage
from services.notifier.directory import Contact
from services.notifier.messages import environment
from shared.safe_text import clean_line


def message(template: str, item: Mapping[str, Any], recipient: Contact, copy: bool,
            unit_code: str, data: dict[str, Any]) -> RenderedMessage:
    """``recipient``'s message from the template pair ``template`` and the view ``item`` (which has
    a headline and a ref); ``data`` says what it is about."""
    env = environment()
    ctx = {"recipient": recipient, "it": item, "cc": copy}
    return RenderedMessage(
        subject=clean_line(f"[Vanthu] {item['headline']}: {item['ref']} - {unit_code}"),
        text=env.get_template(f"{template}.txt.j2").render(ctx),
        html=env.get_template(f"{template}.html.j2").render(ctx),
        data=data)


def per_recipient(to: tuple[Contact, ...], cc: tuple[Contact, ...], key: str,
                  message_for: Callable[[Contact, bool], RenderedMessage]) -> list[Outgoing]:
    """One message per recipient (``message_for(contact, copy)``) and channel, keyed
    ``{key}/{recipient}/{channel}``."""
    return [Outgoing(keys=(f"{key}/{contact.id}/{channel}",), recipient=contact, channel=channel,
                     message=message_for(contact, copy), addressees=to, copies=cc)
            for copy, contacts in ((False, to), (True, cc)) for contact in contacts
            for channel in contact.channels]

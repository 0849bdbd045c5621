"""What every channel shares: the outgoing message, the channel protocol and the two failure kinds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from services.notifier.directory import ChannelName, Contact


class DeliveryError(Exception):
    """A channel could not deliver a message."""


class TemporaryDeliveryError(DeliveryError):
    """Worth retrying (network error, SMTP 4xx, HTTP 5xx/429/408); ``retry_after_s`` if the peer said."""

    def __init__(self, reason: str, retry_after_s: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after_s = retry_after_s


class PermanentDeliveryError(DeliveryError):
    """Retrying cannot help (SMTP 5xx, HTTP 4xx, bad address): the message goes to the dead letters."""


@dataclass(frozen=True)
class FileAttachment:
    """A file sent along with an email (e.g. the draft công văn đôn đốc)."""

    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


@dataclass(frozen=True)
class RenderedMessage:
    """A message ready to send: Vietnamese subject, plain-text and HTML bodies, attachments, and the
    structured ``data`` a webhook receiver can act on."""

    subject: str
    text: str
    html: str
    attachments: tuple[FileAttachment, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Outgoing:
    """One message to one recipient over one channel, covering one or more dedup keys (folded)."""

    keys: tuple[str, ...]
    recipient: Contact
    channel: ChannelName
    message: RenderedMessage
    addressees: tuple[Contact, ...] = ()
    copies: tuple[Contact, ...] = ()


class Channel(Protocol):
    """Sends an :class:`Outgoing`; raises :class:`TemporaryDeliveryError` or
    :class:`PermanentDeliveryError` (any other exception is treated as temporary)."""

    async def send(self, outgoing: Outgoing) -> None:
        """Deliver ``outgoing`` once."""
        ...

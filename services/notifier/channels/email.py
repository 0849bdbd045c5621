"""Email over SMTP (aiosmtplib): one message per recipient, text/plain + text/html, attachments.

Each recipient gets their own copy (the SMTP envelope names only them), while the ``To``/``Cc``
headers show the whole addressing of the rule (e.g. To: Phó Giám đốc, Cc: Giám đốc), as a mail server
would when it splits one message. The ``Message-ID`` is derived from the dedup keys, so a receiver can
recognise a copy if one is ever sent twice.

Any text may reach a message (older events hold anything): every header value is one clean line
(no CR/LF, so nothing can be injected, and no '=?' that would read as an encoded word), clipped to
:data:`HEADER_MAX` characters, the Message-ID
keeps only ``[A-Za-z0-9.-]``, and bodies are :func:`~shared.safe_text.clean_block` text.
"""

from __future__ import annotations

import hashlib
import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate

import aiosmtplib
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from services.notifier.channels.base import Outgoing, PermanentDeliveryError, TemporaryDeliveryError
from services.notifier.directory import Contact
from shared.safe_text import clean_block, clean_line

HEADER_MAX = 900
"""Longest header value kept (characters); a subject is far shorter."""


class SmtpConfig(BaseModel):
    """How to reach the SMTP relay (máy chủ thư)."""

    model_config = ConfigDict(frozen=True)

    host: str = "127.0.0.1"
    port: int = Field(default=25, ge=1, le=65535)
    starttls: bool | None = Field(default=None, description="True: require; None: if offered.")
    use_tls: bool = Field(default=False, description="Implicit TLS (port 465).")
    validate_certs: bool = True
    username: str | None = None
    password: SecretStr | None = None
    sender: str = Field(default="vanthu@sct.example.gov.vn", description="Envelope and From address.")
    sender_name: str = "Vanthu - Sở Công Thương"
    timeout_s: float = Field(default=30.0, gt=0)


def _header(value: str, limit: int = HEADER_MAX) -> str:
    """One clean line; a literal '=?' would read as the start of an RFC 2047 encoded word, which
    a mail reader decodes into other text, so it gets a blank: '= ?'."""
    return clean_line(value).strip()[:limit].replace("=?", "= ?")


def _mailbox(name: str, address: str) -> Address:
    user, _, domain = _header(address).partition("@")
    return Address(display_name=_header(name), username=user, domain=domain)


def _address(contact: Contact) -> Address:
    return _mailbox(contact.display, contact.email or "")


def build_email(outgoing: Outgoing, config: SmtpConfig) -> EmailMessage:
    """The MIME message for ``outgoing``: multipart/alternative (text, html) plus attachments."""
    msg = EmailMessage()
    msg["From"] = _mailbox(config.sender_name, config.sender)
    domain = re.sub(r"[^A-Za-z0-9.-]", "", config.sender.partition("@")[2])
    to = [c for c in outgoing.addressees if c.email] or [outgoing.recipient]
    msg["To"] = tuple(_address(c) for c in to)
    copies = [c for c in outgoing.copies if c.email]
    if copies:
        msg["Cc"] = tuple(_address(c) for c in copies)
    msg["Subject"] = _header(outgoing.message.subject)
    msg["Date"] = formatdate(usegmt=True)
    digest = hashlib.sha256("\n".join(outgoing.keys).encode()).hexdigest()[:32]
    recipient = re.sub(r"[^A-Za-z0-9.-]", "-", outgoing.recipient.id)[:64]
    msg["Message-ID"] = f"<{digest}.{recipient}@{domain or 'vanthu'}>"
    msg["X-Vanthu-Keys"] = _header(" ".join(outgoing.keys), 4 * HEADER_MAX)
    msg.set_content(clean_block(outgoing.message.text))
    msg.add_alternative(clean_block(outgoing.message.html), subtype="html")
    for attachment in outgoing.message.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        msg.add_attachment(attachment.content, maintype=maintype, subtype=subtype,
                           filename=attachment.filename)
    return msg


class EmailChannel:
    """Sends an :class:`Outgoing` to ``recipient.email`` through the configured SMTP relay."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config

    async def send(self, outgoing: Outgoing) -> None:
        """Send once; SMTP 4xx and network errors are temporary, SMTP 5xx permanent."""
        if not outgoing.recipient.email:
            raise PermanentDeliveryError(f"{outgoing.recipient.id} has no email address")
        cfg = self.config
        try:
            await aiosmtplib.send(
                build_email(outgoing, cfg), sender=cfg.sender, recipients=[outgoing.recipient.email],
                hostname=cfg.host, port=cfg.port, start_tls=cfg.starttls, use_tls=cfg.use_tls,
                validate_certs=cfg.validate_certs, username=cfg.username,
                password=cfg.password.get_secret_value() if cfg.password else None,
                timeout=cfg.timeout_s,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [r.code for r in exc.recipients]
            reason = f"recipient refused: {[(r.code, r.message) for r in exc.recipients]}"
            if all(400 <= c < 500 for c in codes):
                raise TemporaryDeliveryError(reason) from exc
            raise PermanentDeliveryError(reason) from exc
        except aiosmtplib.SMTPResponseException as exc:
            reason = f"SMTP {exc.code}: {exc.message}"
            if 400 <= exc.code < 500:
                raise TemporaryDeliveryError(reason) from exc
            raise PermanentDeliveryError(reason) from exc
        except aiosmtplib.SMTPNotSupported as exc:
            raise PermanentDeliveryError(f"SMTP server lacks a feature: {exc}") from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise TemporaryDeliveryError(f"SMTP unreachable: {exc!r}") from exc

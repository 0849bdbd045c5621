"""The log channel: the message becomes one structured log line (for units without email/hooks)."""

from __future__ import annotations

from services.notifier.channels.base import Outgoing
from shared.logging import get_logger

log = get_logger(__name__)


class LogChannel:
    """Writes the notification to the structured log; never fails."""

    async def send(self, outgoing: Outgoing) -> None:
        """Log ``outgoing`` at WARNING, with its keys, recipient and plain-text message."""
        log.warning("notification", channel="log", recipient=outgoing.recipient.id,
                    keys=list(outgoing.keys), subject=outgoing.message.subject,
                    message=outgoing.message.text)

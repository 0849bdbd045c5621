"""A notifier consumer of immediate notices (blockers, extensions) over the sample directory, for
the tests: every channel delivers to one spy, and dead letters are kept as (dispatch id, reason)."""

from __future__ import annotations

from services.notifier.delivery import DeliveryService, InMemoryDeliveryLog
from services.notifier.immediate_notices import ImmediateNotices
from services.notifier.messages import MessageRenderer
from tests.unit.notifier.factories import sample_directory
from tests.unit.notifier.fakes import RecordingBroker, SpyChannel


def immediate(kind: type[ImmediateNotices]
              ) -> tuple[ImmediateNotices, SpyChannel, list[tuple[str, str]]]:
    """``kind`` (``BlockerNotices``, ``ExtensionNotices``), the spy on every channel its messages
    reach, and its dead letters."""
    spy = SpyChannel()
    delivery = DeliveryService({"email": spy, "webhook": spy, "log": spy}, InMemoryDeliveryLog(),
                               MessageRenderer("http://t"))
    letters: list[tuple[str, str]] = []

    async def dead(dispatch_id: str, reason: str, payload: str) -> None:
        letters.append((dispatch_id, reason))

    notices = kind(sample_directory(), delivery, RecordingBroker(),  # type: ignore[arg-type]
                   "http://t", dead)
    return notices, spy, letters

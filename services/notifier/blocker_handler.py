"""The notifier's consumer of blockers and directions (issue 16): their notices go out at once
(:mod:`services.notifier.immediate_notices`), planned by :mod:`services.notifier.blocker_notices`."""

from __future__ import annotations

from services.notifier.blocker_notices import outgoings
from services.notifier.immediate_notices import ImmediateNotices
from shared import topics
from shared.events_blockers import BlockerDirected, BlockerReported


class BlockerNotices(ImmediateNotices):
    """Sends the notices of blockers (vướng mắc) and of leadership's directions."""

    kind = "blocker"
    consumed = ((topics.BLOCKER_REPORTED, BlockerReported), (topics.BLOCKER_DIRECTED, BlockerDirected))
    plan = staticmethod(outgoings)

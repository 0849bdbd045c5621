"""The notifier's consumer of deadline extensions (issue 16): the notices of each request and
decision go out at once (:mod:`services.notifier.immediate_notices`), planned by
:mod:`services.notifier.extension_notices`."""

from __future__ import annotations

from services.notifier.extension_notices import outgoings
from services.notifier.immediate_notices import ImmediateNotices
from shared import topics
from shared.events_extensions import ExtensionDecided, ExtensionRequested


class ExtensionNotices(ImmediateNotices):
    """Sends the notices of requests for a later deadline (gia hạn) and of their decisions."""

    kind = "extension"
    consumed = ((topics.EXTENSION_REQUESTED, ExtensionRequested),
              (topics.EXTENSION_DECIDED, ExtensionDecided))
    plan = staticmethod(outgoings)

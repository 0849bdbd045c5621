"""The notifier's consumer of withdrawn dispatches (issue 19): each unit that held a dispatch a later
package revoked, replaced or updated is told at once (:mod:`services.notifier.immediate_notices`),
planned by :mod:`services.notifier.withdrawal_notices`."""

from __future__ import annotations

from services.notifier.immediate_notices import ImmediateNotices
from services.notifier.withdrawal_notices import outgoings
from shared import topics
from shared.events_withdrawal import DispatchWithdrawn


class WithdrawalNotices(ImmediateNotices):
    """Sends the notices of dispatches withdrawn (thu hồi, thay thế, cập nhật)."""

    kind = "withdrawal"
    consumed = ((topics.DISPATCH_WITHDRAWN, DispatchWithdrawn),)
    plan = staticmethod(outgoings)

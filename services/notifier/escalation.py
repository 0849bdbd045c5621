"""Who hears about lateness (nhắc việc, đôn đốc): the escalation plan of a tracker signal. Pure: no I/O.

:func:`plan_notifications` turns one signal into one :class:`PlannedNotification` per recipient and
channel, following the :class:`~services.notifier.policy.EscalationPolicy` and resolving roles through a
:class:`~services.notifier.directory.RecipientDirectory`. Each carries a dedup key

    ``{assignment}/{signal kind and level}/{recipient}/{channel}``

where the assignment is ``dispatch_id/unit_code`` (for a dispute: ``dispatch_id/dispute-<hops>``), so a
redelivered or re-emitted signal maps to the same keys and is sent at most once.

A coordinating unit's signal (phối hợp) follows the policy's coordinating rules: at first the lead
unit it owes its part to and its own head, then the leadership chain, each level once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from services.notifier.directory import ChannelName, Contact, RecipientDirectory
from services.notifier.policy import EscalationPolicy, RecipientRole
from shared.events import AssignmentRole, AssignmentSignal, ResponsibilityDisputed
from shared.signal_kinds import SignalKind, kind_of

Signal = AssignmentSignal | ResponsibilityDisputed
"""Everything the notifier reacts to."""


@dataclass(frozen=True)
class PlannedNotification:
    """One message to send to one recipient over one channel, with its dedup key."""

    key: str
    assignment: str  # dispatch_id/unit_code, or dispatch_id/dispute-<hops>
    kind: SignalKind
    level: int | None
    dispatch_id: str
    unit_code: str | None
    recipient: Contact
    role: RecipientRole
    copy: bool
    channel: ChannelName
    addressees: tuple[Contact, ...]
    copies: tuple[Contact, ...]
    reminder_letter: bool
    signal: Signal
    unit_names: Mapping[str, str] = field(default_factory=dict)


def signal_kind(signal: Signal) -> tuple[SignalKind, int | None]:
    """The policy's name (and level) for a signal."""
    try:
        return kind_of(signal)
    except TypeError:
        raise TypeError(f"not a signal the notifier handles: {type(signal).__name__}") from None


def _units_of(signal: Signal) -> list[str]:
    if isinstance(signal, ResponsibilityDisputed):
        units = list(signal.units) or [h.to_unit for h in signal.chain]
        return list(dict.fromkeys(units))
    return [signal.unit_code]


def _coordinating(signal: Signal) -> bool:
    return isinstance(signal, AssignmentSignal) and signal.role is AssignmentRole.COORDINATING


def _resolve(role: RecipientRole, units: list[str], directory: RecipientDirectory,
             signal: Signal) -> list[Contact]:
    if role == "lead_unit":  # the lead unit(s) a coordinating unit's contribution is due to
        leads = signal.lead_units if isinstance(signal, AssignmentSignal) else []
        return [directory.unit(code) for code in dict.fromkeys(leads) if code not in units]
    if role == "office":
        return [directory.office()]
    if role == "director":
        return [directory.director()]
    lookup = {"unit": directory.unit, "unit_head": directory.unit_head,
              "deputy": directory.deputy_for}[role]
    return [lookup(code) for code in units]


def _assignment(signal: Signal) -> tuple[str, str | None]:
    if isinstance(signal, ResponsibilityDisputed):
        return f"{signal.dispatch_id}/dispute-{len(signal.chain)}", None
    return f"{signal.dispatch_id}/{signal.unit_code}", signal.unit_code


def plan_notifications(
    signal: Signal, policy: EscalationPolicy, directory: RecipientDirectory
) -> list[PlannedNotification]:
    """Return one planned notification per recipient and channel that ``policy`` names for ``signal``.

    A contact reached through two roles (e.g. the office is the late unit itself) is planned once, as
    an addressee rather than a copy. Raises ``UnknownRecipientError`` when a role cannot be resolved.
    """
    kind, level = signal_kind(signal)
    rule = policy.rule_for(kind, level, coordinating=_coordinating(signal))
    units = _units_of(signal)
    picked: dict[str, tuple[Contact, RecipientRole, bool]] = {}
    for copy, roles in ((False, rule.to), (True, rule.cc)):
        for role in roles:
            for contact in _resolve(role, units, directory, signal):
                picked.setdefault(contact.id, (contact, role, copy))
    addressees = tuple(c for c, _, copy in picked.values() if not copy)
    copies = tuple(c for c, _, copy in picked.values() if copy)
    assignment, unit_code = _assignment(signal)
    kind_part = f"{kind}-L{level}" if level else kind
    names = {code: directory.unit_name(code) for code in units}
    return [
        PlannedNotification(
            key=f"{assignment}/{kind_part}/{contact.id}/{channel}", assignment=assignment,
            kind=kind, level=level, dispatch_id=signal.dispatch_id, unit_code=unit_code,
            recipient=contact, role=role, copy=copy, channel=channel, addressees=addressees, copies=copies,
            reminder_letter=rule.reminder_letter, signal=signal, unit_names=names,
        )
        for contact, role, copy in picked.values()
        for channel in contact.channels
    ]

"""Deadlines (hạn xử lý) of one unit's assignment, counted in Vietnamese working days.

Order of precedence, first that applies wins:

1. A deadline the document states for this unit (its "who" names the unit) or for everyone (no
   unit named): the earliest such. A date without a time — "trước ngày 16/2/2024", "chậm nhất ngày
   16/2/2024" — is due at the close of the office day on that date (17:00), so the clerk sees the
   date the document prints; a stated time ("trước 17h ngày 30/11") is used as is.
2. The meeting the document convenes, minus ``meeting_lead_days`` working days (close of that day);
   with a lead of 0, the meeting time itself.
3. The matched rule's ``deadline_days``, then the document type's handling time, then the fallback:
   working days from reception, due at the close of the n-th working day after it.

The acknowledgement deadline (xác nhận đã nhận) is separate: ``acknowledgement_days`` working days
from reception, never later than the handling deadline.

An urgent document (khẩn, thượng khẩn, hỏa tốc) has both capped by the organisation's urgency policy
(:mod:`services.router.urgency`): whatever the steps above give, the handling deadline is never
later than the policy's working days from reception, nor the acknowledgement later than its working
hours; an earlier deadline (the letter's own, a meeting's) still wins.

A coordinating unit (phối hợp) owes its contribution to the lead unit (chủ trì) ``coordination_lead_days``
working days before the lead's deadline (close of that day), never before the assignment itself and
never after the lead's deadline; a deadline the document addresses to the contributors — naming
that unit but not the lead, or "các phòng, đơn vị" — or whose "what" is sending to the lead unit
("gửi … về Văn phòng Sở"), is already the contribution's and wins (:meth:`Deadlines.for_coordinator`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from services.router.model import RoutingInput
from services.router.urgency import UrgencyCaps, urgency_caps
from shared.clock import VIETNAM_TZ
from shared.events import MeetingInfo, StatedDeadline
from shared.organisation import Organisation
from shared.text_match import fold, normalise
from shared.wording import at_time
from shared.workdays import WorkCalendar

SENDER_DEADLINE = "hạn do nơi gửi nêu"
"""What the sender's own deadline (``due_at``) is called where a stated deadline says what is due."""


@dataclass(frozen=True)
class Due:
    """A deadline and, in a clerk's words, where it comes from."""

    at: datetime
    basis: str
    what: str | None = None
    """What the document asks for by then, when it says so."""


def show(at: datetime) -> str:
    """A deadline as every page and message writes it: "17:00 ngày 16/02/2024" (shared.wording)."""
    return at_time(at)


def stated_due_at(deadline: StatedDeadline, calendar: WorkCalendar) -> datetime:
    """A stated deadline as an instant: its time, or the close of the office day on its date."""
    at = deadline.local_time()
    if at is not None:
        return datetime.combine(deadline.date, at, tzinfo=VIETNAM_TZ)
    return calendar.end_of_day(deadline.date)


def meeting_starts(meeting: MeetingInfo) -> datetime | None:
    """When the meeting starts (00:00 when no time is stated); None when it has no date."""
    if meeting.date is None:
        return None
    return datetime.combine(meeting.date, meeting.local_time() or time(0, 0), tzinfo=VIETNAM_TZ)


def meeting_due_at(meeting: MeetingInfo, lead_days: int, calendar: WorkCalendar) -> datetime:
    """``lead_days`` working days before the meeting (close of day); 0: the meeting's start."""
    starts = meeting_starts(meeting)
    if starts is None:
        raise ValueError("a meeting without a date sets no deadline")
    return starts if lead_days == 0 else calendar.add_working_days(starts, -lead_days)


def named_units(who: str | None, org: Organisation) -> frozenset[str]:
    """Codes of the units a deadline's "who" names; empty when it names none ("Các phòng, đơn vị")."""
    if not who:
        return frozenset()
    found = (org.resolve_unit(m.group()) for m in org.mention_pattern.finditer(fold(normalise(who))))
    return frozenset(u.code for u in found if u is not None)


def contribution_due_at(lead_due: datetime, assigned_at: datetime, lead_days: int,
                        calendar: WorkCalendar) -> datetime:
    """When a coordinating unit's contribution is due to the lead unit: ``lead_days`` working days
    before ``lead_due`` (close of that day), never before the assignment date's close (nor the
    assignment itself, when made after closing) and never after ``lead_due``; 0: ``lead_due``."""
    if lead_days <= 0:
        return lead_due
    at = calendar.add_working_days(lead_due, -lead_days)
    floor = max(calendar.end_of_day(assigned_at.astimezone(VIETNAM_TZ).date()), assigned_at)
    return min(lead_due, max(at, floor))


class Deadlines:
    """The deadlines of one dispatch, unit by unit (precedence: module docstring).

    Built once per decision: what does not depend on the unit is computed once.
    """

    def __init__(self, doc: RoutingInput, org: Organisation, calendar: WorkCalendar,
                 rule_days: int | None = None) -> None:
        self._doc, self._org, self._calendar, self._rule_days = doc, org, calendar, rule_days
        stated = [(stated_due_at(d, calendar), i, d.what, named_units(d.who, org))
                  for i, d in enumerate(doc.stated_deadlines, start=1)]
        if doc.sender_due_at is not None:  # the sender's own deadline counts as stated, for all
            stated.append((doc.sender_due_at.astimezone(VIETNAM_TZ), 0, SENDER_DEADLINE, frozenset()))
        self._stated = sorted(stated, key=lambda item: (item[0], item[1]))
        self._what_units = {i: named_units(what, org) for _, i, what, _ in self._stated if i}
        self._addressed = {i for i, d in enumerate(doc.stated_deadlines, start=1) if d.who}
        self._general: Due | None = None
        self._stated_dues: dict[int, Due] = {}
        self._ack = calendar.add_working_days(doc.received_at, org.handling.acknowledgement_days)
        self.urgency: UrgencyCaps | None = urgency_caps(doc.urgency, doc.received_at,
                                                        org.handling.urgency, calendar)
        if self.urgency is not None:
            self._ack = min(self._ack, self.urgency.acknowledge_by)

    def for_unit(self, unit_code: str) -> Due:
        """The hạn xử lý of ``unit_code``'s assignment (an urgent document's capped)."""
        return self._capped(self._uncapped(unit_code))

    def _uncapped(self, unit_code: str) -> Due:
        for at, i, what, codes in self._stated:  # earliest first
            if not codes or unit_code in codes:
                return self._stated_due(at, i, what)
        if self._general is None:
            self._general = self._without_stated()
        return self._general

    def _capped(self, due: Due) -> Due:
        """``due``, or the urgency policy's cap when that is earlier."""
        caps = self.urgency
        if caps is None or caps.handle_by >= due.at:
            return due
        return Due(caps.handle_by, caps.handling_basis, due.what)

    def _stated_due(self, at: datetime, i: int, what: str | None) -> Due:
        due = self._stated_dues.get(i)
        if due is None:
            late = " — đã qua khi nhận văn bản" if at < self._doc.received_at else ""
            due = Due(at, f"hạn nêu trong văn bản ({show(at)}){late}", what)
            self._stated_dues[i] = due
        return due

    def for_coordinator(self, unit_code: str, lead_code: str, lead: Due) -> Due:
        """The hạn of ``unit_code``'s contribution to ``lead_code``, whose deadline is ``lead``.

        A stated deadline is the contribution's own when its "who" names this unit and not the lead
        ("… phối hợp với Thanh tra Sở" alongside "Phòng X chủ trì" is the lead's), or names no unit
        but is addressed ("Đề nghị các phòng, đơn vị gửi … trước ngày"), or its "what" is sending
        to the lead unit; a deadline addressed to no one (the sender's) is the lead's.
        """
        for at, i, what, codes in self._stated:  # earliest first
            if codes:
                if unit_code in codes and lead_code not in codes:
                    return self._capped(self._stated_due(at, i, what))
                continue
            if i in self._addressed or lead_code in self._what_units.get(i, ()):
                return self._capped(self._stated_due(at, i, what))
            break
        days, what = self._org.handling.coordination_lead_days, self.for_unit(unit_code).what
        at = contribution_due_at(lead.at, self._doc.received_at, days, self._calendar)
        if at == lead.at:
            return Due(at, f"cùng hạn với đơn vị chủ trì ({show(at)})", what)
        clamped = at != self._calendar.add_working_days(lead.at, -days)
        floor = ", không sớm hơn ngày giao" if clamped else ""
        return Due(at, f"{days} ngày làm việc trước hạn của đơn vị chủ trì "
                       f"({show(lead.at)}){floor}: {show(at)}", what)

    def acknowledgement(self, due_at: datetime) -> datetime:
        """When the unit must confirm receipt: ``acknowledgement_days`` working days (an urgent
        document's policy hours when sooner), capped at ``due_at``."""
        return min(self._ack, due_at)

    def _without_stated(self) -> Due:
        doc, org, calendar = self._doc, self._org, self._calendar
        starts = meeting_starts(doc.meeting) if doc.meeting is not None else None
        if doc.meeting is not None and starts is not None:
            lead = org.handling.meeting_lead_days
            at = meeting_due_at(doc.meeting, lead, calendar)
            when = show(starts)
            before = f"{lead} ngày làm việc trước cuộc họp" if lead else "trước giờ họp"
            return Due(at, f"{before} lúc {when} ({show(at)})")
        if self._rule_days is not None:
            days, why = self._rule_days, "theo quy tắc phân công"
        else:
            type_days = org.handling_days(doc.doc_type)
            if type_days is None:
                days, why = org.handling.fallback_days, "thời hạn mặc định"
            else:
                days, why = type_days, f"thời hạn xử lý {doc.doc_type}"
        at = calendar.add_working_days(doc.received_at, days)
        return Due(at, f"{days} ngày làm việc kể từ ngày nhận, {why} ({show(at)})")


def handling_due(doc: RoutingInput, unit_code: str, org: Organisation, calendar: WorkCalendar,
                 rule_days: int | None = None) -> Due:
    """The hạn xử lý of one unit's assignment on ``doc`` (see :class:`Deadlines`)."""
    return Deadlines(doc, org, calendar, rule_days).for_unit(unit_code)

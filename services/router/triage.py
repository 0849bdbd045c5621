"""The Office's triage queue for a letter the router must not route on its own: its body could not
be read back (:mod:`stored_body`), or its digital signature needs checking (:mod:`signature_review`).
Pure.

The Office (Văn phòng) leads, to check the original and propose who handles it; the letter stays
tracked, with a deadline and the escalation ladder, and the reason says why it was not routed.
"""

from __future__ import annotations

from services.router.deadlines import Deadlines, show
from services.router.decision import TRIAGE_RULE_ID
from services.router.model import Assignment, RoutingDecision, RoutingInput
from shared.organisation import Organisation
from shared.text_match import shorten
from shared.workdays import WorkCalendar


def office_triage(doc: RoutingInput, organisation: Organisation, calendar: WorkCalendar,
                  task_note: str, why: str, check: str) -> RoutingDecision:
    """The Office leads; ``task_note`` goes into its task, ``why`` (a sentence) opens the reason,
    and ``check`` says what the Office checks the letter against ("theo bản gốc")."""
    office = organisation.office
    deadlines = Deadlines(doc, organisation, calendar, None)
    due = deadlines.for_unit(office.code)
    ack = deadlines.acknowledgement(due.at)
    task = f"Phân loại ({task_note}), trình Lãnh đạo Sở giao xử lý: {doc.subject}"
    assignment = Assignment(unit_code=office.code, role="lead", due_at=due.at, ack_due_at=ack,
                            task=shorten(task))
    reason = (f"{why} Không phân công theo trích yếu mà chuyển {office.name} ({office.code}) "
              f"phân loại {check}, trình Lãnh đạo Sở giao đơn vị xử lý. "
              f"Hạn xử lý: {due.basis}. Hạn xác nhận đã nhận: {show(ack)}.")
    return RoutingDecision(dispatch_id=doc.dispatch_id, assignments=[assignment],
                           rule_id=TRIAGE_RULE_ID, reason=reason)

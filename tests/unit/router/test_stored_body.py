"""A stored body (``body_ref``) read back: the same text an inline body becomes, or a reason."""

from __future__ import annotations

import datetime as dt

from services.router.model import RoutingInput
from services.router.stored_body import MISSING, NOT_TEXT, body_text, triage_unreadable
from shared.clock import VIETNAM_TZ
from shared.events import DispatchReceived, StatedDeadline
from shared.organisation import Organisation
from shared.workdays import WorkCalendar


def test_the_text_is_what_the_same_body_inline_becomes() -> None:
    raw = "Dòng một\r\nDòng hai\rDòng\tba\x00\x07 điện lực\u2028hết"
    inline = DispatchReceived(dispatch_id="d", correlation_id="d", source_system="demo",
                              subject="V/v thử", body=raw).body
    assert body_text(raw.encode()) == inline == "Dòng một\nDòng hai\nDòng\tba điện lực\nhết"


def test_missing_or_not_utf8_is_a_reason_not_a_text() -> None:
    assert body_text(None) is MISSING
    assert body_text("điện lực".encode("utf-16")) is NOT_TEXT


def test_triage_keeps_the_deadline_the_header_states(org: Organisation,
                                                     calendar: WorkCalendar) -> None:
    doc = RoutingInput(dispatch_id="d", subject="V/v thử", received_at=dt.datetime(
        2024, 2, 6, 9, tzinfo=VIETNAM_TZ), stated_deadlines=[StatedDeadline(
            date=dt.date(2024, 2, 16), what="gửi báo cáo")])
    decision = triage_unreadable(doc, org, calendar, MISSING, "blob-9")
    [share] = decision.assignments
    assert (decision.rule_id, share.unit_code, share.role) == ("triage", org.office.code, "lead")
    assert share.due_at == dt.datetime(2024, 2, 16, 17, tzinfo=VIETNAM_TZ)
    assert MISSING.why in decision.reason and "blob-9" in decision.reason

"""A letter whose digital signature is invalid, or names another organisation, goes to the Office's
triage with the reason; an intact, matching one is routed as usual."""

from __future__ import annotations

import datetime as dt

from services.router import translate
from services.router.decision import route
from services.router.model import RoutingInput
from services.router.rules import RuleSet
from services.router.signature_review import organisation_matches, review_reason, triage_for_review
from shared.clock import VIETNAM_TZ
from shared.events import DispatchReceived, StatedDeadline
from shared.organisation import Organisation
from shared.reading_parts import DocumentSignature, SignatureStatus
from shared.workdays import WorkCalendar

RECEIVED = dt.datetime(2024, 2, 6, 9, tzinfo=VIETNAM_TZ)
ALTERED = DocumentSignature(status=SignatureStatus.INVALID, signer="Phạm Văn Cường",
                            organisation="Sở Công Thương tỉnh Đồng Nai",
                            reason="nội dung văn bản đã bị thay đổi sau khi ký")


def _doc(signature: DocumentSignature | None, issuer: str = "SỞ CÔNG THƯƠNG") -> RoutingInput:
    return RoutingInput(dispatch_id="d-1", issuer=issuer, parent_issuer="UBND TỈNH ĐỒNG NAI",
                        subject="V/v báo cáo điện lực", received_at=RECEIVED, signature=signature,
                        stated_deadlines=[StatedDeadline(date=dt.date(2024, 2, 16))])


def test_an_altered_letter_goes_to_the_office_triage_with_the_reason(
        org: Organisation, calendar: WorkCalendar) -> None:
    reason = review_reason(_doc(ALTERED))
    assert reason is not None and "thay đổi sau khi ký" in reason
    decision = triage_for_review(_doc(ALTERED), org, calendar, reason)
    [share] = decision.assignments
    assert (decision.rule_id, share.unit_code, share.role) == ("triage", org.office.code, "lead")
    assert "Chữ ký số không hợp lệ" in decision.reason and "chữ ký số" in share.task
    assert share.due_at == dt.datetime(2024, 2, 16, 17, tzinfo=VIETNAM_TZ)


def test_another_organisation_than_the_issuer_is_flagged() -> None:
    other = DocumentSignature(status=SignatureStatus.VALID, signer="Nguyễn Văn A",
                              organisation="Công ty TNHH Thương mại ABC")
    reason = review_reason(_doc(other))
    assert reason is not None and "không khớp" in reason and "Công ty TNHH Thương mại ABC" in reason


def test_intact_matching_untrusted_or_unsigned_letters_are_routed_as_usual() -> None:
    for status in (SignatureStatus.VALID, SignatureStatus.UNTRUSTED):
        assert review_reason(_doc(ALTERED.model_copy(update={"status": status}))) is None
    assert review_reason(_doc(DocumentSignature(status=SignatureStatus.UNSIGNED))) is None
    assert review_reason(_doc(None)) is None
    provincial = DocumentSignature(status=SignatureStatus.VALID, organisation="Ủy ban nhân dân tỉnh Đồng Nai")
    assert review_reason(_doc(provincial, issuer="UBND TỈNH ĐỒNG NAI")) is None


def test_organisation_matching_folds_marks_and_spells_out_abbreviations() -> None:
    assert organisation_matches("Sở Công Thương tỉnh Đồng Nai", "SỞ CÔNG THƯƠNG")
    assert organisation_matches("UBND tỉnh Đồng Nai", "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI")
    assert not organisation_matches("Sở Tài chính", "SỞ CÔNG THƯƠNG")
    assert not organisation_matches("Sở Công Thương tỉnh Đồng Nai", "SỞ CÔNG TH")  # whole words


def test_the_event_s_signature_reaches_the_routing_input(org: Organisation, rules: RuleSet,
                                                         calendar: WorkCalendar) -> None:
    event = DispatchReceived(dispatch_id="d-1", correlation_id="d-1", source_system="demo",
                             subject="V/v báo cáo điện lực", issuer="SỞ CÔNG THƯƠNG", signature=ALTERED)
    doc = translate.routing_input(event)
    assert doc.signature == ALTERED
    assert route(doc.model_copy(update={"signature": None}), org, rules, calendar).assignments

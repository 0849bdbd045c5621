"""route(): rules in order, first match wins; unmatched documents go to the Office's triage queue."""

from __future__ import annotations

from datetime import datetime

from services.router.decision import route
from services.router.model import RoutingInput
from services.router.rules import RuleSet
from shared.clock import VIETNAM_TZ
from shared.organisation import Organisation
from shared.workdays import WorkCalendar

RECEIVED = datetime(2024, 3, 4, 10, 0, tzinfo=VIETNAM_TZ)  # a Monday


def dispatch(**fields: object) -> RoutingInput:
    base: dict[str, object] = {
        "dispatch_id": "d-1", "issuer": "CÔNG TY ĐIỆN LỰC MẪU", "doc_type": "Công văn",
        "notation": "PCMAU-KD", "subject": "đề nghị phối hợp", "recipients": ["Sở Công Thương"],
        "received_at": RECEIVED,
    }
    return RoutingInput.model_validate({**base, **fields})


def rule_set(*rules: dict[str, object]) -> RuleSet:
    return RuleSet.model_validate({"version": 1, "rules": list(rules)})


def test_a_document_no_rule_matches_goes_to_the_office_triage_queue(
    org: Organisation, calendar: WorkCalendar
) -> None:
    decision = route(dispatch(subject="V/v lịch trực cơ quan"), org, rule_set(), calendar)
    [only] = decision.assignments
    assert (only.unit_code, only.role) == ("VP", "lead")
    assert decision.rule_id == "triage" and not decision.broadcast and decision.matched_terms == []
    assert decision.reason.startswith("Không quy tắc nào khớp: chuyển Văn phòng (VP) phân loại")
    assert only.task.startswith("Phân loại, trình Lãnh đạo Sở giao xử lý")


def test_keywords_match_with_or_without_diacritics_on_word_boundaries(
    org: Organisation, calendar: WorkCalendar
) -> None:
    rules = rule_set({"id": "dien", "description": "Điện", "when": {"keywords": ["dien luc"]},
                      "then": {"lead": "QLNL"}})
    hit = route(dispatch(body="Tổng công ty Điện lực miền Nam đề nghị …"), org, rules, calendar)
    assert hit.rule_id == "dien" and hit.matched_terms == ["từ khóa «dien luc»"]
    assert "Khớp quy tắc «dien» (Điện): từ khóa «dien luc»." in hit.reason
    assert route(dispatch(body="điện lựcx"), org, rules, calendar).rule_id == "triage"


def test_a_marked_keyword_does_not_match_a_differently_marked_word(
    org: Organisation, calendar: WorkCalendar
) -> None:
    rules = rule_set({"id": "dau", "description": "Dầu", "when": {"keywords": ["dầu"]},
                      "then": {"lead": "QLTM"}})
    assert route(dispatch(subject="kế hoạch đầu tư"), org, rules, calendar).rule_id == "triage"
    assert route(dispatch(subject="giá DẦU diesel"), org, rules, calendar).rule_id == "dau"
    assert route(dispatch(subject="gia dau diesel"), org, rules, calendar).rule_id == "dau"


def test_notation_suffix_names_the_drafting_unit(
    org: Organisation, rules: RuleSet, calendar: WorkCalendar
) -> None:
    internal = dispatch(issuer="SỞ CÔNG THƯƠNG", notation="SCT-QLTM", subject="V/v lịch trực")
    decision = route(internal, org, rules, calendar)
    assert decision.rule_id == "soan-thao-qltm"
    assert [(a.unit_code, a.role) for a in decision.assignments] == [("QLTM", "lead")]
    assert "ký hiệu «SCT-QLTM» (đơn vị soạn thảo QLTM)" in decision.matched_terms
    hyphenated = dispatch(issuer="Sở Công Thương", notation="SCT-KH-TC", subject="V/v lịch trực")
    assert route(hyphenated, org, rules, calendar).assignments[0].unit_code == "KHTC"


def test_an_explicit_giao_chu_tri_in_the_text_wins(
    org: Organisation, rules: RuleSet, calendar: WorkCalendar
) -> None:
    body = ("Về việc kiểm tra thị trường xăng dầu dịp Tết, Giám đốc Sở giao Phòng Quản lý Thương mại "
            "chủ trì, phối hợp với Phòng Kỹ thuật An toàn - Môi trường và Thanh tra Sở xây dựng kế hoạch "
            "kiểm tra, báo cáo trước ngày 20/3/2024. Các nội dung khác thực hiện theo quy định.")
    decision = route(dispatch(body=body), org, rules, calendar)
    assert decision.rule_id == "giao-trong-van-ban"
    assert [(a.unit_code, a.role) for a in decision.assignments] == [
        ("QLTM", "lead"), ("KTATMT", "coordinating"), ("TTRA", "coordinating")]
    assert decision.assignments[0].task.startswith("Chủ trì: phối hợp với Phòng Kỹ thuật An toàn")
    assert decision.assignments[1].task.startswith("Phối hợp với Phòng Quản lý Thương mại:")
    assert "văn bản giao «giao Phòng Quản lý Thương mại chủ trì»" in decision.matched_terms


def test_rules_are_tried_in_order_and_the_first_match_wins(
    org: Organisation, calendar: WorkCalendar
) -> None:
    first = {"id": "mot", "description": "Một", "when": {"keywords": ["xăng dầu"]}, "then": {"lead": "QLTM"}}
    second = {"id": "hai", "description": "Hai", "when": {"keywords": ["xăng dầu"]}, "then": {"lead": "QLNL"}}
    doc = dispatch(subject="V/v cung ứng xăng dầu")
    assert route(doc, org, rule_set(first, second), calendar).rule_id == "mot"
    assert route(doc, org, rule_set(second, first), calendar).rule_id == "hai"


def test_all_conditions_of_a_rule_must_hold(org: Organisation, calendar: WorkCalendar) -> None:
    rule = {"id": "ubnd", "description": "UBND tỉnh hỏi về điện",
            "when": {"parent_issuer": ["UBND tỉnh"], "doc_type": "Công văn", "keywords": ["điện"]},
            "then": {"lead": "QLNL", "coordinating": ["KHTC"], "deadline_days": 3}}
    doc = dispatch(parent_issuer="UBND TỈNH ĐỒNG NAI", subject="V/v cấp điện cho cụm công nghiệp")
    rules = rule_set(rule)
    decision = route(doc, org, rules, calendar)
    assert [(a.unit_code, a.role) for a in decision.assignments] == [
        ("QLNL", "lead"), ("KHTC", "coordinating")]
    assert decision.assignments[0].due_at == datetime(2024, 3, 7, 17, 0, tzinfo=VIETNAM_TZ)  # 3 days
    assert decision.matched_terms == [
        "loại văn bản «Công văn»", "cơ quan chủ quản «UBND tỉnh»", "từ khóa «điện»"]
    for change in ({"doc_type": "Kế hoạch"}, {"parent_issuer": None}, {"subject": "V/v cấp nước"}):
        assert route(doc.model_copy(update=change), org, rules, calendar).rule_id == "triage"


def test_route_is_deterministic(org: Organisation, rules: RuleSet, calendar: WorkCalendar) -> None:
    doc = dispatch(subject="V/v kiểm tra an toàn hóa chất và thị trường xăng dầu",
                   recipients=["Phòng Quản lý Thương mại", "Các phòng, đơn vị thuộc Sở"])
    decisions = {route(doc, org, rules, calendar).model_dump_json() for _ in range(5)}
    assert len(decisions) == 1

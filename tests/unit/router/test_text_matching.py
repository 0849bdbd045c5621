"""Phrases match on word boundaries, with or without diacritics; assignments are read from the text."""

from __future__ import annotations

import pytest

from services.router.explicit_assignments import find_assignments
from shared.organisation import Organisation
from shared.text_match import Phrase, TextView, fold, key


def test_fold_keeps_the_length_and_drops_the_marks() -> None:
    assert fold("Điện Lực Đồng Nai") == "dien luc dong nai"
    assert len(fold("Nguyễn Thị Ánh")) == len("Nguyễn Thị Ánh")
    assert key("  Văn phòng\n Sở. ") == "van phong so"


@pytest.mark.parametrize(("phrase", "text", "found"), [
    ("dien luc", "Tổng công ty Điện lực", True),
    ("điện lực", "TONG CONG TY DIEN LUC", True),
    ("điện lực", "Điện lực", True),
    ("dầu", "kế hoạch đầu tư", False),
    ("dầu", "giá dầu", True),
    ("chợ", "vận chuyển chở hàng", False),
    ("điện", "điện lựcx", True),
    ("điện lực", "điện lựcx", False),
    ("xuất khẩu", "xuất, khẩu", True),
    ("thương mại", "thương\nmại", True),
])
def test_phrase_matching(phrase: str, text: str, found: bool) -> None:
    assert TextView.of(text).contains(Phrase.of(phrase)) is found


def test_a_phrase_never_spans_subject_and_body() -> None:
    assert not TextView.of("về giá", "dầu tăng").contains(Phrase.of("giá dầu"))


@pytest.mark.parametrize(("text", "lead", "coordinating"), [
    ("Giao Văn phòng Sở chuẩn bị nội dung báo cáo tổng hợp.", "VP", ()),
    ("giao cho Thanh tra Sở xử lý đơn thư.", "TTRA", ()),
    ("Giám đốc giao nhiệm vụ cho Phòng KHTC rà soát dự toán.", "KHTC", ()),
    ("Thanh tra Sở chủ trì, phối hợp với Văn phòng tổng hợp.", "TTRA", ("VP",)),
    ("Phòng QLNL là đơn vị chủ trì, phối hợp với Phòng KH-TC, Phòng QLCN.", "QLNL", ("KHTC", "QLCN")),
])
def test_explicit_assignments_are_read_from_the_text(
    org: Organisation, text: str, lead: str, coordinating: tuple[str, ...]
) -> None:
    [found] = find_assignments(text, org)
    assert (found.lead, found.coordinating) == (lead, coordinating)


@pytest.mark.parametrize("text", [
    "bàn giao Văn phòng Sở cho đơn vị mới.",
    "đẩy mạnh giao thông, giáo dục tại Văn phòng.",
    "Chủ trì cuộc họp: Đồng chí Giám đốc Sở.",
    "phối hợp với Văn phòng Sở.",
])
def test_no_assignment_without_a_unit_given_the_task(org: Organisation, text: str) -> None:
    assert find_assignments(text, org) == []


def test_the_task_is_the_rest_of_the_clause(org: Organisation) -> None:
    text = "- Giao Phòng Quản lý Thương mại chủ trì kiểm tra thị trường; Giao Văn phòng theo dõi, đôn đốc."
    found = find_assignments(text, org)
    assert [(a.lead, a.task) for a in found] == [("QLTM", "kiểm tra thị trường"), ("VP", "theo dõi, đôn đốc")]
    assert found[0].matched == "Giao Phòng Quản lý Thương mại chủ trì"

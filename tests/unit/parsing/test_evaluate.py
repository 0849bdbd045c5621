"""Scoring rules of eval-parse."""

from __future__ import annotations

import pytest

from services.ingest.parsing.model import LABEL_KEYS
from tools.parse_evaluate import doc_type_pair, evaluate, f1, score_field, shorten


def test_strings_compare_after_nfc_whitespace_and_casefold() -> None:
    decomposed = "so\u031b\u0309 co\u0302ng thu\u031bo\u031bng"  # "sở công thương" in NFD
    assert score_field("issuer", "SỞ   CÔNG\nTHƯƠNG", decomposed) == 1.0
    assert score_field("issuer", "SỞ Y TẾ", "SỞ CÔNG THƯƠNG") == 0.0


@pytest.mark.parametrize(
    ("predicted", "expected", "score"),
    [(None, None, 1.0), ("x", None, 0.0), (None, "x", 0.0), ("", None, 1.0)],
)
def test_null_label_is_right_only_when_parser_gives_nothing(
    predicted: str | None, expected: str | None, score: float
) -> None:
    assert score_field("number", predicted, expected) == score


def test_lists_are_scored_by_f1() -> None:
    assert f1([], []) == 1.0
    assert f1(["a"], []) == 0.0
    assert f1(["a", "b"], ["a", "c"]) == pytest.approx(0.5)
    assert score_field("recipients", ["Bộ Tài chính", "X"], ["bộ tài chính"]) == pytest.approx(2 / 3)


def test_deadlines_compare_on_date_and_time_only() -> None:
    got = [{"date": "2024-02-16", "time": None, "what": "khác", "who": None}]
    want = [{"date": "2024-02-16", "time": None, "what": "gửi báo cáo", "who": "các phòng"}]
    assert score_field("deadlines", got, want) == 1.0
    assert score_field("deadlines", [{**got[0], "time": "17:00"}], want) == 0.0


def test_references_are_normalised() -> None:
    got = [{"number": "179", "notation": "2007/NĐ – CP", "date": "2007-12-03"}]
    want = [{"number": "179", "notation": "2007/nđ-cp", "date": "2007-12-03"}]
    assert score_field("referenced_documents", got, want) == 1.0


def test_meeting_compares_date_time_and_place() -> None:
    want = {"date": "2024-02-19", "time": "09:00", "place": "Phòng họp lớn"}
    assert score_field("meeting", {**want, "place": "phòng  họp LỚN"}, want) == 1.0
    assert score_field("meeting", {**want, "time": "14:00"}, want) == 0.0
    assert score_field("meeting", None, None) == 1.0
    assert score_field("meeting", want, None) == 0.0


def test_evaluate_averages_fields_and_counts_failures_as_empty() -> None:
    label = dict.fromkeys(LABEL_KEYS) | {"file": "a.txt", "issuer": "Bộ Y tế"}
    for key in ("recipients", "deadlines", "referenced_documents", "distribution"):
        label[key] = []
    perfect = {key: label[key] for key in LABEL_KEYS}
    report = evaluate({"a.txt": perfect, "b.txt": None}, [label, {**label, "file": "b.txt"}])
    assert report["documents"] == 2
    assert report["fields"]["issuer"] == 0.5
    assert report["fields"]["number"] == 1.0
    assert report["overall"] == pytest.approx((0.5 + 14) / 15, abs=1e-4)


def _label(name: str, **fields: object) -> dict[str, object]:
    label: dict[str, object] = dict.fromkeys(LABEL_KEYS) | {"file": name}
    for key in ("recipients", "deadlines", "referenced_documents", "distribution"):
        label[key] = []
    return label | fields


def _parsed(label: dict[str, object], **fields: object) -> dict[str, object]:
    return {key: label[key] for key in LABEL_KEYS} | fields


def test_the_worst_letters_come_lowest_first_with_what_they_missed() -> None:
    a = _label("a.txt", issuer="Sở Tài chính", doc_type="Công văn")
    b = _label("b.txt", issuer="Bộ Y tế", doc_type="Giấy mời", number="12")
    c = _label("c.txt", issuer="UBND tỉnh")
    parsed = {"a.txt": _parsed(a), "b.txt": _parsed(b, doc_type="Thông báo", number=None),
              "c.txt": _parsed(c, issuer="UBND")}
    report = evaluate(parsed, [a, b, c])
    assert [w["file"] for w in report["worst"]] == ["b.txt", "c.txt"]  # a is perfect
    worst = report["worst"][0]
    assert worst["score"] == pytest.approx(13 / 15, abs=1e-4)
    assert worst["missed"] == {"number": {"expected": "12", "got": None},
                               "doc_type": {"expected": "Giấy mời", "got": "Thông báo"}}
    assert evaluate(parsed, [a, b, c], worst=1)["worst"] == [worst]


def test_a_letter_that_failed_to_parse_is_marked_and_misses_every_labelled_field() -> None:
    a = _label("a.txt", issuer="Sở Tài chính", recipients=["Các phòng"])
    [worst] = evaluate({"a.txt": None}, [a])["worst"]
    assert worst["failed"] is True
    assert worst["missed"] == {"issuer": {"expected": "Sở Tài chính", "got": None},
                               "recipients": {"expected": '["Các phòng"]', "got": None}}


def test_doc_type_confusion_counts_expected_against_parsed() -> None:
    labels = [_label("a.txt", doc_type="Giấy mời"), _label("b.txt", doc_type="Giấy mời"),
              _label("c.txt", doc_type="Giấy mời"), _label("d.txt"), _label("e.txt", doc_type="Công văn")]
    parsed = {"a.txt": _parsed(labels[0], doc_type="GIẤY  MỜI"),
              "b.txt": _parsed(labels[1], doc_type="Thông báo"),
              "c.txt": _parsed(labels[2], doc_type="Thông báo"),
              "d.txt": _parsed(labels[3], doc_type="Thông báo"),
              "e.txt": None}
    assert evaluate(parsed, labels)["doc_type_confusion"] == {
        "(không có)": {"Thông báo": 1},
        "Công văn": {"(không có)": 1},
        "Giấy mời": {"Thông báo": 2, "Giấy mời": 1},
    }


def test_values_are_shortened_for_reading() -> None:
    assert shorten(None) is None
    assert shorten("  Sở   Tài\nchính ") == "Sở Tài chính"
    assert shorten("x" * 100, limit=10) == "x" * 9 + "…"
    assert shorten({"date": "2024-02-16", "time": None}) == '{"date":"2024-02-16","time":null}'
    assert doc_type_pair(None, {"doc_type": " Công  văn "}) == ("Công văn", "(không có)")

"""``vanthu corrections export``: one line per corrected dispatch, in the corpus's label format."""

from __future__ import annotations

import json
from pathlib import Path

from services.ingest.parsing.model import LABEL_KEYS
from tools.cli_corrections import label_line

CORPUS_LINE = (Path(__file__).resolve().parents[3] / "shared" / "corpus" / "labels.jsonl")
LETTER = """SỞ CÔNG THƯƠNG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 15/SCT-QLTM
V/v cung cấp thông tin
Đồng Nai, ngày 05 tháng 3 năm 2024

Kính gửi: Sở Tài chính.
"""
ITEM = {"dispatch_id": "d1", "text": LETTER,
        "fields": {"issuer": "SỞ CÔNG THƯƠNG", "recipients": ["Sở Tài chính"]},
        "reviews": [{"field": "issuer", "review": "corrected", "before": "SỞ CÔNG THƯƠNG",
                     "after": "SỞ TÀI CHÍNH", "corrected_by": "Giám đốc"},
                    {"field": "recipients", "review": "corrected", "before": ["Sở Tài chính"],
                     "after": ["Sở Công Thương"], "corrected_by": "Giám đốc"},
                    {"field": "notation", "review": "confirmed", "before": "SCT-QLTM",
                     "after": "SCT-QLTM", "corrected_by": "Chánh Văn phòng"}]}


def test_a_line_has_the_corpus_keys_in_order_and_the_corrected_values() -> None:
    line = label_line(ITEM)
    corpus_keys = list(json.loads(CORPUS_LINE.read_text(encoding="utf-8").splitlines()[0]))
    assert list(line) == corpus_keys == ["file", "source", *LABEL_KEYS]
    assert (line["issuer"], line["recipients"], line["notation"]) == (
        "SỞ TÀI CHÍNH", ["Sở Công Thương"], "SCT-QLTM")
    assert (line["number"], line["issued_on"], line["place"]) == ("15", "2024-03-05", "Đồng Nai")
    assert line["file"] == "d1.txt" and "Giám đốc, Chánh Văn phòng" in line["source"]
    assert json.loads(json.dumps(line, ensure_ascii=False)) == line


def test_without_a_text_the_tracker_s_fields_stand_in_for_the_parser_s() -> None:
    line = label_line({**ITEM, "text": None, "reviews": ITEM["reviews"][:1]})
    assert line["issuer"] == "SỞ TÀI CHÍNH" and line["recipients"] == ["Sở Tài chính"]
    assert line["referenced_documents"] == [] and line["deadlines"] == []
    assert line["subject"] is None

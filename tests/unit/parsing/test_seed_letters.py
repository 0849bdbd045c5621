"""The two seed letters parse fully and correctly: every field against its label."""

from __future__ import annotations

from typing import Any

import pytest

from services.ingest.parsing import parse_text
from services.ingest.parsing.model import LABEL_KEYS

from .helpers import CORPUS, SEED_LABELS, read_fixture, read_labels

SEEDS = ["s01.txt", "s02.txt"]
SCALARS = [k for k in LABEL_KEYS if k not in ("deadlines", "referenced_documents")]


def _comparable(labels: dict[str, Any]) -> dict[str, Any]:
    """Deadlines compare on (date, time); reference order does not matter."""
    out = {key: labels[key] for key in SCALARS}
    out["deadlines"] = [(d["date"], d["time"]) for d in labels["deadlines"]]
    refs = labels["referenced_documents"]
    out["referenced_documents"] = sorted((r["number"], r["notation"], r["date"]) for r in refs)
    return out


@pytest.mark.parametrize("name", SEEDS)
def test_seed_fixture_matches_every_label_field(name: str) -> None:
    parsed = parse_text(read_fixture(name)).to_labels()
    assert list(parsed) == list(LABEL_KEYS)
    assert _comparable(parsed) == _comparable(SEED_LABELS[name])


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}")
@pytest.mark.parametrize("name", SEEDS)
def test_seed_in_shared_corpus_matches_label(name: str) -> None:
    labels = read_labels(CORPUS / "labels.jsonl")[name]
    text = (CORPUS / "docs" / name).read_text(encoding="utf-8")
    assert _comparable(parse_text(text).to_labels()) == _comparable(labels)


def test_letter_two_deadline_meeting_and_references() -> None:
    parsed = parse_text(read_fixture("s02.txt")).to_labels()
    [deadline] = parsed["deadlines"]
    assert (deadline["date"], deadline["time"]) == ("2024-02-16", None)
    assert deadline["who"] == "các phòng, đơn vị"
    assert "báo cáo" in deadline["what"]
    assert parsed["meeting"] == {
        "date": "2024-02-19",
        "time": "09:00",
        "place": "Phòng họp lớn Sở Công Thương",
    }
    assert [r["number"] for r in parsed["referenced_documents"]] == ["1448", "446", "33"]


def test_spans_point_into_the_input_and_give_the_sentence() -> None:
    text = read_fixture("s02.txt")
    document = parse_text(text)
    assert document.notation is not None and document.notation.span is not None
    span = document.notation.span
    assert text[span.start : span.end] == "SCT-VP"
    sources = document.to_dict_with_sources()
    deadline = sources["deadlines"][0]
    assert text[deadline["span"][0] : deadline["span"][1]].startswith("trước ngày")
    assert deadline["sentence"].startswith("Đề nghị các phòng, đơn vị gửi")
    assert "16/2/2024" in deadline["sentence"]
    assert sources["meeting"]["value"]["time"] == "09:00"
    assert "09 giờ ngày 19/02/2024" in sources["meeting"]["sentence"]
    assert sources["number"] is None


def test_letter_one_has_no_deadline_and_a_blank_date() -> None:
    parsed = parse_text(read_fixture("s01.txt")).to_labels()
    assert parsed["deadlines"] == [] and parsed["meeting"] is None
    assert (parsed["number"], parsed["issued_on"], parsed["place"]) == (None, None, "Đồng Nai")

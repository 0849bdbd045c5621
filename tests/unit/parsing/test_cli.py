"""The parse / eval-parse commands, and the parser's score on the shared corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tools.parse_cli import parse_app

from .helpers import CORPUS, FIXTURES

runner = CliRunner()


def test_parse_prints_label_keys_as_json() -> None:
    result = runner.invoke(parse_app, ["parse", str(FIXTURES / "s02.txt")])
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.output)
    assert parsed["meeting"]["time"] == "09:00"


def test_parse_with_sources_adds_spans_and_sentences() -> None:
    result = runner.invoke(parse_app, ["parse", str(FIXTURES / "s01.txt"), "--sources"])
    assert result.exit_code == 0, result.output
    recipient = json.loads(result.output)["recipients"][0]
    assert recipient["value"] == "Các phòng, đơn vị thuộc Sở"
    assert recipient["sentence"] == "Kính gửi: Các phòng, đơn vị thuộc Sở."


def test_parse_reads_edxml_files() -> None:
    result = runner.invoke(parse_app, ["parse", str(FIXTURES / "sample.edxml")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["notation"] == "SCT-VP"


def test_parse_reports_typed_errors(tmp_path: Path) -> None:
    bad = tmp_path / "letter.txt"
    bad.write_bytes("日本語の手紙です。".encode("shift_jis"))
    result = runner.invoke(parse_app, ["parse", str(bad)])
    assert result.exit_code == 1
    assert "no supported encoding" in result.output and "UTF-8" in result.output


def test_eval_parse_on_the_seed_fixtures() -> None:
    args = ["eval-parse", "--docs", str(FIXTURES), "--labels", str(FIXTURES / "seed_labels.jsonl")]
    result = runner.invoke(parse_app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["documents"] == 2
    assert report["overall"] == 1.0
    assert report["worst"] == []
    assert sum(sum(got.values()) for got in report["doc_type_confusion"].values()) == 2


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}")
def test_eval_parse_on_the_shared_corpus_reaches_the_target() -> None:
    args = ["eval-parse", "--docs", str(CORPUS / "docs"), "--labels", str(CORPUS / "labels.jsonl")]
    result = runner.invoke(parse_app, args)
    report = json.loads(result.output)
    assert report["documents"] >= 40
    assert report["overall"] >= 0.90
    assert min(report["fields"].values()) >= 0.75


def test_parse_shows_an_edxml_package_s_envelope_and_what_only_its_letter_states(
        tmp_path: Path) -> None:
    from .edxml_packages import LETTER_NAME, thin_package

    package = tmp_path / "goi-tin.edxml"
    package.write_bytes(thin_package("thin-default-ns"))
    result = runner.invoke(parse_app, ["parse", str(package), "--trust-store", str(tmp_path)])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["notation"] == "SCT-VP" and shown["origins"]["notation"] == {"origin": "envelope"}
    assert shown["meeting"]["date"] == "2024-02-19"
    assert shown["origins"]["meeting"] == {"origin": "text", "attachment": LETTER_NAME,
                                           "confidence": 0.9}  # date, time and place
    assert shown["referenced_documents"][0]["notation"] == "UBND-HCC"
    assert shown["origins"]["referenced_documents"]["attachment"] == LETTER_NAME
    assert shown["document_id"] == "000.00.12.H19,2024/02/10,123/SCT-VP"
    assert shown["urgency"] == "normal" and shown["exchange"]["business"] == "new"
    assert shown["signature"]["status"] == "unsigned"
    assert [a["name"] for a in shown["attachments"]] == [LETTER_NAME, "phu-luc.txt"]
    with_sources = json.loads(runner.invoke(parse_app, ["parse", str(package), "--sources"]).output)
    assert with_sources["meeting"]["origin"] == "text"
    assert "19/02/2024" in with_sources["meeting"]["sentence"]

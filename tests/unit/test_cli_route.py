"""`vanthu route FILE`: the routing decision for a letter, printed, published nowhere."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tools.cli import app

FIXTURES = Path(__file__).resolve().parent / "parsing" / "fixtures"


def test_letter_1_routes_as_a_broadcast_with_an_acknowledgement_deadline() -> None:
    result = CliRunner().invoke(app, ["route", str(FIXTURES / "s01.txt"),
                                      "--received-at", "2023-08-14T09:00:00+07:00"])
    assert result.exit_code == 0, result.output
    decision = json.loads(result.output)
    assert decision["broadcast"] is True
    assert {a["unit_code"] for a in decision["assignments"]} == {
        "VP", "TTRA", "KHTC", "QLCN", "QLTM", "QLNL", "KTATMT"}
    assert all(a["ack_due_at"].startswith("2023-08-15T17:00") for a in decision["assignments"])
    assert "Các phòng, đơn vị thuộc Sở" in " ".join(decision["matched_terms"])


def test_an_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "scan.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    result = CliRunner().invoke(app, ["route", str(broken)])
    assert result.exit_code == 2 and "error" in json.loads(result.output)

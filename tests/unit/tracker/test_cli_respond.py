"""`vanthu respond` prints what is true: accepted for processing, then (``--wait``) the outcome."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from tools.cli import app

ACCEPTED = {"event_id": "e1", "state": "accepted", "action": "complete", "requested": "completed",
            "result_url": "/dispatches/d1/units/QLTM/responses/e1"}


def _fake(monkeypatch: pytest.MonkeyPatch, outcomes: list[dict[str, Any]]) -> list[str]:
    asked: list[str] = []
    monkeypatch.setattr(httpx, "post", lambda url, **_: httpx.Response(202, json=ACCEPTED))

    def get(url: str, **_: Any) -> httpx.Response:
        asked.append(url)
        return httpx.Response(200, json=outcomes.pop(0))
    monkeypatch.setattr(httpx, "get", get)
    return asked


def test_without_wait_it_says_accepted_only(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _fake(monkeypatch, [])
    result = CliRunner().invoke(app, ["respond", "d1", "complete", "--unit", "QLTM"])
    assert result.exit_code == 0 and not asked
    assert json.loads(result.output) == {"http_status": 202, **ACCEPTED}


def test_wait_follows_the_response_to_its_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    refused = {"event_id": "e1", "action": "complete", "state": "refused",
               "reason": "assignment is already declined; 'complete' refused"}
    asked = _fake(monkeypatch, [{"state": "pending"}, refused])
    result = CliRunner().invoke(app, ["respond", "d1", "complete", "--unit", "QLTM", "--wait",
                                      "5", "--tracker-url", "http://t"])
    assert result.exit_code == 1
    assert asked == ["http://t/dispatches/d1/units/QLTM/responses/e1"] * 2
    assert json.loads(result.output.splitlines()[-1]) == {"http_status": 200, **refused}

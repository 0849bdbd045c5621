"""The command-line front-ends against the running services: `vanthu send` and `vanthu respond`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.conftest import API_KEY, Stack
from tools.fleet import wait_for

pytestmark = pytest.mark.infra
LETTER_1 = Path(__file__).resolve().parents[1] / "unit" / "parsing" / "fixtures" / "s01.txt"


def _vanthu(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tools.cli", *args], capture_output=True,
                          text=True, env=env, timeout=120, check=False)


def test_send_a_letter_then_answer_it_as_a_unit(start_stack: Callable[..., Stack],
                                                tmp_path: Path) -> None:
    stack = start_stack()
    env = {**os.environ, "VANTHU_INGEST_URL": stack.url("ingest"), "VANTHU_API_KEY": API_KEY,
           "VANTHU_TRACKER_URL": stack.url("tracker")}
    letter = tmp_path / "cong-van-1.txt"
    letter.write_text(LETTER_1.read_text())
    sent = _vanthu("send", str(letter), env=env)
    assert sent.returncode == 0, sent.stderr
    result = json.loads(sent.stdout.strip().splitlines()[-1])
    assert result["http_status"] == 202 and "subject" in result["parsed_fields"]
    dispatch_id = result["dispatch_id"]

    again = _vanthu("send", str(letter), env=env)
    assert json.loads(again.stdout.strip().splitlines()[-1])["http_status"] == 200  # same file, once

    assert wait_for(lambda: len((stack.view(dispatch_id) or {}).get("assignments", [])) == 7, 40)
    answered = _vanthu("respond", dispatch_id, "acknowledge", "--unit", "QLTM",
                       "--token", "e2e-qltm", env=env)
    assert answered.returncode == 0, answered.stdout + answered.stderr
    assert json.loads(answered.stdout)["http_status"] == 202
    assert json.loads(answered.stdout)["state"] == "accepted"  # not yet a promise of a status
    followed = _vanthu("respond", dispatch_id, "progress", "--unit", "QLTM", "--token", "e2e-qltm",
                       "--note", "đang tổng hợp", "--wait", "30", env=env)
    assert followed.returncode == 0, followed.stdout + followed.stderr
    outcome = json.loads(followed.stdout.strip().splitlines()[-1])
    assert (outcome["state"], outcome["status"]) == ("applied", "in_progress")
    intruder = _vanthu("respond", dispatch_id, "complete", "--unit", "TTRA",
                       "--token", "e2e-qltm", env=env)
    assert intruder.returncode == 1 and json.loads(intruder.stdout)["http_status"] == 403

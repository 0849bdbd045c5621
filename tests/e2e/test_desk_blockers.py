"""Blocker → direction in real headless Chromium, on the real stack (issue 16).

A staff member reports a blocker on letter 1 from the desk; the Office and the deputy in charge of
the unit are notified; leadership sees it under "Vướng mắc chờ chỉ đạo" with how long it has waited
and answers from the dashboard; the direction reaches the unit (notice and desk) with the wait, a
second direction is refused 409 with the reason, and both steps are on the dispatch's timeline.
Screenshots go to test-artifacts/desk/.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import LEADER, Stack
from tests.e2e.desk_world import delivered_to, desk_requests_page, leader_page, staff_and_letter
from tests.e2e.test_dashboard import ARGS, CHROMIUM
from tools.fleet import wait_for

pytestmark = pytest.mark.infra
NOTE = "Chưa nhận được số liệu xuất khẩu của Cục Hải quan, đề nghị Lãnh đạo Sở chỉ đạo."
DIRECTION = "Văn phòng Sở làm việc với Cục Hải quan trong tuần; phòng QLTM báo cáo trước thứ Sáu."


def test_blocker_reported_on_the_desk_directed_from_the_dashboard(
        start_stack: Callable[..., Stack], service_env: dict[str, str],
        artifacts_dir: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    stack = start_stack()
    letter = staff_and_letter(stack, service_env, "21")
    shots = artifacts_dir / "desk"
    shots.mkdir(exist_ok=True)
    tracker = stack.url("tracker")

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = desk_requests_page(browser, tracker, letter, "blockers")
        page.fill("#blocker-note", NOTE)
        page.click("form.blocker button[type=submit]")
        assert "Đã gửi phản ánh vướng mắc" in page.locator(".notice").inner_text()
        open_item = page.locator(".blockers li[data-status=open]")
        assert open_item.count() == 1 and NOTE in open_item.inner_text()
        assert "Chờ ý kiến chỉ đạo" in open_item.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(shots / "blocker-phone.png"), full_page=True)

        # the Office (VP's mailbox) and the deputy in charge of QLTM (PGD3) are told at once
        assert wait_for(lambda: delivered_to(stack, letter, "blocker") >= {"unit:VP", "deputy:PGD3"},
                        30), stack.notifications(letter)
        listed = httpx.get(f"{tracker}/blockers", params={"status": "open"}, headers=LEADER,
                           timeout=10).json()
        [blocker] = [b for b in listed["blockers"] if b["dispatch_id"] == letter]
        assert blocker["reported_by"] == "nva" and blocker["note"] == NOTE

        stack.advance(3 * 3600)  # three hours later (the test clock)
        leader = leader_page(browser, tracker, "/dashboard/blockers")
        row = leader.locator(f"[data-blocker='{blocker['blocker_id']}']")
        assert NOTE in row.inner_text() and "đã chờ" in row.locator("[data-waited]").inner_text()
        leader.screenshot(path=str(shots / "blockers-dashboard-desktop.png"), full_page=True)
        row.locator("textarea[name=direction]").fill(DIRECTION)
        row.locator("button[type=submit]").click()
        assert "Đã gửi ý kiến chỉ đạo" in leader.locator(".notice").inner_text()
        assert leader.locator("[data-open-blockers]").inner_text() == "0"

        page.reload()  # the unit sees the direction and how long it waited
        answered = page.locator(".blockers li[data-status=directed]")
        assert answered.locator("[data-direction]").inner_text() == DIRECTION
        assert answered.locator("[data-waited]").inner_text().startswith("3 giờ")
        page.screenshot(path=str(shots / "direction-phone.png"), full_page=True)
        browser.close()

    again = httpx.post(f"{tracker}/blockers/{blocker['blocker_id']}/direction", headers=LEADER,
                       json={"direction": "lần nữa"}, timeout=10)
    assert again.status_code == 409 and "đã có ý kiến chỉ đạo" in again.json()["detail"]
    assert wait_for(lambda: delivered_to(stack, letter, "direction") >= {"unit:QLTM", "head:QLTM"},
                    30), stack.notifications(letter)
    timeline: list[dict[str, Any]] = (stack.view(letter) or {})["timeline"]
    kinds = [t["event_type"] for t in timeline if t["event_type"].startswith("blocker.")]
    assert kinds == ["blocker.reported", "blocker.directed"]
    directed = next(t for t in timeline if t["event_type"] == "blocker.directed")
    assert directed["waited_s"] >= 3 * 3600 and directed["directed_by"] == "director"

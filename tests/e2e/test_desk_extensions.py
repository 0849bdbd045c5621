"""Extension → approval → moved deadline → no overdue signal at the old deadline, in real headless
Chromium on the real stack (issue 16).

A staff member asks on the desk for a later deadline on letter 1; the Office and the deputy in
charge are notified; leadership approves on the dashboard ("Đề nghị gia hạn"), the unit is told,
and the desk shows the new deadline. The clock then passes the old deadline: the other units that
were due then are escalated, the extended unit is not; past the new deadline it is. Screenshots go
to test-artifacts/desk/.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.clock import VIETNAM_TZ
from tests.e2e.conftest import LEADER, Stack
from tests.e2e.desk_world import delivered_to, desk_requests_page, leader_page, staff_and_letter
from tests.e2e.test_dashboard import ARGS, CHROMIUM
from tools.fleet import wait_for

pytestmark = pytest.mark.infra
REASON = "Chờ số liệu xuất khẩu của Cục Hải quan, dự kiến có sau ba ngày làm việc."


def _kinds(stack: Stack, dispatch_id: str, unit: str | None = None) -> set[str]:
    """The kinds of notices delivered about ``dispatch_id`` (about ``unit``'s assignment)."""
    return {str(n.get("kind")) for n in stack.notifications(dispatch_id)
            if n.get("status") == "delivered" and unit in (None, n.get("unit_code"))}


def _due(stack: Stack, dispatch_id: str) -> dict[str, datetime]:
    return {a["unit_code"]: datetime.fromisoformat(a["due_at"])
            for a in (stack.view(dispatch_id) or {}).get("assignments", [])}


def _jump_to(stack: Stack, moment: datetime) -> None:
    now = datetime.fromisoformat(httpx.get(f"{stack.url('tracker')}/clock", timeout=10)
                                 .json()["now"])
    stack.advance((moment - now).total_seconds())


def test_extension_approved_moves_the_deadline_and_the_old_one_passes_silently(
        start_stack: Callable[..., Stack], service_env: dict[str, str],
        artifacts_dir: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    stack = start_stack()
    letter = staff_and_letter(stack, service_env, "31")
    old = _due(stack, letter)
    new_local = (old["QLTM"] + timedelta(days=3)).astimezone(VIETNAM_TZ).replace(
        hour=17, minute=0, second=0, microsecond=0)
    shots = artifacts_dir / "desk"
    shots.mkdir(exist_ok=True)
    tracker = stack.url("tracker")

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = desk_requests_page(browser, tracker, letter, "extensions")
        page.fill("#new-due-at", new_local.strftime("%Y-%m-%dT%H:%M"))
        page.fill("#extension-reason", REASON)
        page.click("form.extension button[type=submit]")
        assert "Đã gửi đề nghị gia hạn" in page.locator(".notice").inner_text()

        def listed() -> bool:
            page.reload()
            return page.locator(".extensions li[data-status=pending]").count() == 1
        assert wait_for(listed, 30, interval=0.5)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(shots / "extension-phone.png"), full_page=True)

        pending = httpx.get(f"{tracker}/extension-requests", params={"status": "pending"},
                            headers=LEADER, timeout=10).json()
        [request] = [r for r in pending if r["dispatch_id"] == letter]
        assert (request["unit_code"], request["requested_by"], request["reason"]) == (
            "QLTM", "nva", REASON)
        assert wait_for(lambda: delivered_to(stack, letter, "extension")
                        >= {"unit:VP", "deputy:PGD3"}, 30), stack.notifications(letter)

        leader = leader_page(browser, tracker, "/dashboard/extensions")
        row = leader.locator(f"[data-request='{request['request_id']}']")
        assert REASON in row.inner_text()
        leader.screenshot(path=str(shots / "extensions-dashboard-desktop.png"), full_page=True)
        row.locator("textarea[name=note]").fill("Đồng ý; không gia hạn thêm.")
        row.locator("button[value=approve]").click()
        assert "Đã gửi quyết định" in leader.locator(".notice").inner_text()

        def decided() -> bool:  # the decision is applied by the tracker's consumer
            leader.reload()
            return leader.locator("[data-pending-extensions]").inner_text() == "0"
        assert wait_for(decided, 30, interval=0.5)

        assert wait_for(lambda: _due(stack, letter)["QLTM"] == new_local, 30)
        page.reload()
        assert new_local.strftime("%d/%m/%Y %H:%M") in page.locator("[data-due]").inner_text()
        assert "Đã đồng ý" in page.locator(".extensions li[data-status=approved]").inner_text()
        page.screenshot(path=str(shots / "extension-approved-phone.png"), full_page=True)
        browser.close()

    assert wait_for(lambda: delivered_to(stack, letter, "extension_decision")
                    >= {"unit:QLTM", "head:QLTM"}, 30), stack.notifications(letter)
    again = httpx.post(f"{tracker}/extension-requests/{request['request_id']}/decision",
                       headers=LEADER, json={"approve": False}, timeout=10)
    assert again.status_code == 409 and "đã đồng ý" in again.json()["detail"]

    # the old deadline passes: the units due by then are escalated, QLTM is not
    witnesses = {u for u, due in old.items() if u != "QLTM" and due <= old["QLTM"]}
    _jump_to(stack, old["QLTM"] + timedelta(minutes=1))
    if witnesses:
        assert wait_for(lambda: any("overdue-L1" in _kinds(stack, letter, u) for u in witnesses),
                        30), stack.notifications(letter)
    time.sleep(3.0)  # several scans of the detector
    assert not {k for k in _kinds(stack, letter, "QLTM") if k.startswith("overdue")}
    _jump_to(stack, new_local + timedelta(minutes=1))
    assert wait_for(lambda: "overdue-L1" in _kinds(stack, letter, "QLTM"), 30), \
        stack.notifications(letter)
    timeline: list[dict[str, Any]] = (stack.view(letter) or {})["timeline"]
    kinds = [t["event_type"] for t in timeline if t["event_type"].startswith("extension.")]
    assert kinds == ["extension.requested", "extension.decided"]
    report = {r["unit_code"]: r for r in httpx.get(f"{tracker}/reports/on-time", headers=LEADER,
                                                   timeout=10).json()}
    assert report["QLTM"]["extended"] == 1

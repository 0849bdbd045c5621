"""A correction made on the dispatch page re-routes a dispatch (issue 18), on the real stack in
headless Chromium.

A web notice whose issuer the parser can only take from running text ("Ban Quản lý dự án ...",
confidence 55 %) matches no rule: the Office's triage (VP) gets it. Signed in as leadership, the
dispatch page marks that field "cần kiểm tra"; correcting it to the letter's real issuer, Sở Công
Thương, makes the rules route it by its notation (SCT-QLTM) to QLTM: the assignment moves (VP's
cancelled, QLTM's open), the timeline says why, and ``vanthu corrections export`` gives the
corrected labels line.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.e2e.conftest import CREDENTIALS, Stack
from tools.cli import app
from tools.fleet import wait_for

pytestmark = pytest.mark.infra
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
SHOTS = Path("test-artifacts/corrections")
LETTER = """Trang chủ
Cung cấp thông tin về tình hình thực hiện dự án năm 2024

Công văn số 15/SCT-QLTM về việc cung cấp thông tin về tình hình thực hiện dự án năm 2024.

Ban Quản lý dự án đề nghị các đơn vị liên quan rà soát, cung cấp thông tin về tình hình thực hiện
dự án năm 2024, gửi về Phòng Quản lý thương mại để tổng hợp.
"""


def _units(view: dict[str, Any] | None) -> dict[str, tuple[str, str]]:
    return {a["unit_code"]: (a["role"], a["status"]) for a in (view or {}).get("assignments", [])}


def test_a_correction_on_the_dispatch_page_re_routes_the_dispatch(
        start_stack: Callable[..., Stack]) -> None:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is required at /usr/bin/chromium (scripts/bootstrap.sh)")
    from playwright.sync_api import sync_playwright

    stack = start_stack()
    dispatch_id = stack.post_dispatch(body=LETTER)
    assert wait_for(lambda: _units(stack.view(dispatch_id)) == {"VP": ("lead", "received")},
                    timeout=30), stack.view(dispatch_id)
    base = f"{stack.url('tracker')}/dashboard"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, locale="vi-VN")
            page.set_default_timeout(15_000)
            page.goto(f"{base}/dispatches/{dispatch_id}")
            assert "/dashboard/login" in page.url  # leadership signs in first
            page.fill("#token", str(CREDENTIALS.leader_token))
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/dispatches/{dispatch_id}")
            issuer = page.locator('[data-field="issuer"]')
            assert issuer.locator("[data-review]").inner_text() == "cần kiểm tra · tin cậy 55%"
            assert "Ban Quản lý dự án" in issuer.locator("dd").inner_text()
            assert page.locator('[data-field="subject"] [data-review]').count() == 0  # after "về việc"
            page.screenshot(path=str(SHOTS / "marked-phone.png"), full_page=True)

            issuer.locator("summary").click()
            issuer.locator("input[name=value]").fill("SỞ CÔNG THƯƠNG")
            issuer.locator("button[value=correct]").click()
            page.wait_for_url(f"{base}/dispatches/{dispatch_id}?reviewed=issuer")
            assert wait_for(lambda: _units(stack.view(dispatch_id)) == {
                "VP": ("lead", "cancelled"), "QLTM": ("lead", "received")}, timeout=30), \
                stack.view(dispatch_id)
            view = stack.view(dispatch_id) or {}
            assert view["dispatch"]["issuer"] == "SỞ CÔNG THƯƠNG"
            moved = [t for t in view["timeline"] if t["event_type"] == "dispatch.reassigned"]
            assert [(t["from_unit"], t["unit_code"]) for t in moved] == [("VP", "QLTM")]
            assert moved[0]["reason"].startswith(
                "Định tuyến lại sau khi Văn phòng sửa Cơ quan ban hành: «Ban Quản lý dự án» → "
                "«SỞ CÔNG THƯƠNG».")

            page.goto(f"{base}/dispatches/{dispatch_id}")
            timeline = page.locator("ol.timeline").inner_text()
            assert "Văn phòng sửa trường Cơ quan ban hành: «Ban Quản lý dự án» → " \
                   "«SỞ CÔNG THƯƠNG»" in timeline
            assert page.locator('[data-field="issuer"] [data-review]').count() == 0
            assert page.locator('[data-reviewed="issuer"]').inner_text().startswith("Đã sửa:")
            assert page.locator('tr[data-unit="QLTM"]').count() == 1
            assert page.locator("[data-moved]").inner_text().startswith(
                "Phân công lại: Định tuyến lại sau khi Văn phòng sửa Cơ quan ban hành")
            page.screenshot(path=str(SHOTS / "corrected-phone.png"), full_page=True)
        finally:
            browser.close()

    exported = CliRunner().invoke(app, ["corrections", "export", "--tracker-url",
                                        stack.url("tracker"), "--token",
                                        str(CREDENTIALS.leader_token)])
    assert exported.exit_code == 0, exported.output
    [line] = [json.loads(row) for row in exported.output.splitlines()]
    assert (line["file"], line["issuer"], line["notation"]) == (
        f"{dispatch_id}.txt", "SỞ CÔNG THƯƠNG", "SCT-QLTM")

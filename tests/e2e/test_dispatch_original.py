"""The dispatch page as a clerk sees it in headless Chromium: the scan beside the fields read from
it, OCR-read fields marked for confirmation with their confidence, and the signature's verdict.

The dashboard runs in process on the in-memory repository (no Kafka or MongoDB needed: the page
only reads), served by uvicorn on a real socket; Chromium loads the page and the scan through it.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from PIL import Image, ImageDraw

from services.tracker.access import AccessControl
from services.tracker.dashboard import dashboard_router
from services.tracker.settings import TrackerSettings
from shared.clock import SystemClock
from shared.tokens import hash_secret
from tests.service.tracker_fakes import InMemoryTrackerRepository
from tools.infra.paths import free_port

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
LEADER = {"Authorization": "Bearer leader-secret"}
ARTIFACTS = Path("test-artifacts/dispatch-original")


def _scan() -> bytes:
    image = Image.new("RGB", (620, 880), "white")
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(["SO CONG THUONG", "So: 123/SCT-VP", "V/v tong ket CCHC 2023",
                              "Kinh gui: Cac phong thuoc So", "... truoc ngay 16/02/2024 ..."]):
        draw.text((40, 60 + 40 * n), line, fill="black")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def dashboard_url() -> Iterator[str]:
    repo = InMemoryTrackerRepository()
    repo.dispatches["d1"] = {
        "_id": "d1", "subject": "tổ chức tổng kết công tác cải cách hành chính năm 2023",
        "notation": "SCT-VP", "parsed_fields": ["subject", "notation"],
        "body": "Kính gửi: Các phòng thuộc Sở\n<b>Ghi chú</b> & trước ngày 16/02/2024",
        "field_origins": {"subject": {"origin": "ocr", "confidence": 0.87},
                          "notation": {"origin": "ocr", "confidence": 0.62}},
        "attachments": [{"blob_id": "b1", "filename": "cong-van-quet.png",
                         "content_type": "image/png", "size": 1, "sha256": "x"}],
        "signature": {"status": "invalid", "signer": "Nguyễn Văn A",
                      "organisation": "Sở Công Thương",
                      "reason": "Văn bản đã bị sửa sau khi ký"},
    }
    repo.files["b1"] = _scan()
    repo.files["other"] = b"not this dispatch's"
    access = AccessControl("", f"director:{hash_secret('leader-secret')}")
    app = FastAPI()
    app.include_router(dashboard_router(repo, access, SystemClock(), TrackerSettings()))  # type: ignore[arg-type]
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None,
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(250):
        if server.started:
            break
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_the_original_is_served_only_for_its_own_dispatch(dashboard_url: str) -> None:
    own = httpx.get(f"{dashboard_url}/dashboard/dispatches/d1/original/b1", headers=LEADER)
    assert own.status_code == 200 and own.headers["content-type"] == "image/png"
    assert own.headers["x-content-type-options"] == "nosniff"
    assert own.headers["content-security-policy"] == "sandbox"
    foreign = httpx.get(f"{dashboard_url}/dashboard/dispatches/d1/original/other", headers=LEADER)
    assert foreign.status_code == 404
    anonymous = httpx.get(f"{dashboard_url}/dashboard/dispatches/d1/original/b1")
    assert anonymous.status_code == 303  # to the sign-in page, never the file


def test_a_clerk_sees_the_scan_beside_the_fields_to_confirm(dashboard_url: str) -> None:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is required at /usr/bin/chromium (scripts/bootstrap.sh)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            for width, height, name in ((390, 844, "phone"), (1280, 900, "desktop")):
                page = browser.new_page(viewport={"width": width, "height": height},
                                        locale="vi-VN", extra_http_headers=LEADER)
                page.goto(f"{dashboard_url}/dashboard/dispatches/d1")
                page.wait_for_function(
                    "document.querySelector('figure.original img').naturalWidth > 0")
                subject = page.locator('[data-field="subject"] .badge.ocr').inner_text()
                assert "cần xác nhận" in subject and "87%" in subject
                assert "62%" in page.locator('[data-field="notation"] .badge.ocr').inner_text()
                verdict = page.locator("[data-signature]")
                assert verdict.get_attribute("data-signature") == "invalid"
                assert "KHÔNG hợp lệ" in verdict.inner_text()
                assert "sửa sau khi ký" in verdict.inner_text()
                page.click(".letter-text summary")  # the letter's text: as text, line by line
                assert page.locator("[data-letter-text]").inner_text().splitlines() == [
                    "Kính gửi: Các phòng thuộc Sở", "<b>Ghi chú</b> & trước ngày 16/02/2024"]
                fields = page.locator("dl.fields").bounding_box()
                scan = page.locator("figure.original").bounding_box()
                assert fields and scan
                if name == "desktop":  # side by side
                    assert scan["x"] > fields["x"] + fields["width"] - 1
                else:  # below, within the phone's width
                    assert scan["y"] >= fields["y"] + fields["height"] - 1
                    assert scan["x"] + scan["width"] <= width
                page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
                page.close()
        finally:
            browser.close()

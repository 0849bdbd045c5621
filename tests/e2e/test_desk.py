"""The units' desk in real headless Chromium, on the real stack (issue 16).

People are created with ``vanthu user add``; then (a) a staff member signs in, acknowledges letter 1
and completes it with a reply file (a refused file first), having read the letter's text and
downloaded its original file, and (b) the unit head hands another copy to a staff member with a
note, which the desk's and the dashboard's timelines word and Kafka carries
(``vanthu.assignment.handedover.v1``); the staff member then finds it under "Việc của tôi".
Someone outside the unit gets 403 with the reason on a dispatch page, and 404 on its original file,
which a person of the unit holding it downloads. Screenshots at phone (390 px) and desktop width go
to test-artifacts/desk/.
"""

from __future__ import annotations

import asyncio
import html
import json
import os
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from shared import topics
from tests.e2e.conftest import Stack
from tests.e2e.test_dashboard import ARGS, CHROMIUM
from tests.kafka_reader import read_topic
from tools.fleet import wait_for

if TYPE_CHECKING:
    from playwright.sync_api import ViewportSize

pytestmark = pytest.mark.infra
LETTER_1 = Path(__file__).resolve().parents[1] / "unit" / "parsing" / "fixtures" / "s01.txt"
PASSWORD = "mật khẩu của bàn làm việc"
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
MARKUP = "<b>Ghi chú</b> & <script>hết</script>"
"""A last line of the uploaded letter: shown as text, never as markup."""


def _upload(stack: Stack, name: str, data: bytes, **metadata: str) -> str:
    """Send a letter as a file (stored as its original) through ingest's upload."""
    response = httpx.post(f"{stack.url('ingest')}/dispatches/upload", timeout=60,
                          headers={"X-API-Key": stack.credentials.api_key},
                          files={"file": (name, data, "text/plain")},
                          data={"metadata": json.dumps(metadata, ensure_ascii=False)})
    assert response.status_code == 202, response.text
    return str(response.json()["dispatch_id"])


def _vanthu(env: dict[str, str], *args: str, stdin: str = "") -> str:
    done = subprocess.run([sys.executable, "-m", "tools.cli", *args], input=stdin, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _people(service_env: dict[str, str]) -> dict[str, str]:
    env = {**os.environ, **service_env}
    for login, role, unit, name in [("nva", "staff", "QLTM", "Nguyễn Văn A"),
                                    ("ttb", "staff", "QLTM", "Trần Thị B"),
                                    ("lvc", "head", "QLTM", "Lê Văn C"),
                                    ("old", "staff", "QLTM", "Người Đã Nghỉ")]:
        _vanthu(env, "user", "add", "--unit", unit, "--role", role, "--login", login,
                "--name", name, "--password-stdin", stdin=PASSWORD + "\n")
    _vanthu(env, "user", "disable", "old")
    listed = _vanthu(env, "user", "list", "--unit", "QLTM")
    assert "old\tQLTM\tstaff\tđã khóa" in listed and "lvc\tQLTM\thead\thoạt động" in listed
    assert "argon2" not in listed and PASSWORD not in listed
    return env


def _sign_in(page: Any, base: str, login: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/login")
    page.fill("#login", login)
    page.fill("#password", password)
    page.click("button[type=submit]")


def _until_status(page: Any, status: str) -> None:
    def applied() -> bool:
        page.reload()
        return bool(page.locator(f"section.own[data-status={status}]").count())
    assert wait_for(applied, 30, interval=0.5), f"never reached {status}"


def _timeline(stack: Stack, dispatch_id: str) -> list[dict[str, Any]]:
    return list((stack.view(dispatch_id) or {}).get("timeline", []))


def test_staff_answer_and_head_hands_over(start_stack: Callable[..., Stack],
                                          service_env: dict[str, str], artifacts_dir: Path,
                                          tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    stack = start_stack()
    _people(service_env)
    letter = LETTER_1.read_bytes() + f"\n{MARKUP}\n".encode()
    first = _upload(stack, "Công văn số 11.txt", letter, number="11")
    second = _upload(stack, "Công văn số 12.txt", LETTER_1.read_bytes(), number="12")
    statistics = "V/v đề nghị cung cấp thông tin thống kê".encode()
    other = _upload(stack, "thong-ke.txt", statistics, subject=statistics.decode(),
                    issuer="CỤC THỐNG KÊ TỈNH")
    for d in (first, second):
        assert wait_for(lambda d=d: len((stack.view(d) or {}).get("assignments", [])) == 7, 40)
    assert wait_for(lambda: (stack.view(other) or {}).get("assignments"), 40)
    assert "QLTM" not in {a["unit_code"] for a in (stack.view(other) or {})["assignments"]}
    shots = artifacts_dir / "desk"
    shots.mkdir(exist_ok=True)
    base = f"{stack.url('tracker')}/desk"
    pdf = tmp_path / "Báo cáo trả lời.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    exe = tmp_path / "tra-loi.pdf.exe"
    exe.write_bytes(b"MZ\x90\x00" + b"\x00" * 64)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport=PHONE, locale="vi-VN")
        page.set_default_timeout(15_000)

        # (a) a staff member signs in, acknowledges, completes with a reply file
        page.goto(base)
        assert "/desk/login" in page.url  # no session yet
        _sign_in(page, base, "old")  # a disabled account
        assert "bị khóa" in page.locator(".error").inner_text()
        _sign_in(page, base, "nva", "sai mật khẩu rồi")
        assert "không đúng" in page.locator(".error").inner_text()
        page.screenshot(path=str(shots / "login-phone.png"), full_page=True)
        _sign_in(page, base, "nva")
        page.wait_for_url(base)
        unit_items = page.locator("[data-section=unit] .work-item")
        assert {unit_items.nth(i).get_attribute("data-dispatch")
                for i in range(unit_items.count())} == {first, second}
        assert "ngày làm việc" in unit_items.first.locator(".deadline").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(shots / "work-phone.png"), full_page=True)

        page.click(f".work-item[data-dispatch='{first}'] a")
        page.wait_for_url(f"{base}/dispatches/{first}")
        roles = {li.get_attribute("data-unit"): li.get_attribute("data-role")
                 for li in page.locator(".holders li").all()}
        words = {"lead": "Chủ trì", "coordinating": "Phối hợp"}
        assert roles == {a["unit_code"]: words[a["role"]]
                         for a in (stack.view(first) or {})["assignments"]}
        page.click(".letter-text summary")  # the letter's text, line by line, as text
        shown = page.locator("[data-letter-text]")
        lines = [line.strip() for line in shown.inner_text().splitlines()]
        assert "Kính gửi: Các phòng, đơn vị thuộc Sở." in lines
        assert lines.index("hợp thực hiện nhiệm vụ cải") > lines.index("V/v chấn chỉnh công tác phối")
        assert lines[-1] == MARKUP and shown.locator("b, script").count() == 0
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(shots / "letter-phone.png"), full_page=True)
        link = page.locator("a[data-original]")
        assert link.inner_text() == "Công văn số 11.txt"
        href = f"{stack.url('tracker')}{link.get_attribute('href')}"
        download = page.request.get(href)  # with the page's session
        assert download.status == 200 and download.body() == letter
        assert download.headers["content-type"].startswith("text/plain")
        assert download.headers["content-disposition"] == \
            "attachment; filename*=UTF-8''C%C3%B4ng%20v%C4%83n%20s%E1%BB%91%2011.txt"
        assert httpx.get(href).status_code == 303  # no session: to the sign-in page
        page.check("input[name=action][value=acknowledge]")
        page.click("form.answer button[type=submit]")
        assert "Đã gửi xác nhận tiếp nhận" in page.locator(".notice").inner_text()
        _until_status(page, "acknowledged")

        page.check("input[name=action][value=complete]")
        page.fill("#note", "Đã rà soát, gửi báo cáo kèm theo.")
        page.set_input_files("#reply", str(exe))
        page.click("form.answer button[type=submit]")
        assert "Loại tệp .exe không được nhận" in page.locator(".error").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(shots / "refused-file-phone.png"), full_page=True)
        page.check("input[name=action][value=complete]")
        page.fill("#note", "Đã rà soát, gửi báo cáo kèm theo.")
        page.set_input_files("#reply", str(pdf))
        page.click("form.answer button[type=submit]")
        assert "Đã gửi báo cáo hoàn thành" in page.locator(".notice").inner_text()
        _until_status(page, "completed")
        assert page.locator(".replies li", has_text="Báo cáo trả lời.pdf").count() == 1
        page.screenshot(path=str(shots / "dispatch-phone.png"), full_page=True)
        answers = [t for t in _timeline(stack, first) if t.get("event_type") ==
                   "assignment.responded" and t.get("unit_code") == "QLTM"]
        assert [(t["action"], t["responded_by"]) for t in answers] == [("acknowledge", "nva"),
                                                                       ("complete", "nva")]
        assert answers[1]["reply_blob_id"].startswith("reply-")

        page.goto(f"{base}/dispatches/{other}")  # not QLTM's: 403 with the reason
        assert "không giao cho đơn vị của bạn (QLTM)" in page.locator(".error").inner_text()
        status = page.request.get(f"{base}/dispatches/{other}").status
        assert status == 403
        other_file = [a["blob_id"] for a in (stack.view(other) or {})["dispatch"]["attachments"]]
        foreign = f"{base}/dispatches/{other}/original/{other_file[0]}"
        assert page.request.get(foreign).status == 404  # not QLTM's: as if it did not exist
        holder = next(a["unit_code"] for a in (stack.view(other) or {})["assignments"])
        _vanthu({**os.environ, **service_env}, "user", "add", "--unit", holder, "--role", "staff",
                "--login", "tk", "--name", "Người Giữ Văn Bản", "--password-stdin",
                stdin=PASSWORD + "\n")
        holding = browser.new_page(viewport=PHONE, locale="vi-VN")
        _sign_in(holding, base, "tk")
        holding.wait_for_url(base)
        assert holding.request.get(foreign).body() == statistics  # its holder gets it
        holding.close()

        # (b) the unit head hands the second copy to a staff member, who then sees it
        head = browser.new_page(viewport=DESKTOP, locale="vi-VN")
        head.set_default_timeout(15_000)
        _sign_in(head, base, "lvc")
        head.wait_for_url(base)
        head.goto(f"{base}/dispatches/{second}")
        assert head.locator("#staff option").count() == 2  # nva, ttb; not the disabled one
        head.select_option("#staff", "ttb")
        head.fill("#handover-note", "Chị B tổng hợp, báo cáo trước thứ Sáu.")
        head.click("form.handover button[type=submit]")
        assert "Đã phân công xử lý" in head.locator(".notice").inner_text()
        assert head.locator("[data-handled-by]").inner_text() == "Trần Thị B"
        said = ("Phòng Quản lý Thương mại (QLTM): Trưởng phòng Lê Văn C phân công Trần Thị B xử lý"
                " — ghi chú: «Chị B tổng hợp, báo cáo trước thứ Sáu.»")
        lines = [t for t in head.locator(".timeline li").all_inner_texts() if "phân công" in t]
        assert len(lines) == 1 and lines[0].endswith(said)  # after its time
        leaders = httpx.get(f"{stack.url('tracker')}/dashboard/dispatches/{second}",
                            headers=stack.credentials.leader_auth, timeout=10)
        assert leaders.status_code == 200 and html.escape(said, quote=False) in leaders.text
        bootstrap = stack.fleet.env["KAFKA_BOOTSTRAP_SERVERS"]
        with ThreadPoolExecutor(1) as aside:  # Playwright's loop runs in this thread
            read = aside.submit(asyncio.run, read_topic(bootstrap, topics.ASSIGNMENT_HANDED_OVER))
            told = [e for e in read.result(timeout=90) if e.get("dispatch_id") == second]
        assert [(e["unit_code"], e["staff_login"], e["staff_name"], e["handed_by"],
                 e["handed_by_name"], e["handed_by_title"], e["note"]) for e in told] == [
            ("QLTM", "ttb", "Trần Thị B", "lvc", "Lê Văn C", "Trưởng phòng",
             "Chị B tổng hợp, báo cáo trước thứ Sáu.")]
        entry = next(t for t in _timeline(stack, second)
                     if t.get("event_type") == "assignment.handed_over")
        assert entry["_id"] == told[0]["event_id"]  # the timeline's entry is the event
        assert head.locator("a[data-original]").inner_text() == "Công văn số 12.txt"
        head.screenshot(path=str(shots / "handover-desktop.png"), full_page=True)

        staff = browser.new_page(viewport=PHONE, locale="vi-VN")
        _sign_in(staff, base, "ttb")
        staff.wait_for_url(base)
        mine = staff.locator("[data-section=mine] .work-item")
        assert [mine.nth(i).get_attribute("data-dispatch") for i in range(mine.count())] == [second]
        staff.screenshot(path=str(shots / "mine-phone.png"), full_page=True)
        page.goto(base)  # nva's own list stays empty
        assert page.locator("[data-section=mine]").count() == 0
        head.goto(base)
        head.screenshot(path=str(shots / "work-desktop.png"), full_page=True)
        browser.close()

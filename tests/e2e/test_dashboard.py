"""The leadership dashboard in real headless Chromium, after the demo scenario on the real stack.

The scenario (``tools.demo.play``) feeds the seed letters and a few corpus letters and plays the units
over February 2024; the dashboard must then tell leadership what the tracker's JSON API tells.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from faststream.kafka import KafkaBroker

from shared import topics
from shared.events import NotificationFailed
from tests.e2e.conftest import Stack
from tools.demo import LEADER_TOKEN, Player, letters, play, scenario_env
from tools.fleet import SERVICES
from tools.infra.paths import REPO_ROOT
from tools.stack_harness import Endpoints, Sink

pytestmark = pytest.mark.infra
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
NEVER = {"KHTC", "TTRA", "QLNL", "KTATMT"}  # letter 2: units the scenario never lets reply
AUTH = {"Authorization": f"Bearer {LEADER_TOKEN}"}


def _api(stack: Stack, path: str, **params: Any) -> Any:
    response = httpx.get(f"{stack.url('tracker')}{path}", params=params, headers=AUTH, timeout=10)
    response.raise_for_status()
    return response.json()


def _notifier_gave_up(bootstrap: str, dispatch_id: str) -> None:
    """What the notifier publishes when it gives up on a level-3 reminder (here: by hand)."""
    async def publish() -> None:
        broker = KafkaBroker(bootstrap)
        await broker.start()
        await broker.publish(NotificationFailed(
            correlation_id=dispatch_id, dispatch_id=dispatch_id, unit_code="TTRA",
            keys=[f"{dispatch_id}/TTRA/overdue-L3/director/email"], kind="overdue", level=3,
            recipient_id="director", channel="email", step="render", attempts=0,
            reason="trích yếu có ký tự điều khiển, không soạn được thư nhắc"),
            topic=topics.NOTIFICATION_FAILED, key=dispatch_id.encode())
        await broker.stop()
    asyncio.run(publish())


@pytest.fixture
def scenario(service_env: dict[str, str],
             artifacts_dir: Path) -> Iterator[tuple[Stack, dict[str, Any]]]:
    """The stack after the demo scenario, with seeds and four corpus letters (to stay quick).

    Like ``start_stack``, but the four services start side by side, as ``vanthu demo`` does.
    """
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    logs = artifacts_dir / "e2e-dashboard"
    stack = Stack(logs, endpoints=Endpoints.from_env(service_env), log_dir=logs,
                  sink=Sink(logs / "sink"), env={**service_env, **scenario_env()})
    try:
        stack.start()
        texts, skipped = letters(REPO_ROOT.parent / "shared")
        player = Player({s: stack.url(s) for s in SERVICES}, stack.sink_dir)
        summary = play(player, (texts[:6], skipped), time.time(), echo=lambda _: None)
        _notifier_gave_up(service_env["KAFKA_BOOTSTRAP_SERVERS"],
                          summary["dispatch_ids"]["letter-2"])
        yield stack, summary
    finally:
        stack.stop()


def test_dashboard_tells_what_the_tracker_knows(scenario: tuple[Stack, dict[str, Any]],
                                                artifacts_dir: Path) -> None:
    from playwright.sync_api import sync_playwright

    stack, summary = scenario
    shots = artifacts_dir / "dashboard"
    shots.mkdir(exist_ok=True)
    letter2 = summary["dispatch_ids"]["letter-2"]
    base = f"{stack.url('tracker')}/dashboard"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        page.set_default_timeout(15_000)

        page.goto(f"{base}/overdue")
        assert "/dashboard/login" in page.url  # no cookie yet
        page.fill("#token", "demo-qltm-token")  # a unit's token is not leadership's
        page.click("button[type=submit]")
        assert page.locator(".error").is_visible()
        page.fill("#token", LEADER_TOKEN)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/overdue")

        page.goto(base)
        card = {k: int(page.locator(f"[data-card={k}]").inner_text())
                for k in ("open", "due_week", "overdue", "disputed", "failed")}
        assert card["failed"] >= 1  # the notification the notifier gave up on
        report = _api(stack, "/reports/on-time", days=3660)
        assert card["open"] == sum(r["open"] for r in report) > 0
        assert card["overdue"] == sum(r["open_overdue"] for r in report) > 0
        units = [r["unit_code"] for r in report]
        assert card["due_week"] == sum(1 for u in units for row in _api(
            stack, f"/units/{u}/worklist", soon_days=7) if row["flag"] == "due_soon")
        disputed = [d for d in summary["dispatch_ids"].values()
                    if _api(stack, f"/dispatches/{d}")["dispatch"].get("disputed") is True]
        assert card["disputed"] == len(disputed)  # dispatches the tracker marked disputed
        assert summary["disputes"] == 1  # the corpus letter the scenario bounced (notifier)
        assert summary["deadlines_extended"] == 1  # QLCN on letter 1 (xin gia hạn)
        assert summary["blockers_reported"] == summary["blockers_directed"] == 1  # TTRA, letter 1
        rates = {r["unit_code"]: r["on_time_rate"] for r in _api(stack, "/reports/on-time", days=30)}
        shown = {row.get_attribute("data-unit"): row.get_attribute("data-rate")
                 for row in page.locator(".bar-row").all()}
        assert {u: "" if r is None else str(r) for u, r in rates.items()} == \
            {u: shown[u] for u in rates}
        page.screenshot(path=str(shots / "overview.png"), full_page=True)

        page.goto(f"{base}/overdue")
        late = [int(s or 0) for s in page.locator("tbody tr").evaluate_all(
            "rows => rows.map(r => r.dataset.lateS)")]
        assert late == sorted(late, reverse=True)
        letter2_rows = page.locator(f"tbody tr:has(a[href='/dashboard/dispatches/{letter2}'])")
        assert {r.get_attribute("data-unit") for r in letter2_rows.all()} == NEVER
        page.click("a[data-sort=unit]")
        page.wait_for_url("**sort=unit**")
        by_unit = page.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.unit)")
        assert by_unit == sorted(by_unit) and set(by_unit) >= NEVER
        page.screenshot(path=str(shots / "overdue.png"), full_page=True)

        letter2_rows.first.locator("a").first.click()
        page.wait_for_url(f"{base}/dispatches/{letter2}")
        sentence = _api(stack, f"/dispatches/{letter2}")["dispatch"]["sources"]["deadlines"]
        assert "16/2/2024" in sentence
        assert " ".join(sentence.split()) in " ".join(
            page.locator("[data-source=deadlines]").inner_text().split())
        failed = page.locator(".timeline li.ev-failed", has_text="không soạn được thư nhắc")
        assert "Gửi thông báo thất bại: nhắc quá hạn mức 3 về Thanh tra Sở (TTRA) tới director" \
            in failed.inner_text()
        page.screenshot(path=str(shots / "dispatch.png"), full_page=True)

        letter1 = summary["dispatch_ids"]["letter-1"]
        page.goto(f"{base}/dispatches/{letter1}")
        timeline = page.locator(".timeline").inner_text()
        assert "(TTRA) phản ánh vướng mắc" in timeline and "cho ý kiến chỉ đạo" in timeline
        page.goto(f"{base}/dispatches/{letter2}")
        page.click(f"a[href='/dashboard/dispatches/{letter2}/matrix']")
        page.wait_for_url("**/matrix")
        cells = {r.get_attribute("data-unit"): r.get_attribute("data-reply")
                 for r in page.locator("tbody tr").all()}
        assert cells == {r["unit_code"]: r["reply"]
                         for r in _api(stack, f"/dispatches/{letter2}/matrix")}
        assert cells["QLCN"] == "late" and cells["VP"] == "on_time"
        page.screenshot(path=str(shots / "matrix.png"), full_page=True)

        page.goto(f"{base}/units/KTATMT")
        assert page.locator("tbody tr").count() == len(_api(stack, "/units/KTATMT/worklist"))

        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{base}?refresh=2")
        page.wait_for_selector("#live[data-refreshed]", timeout=10_000)  # swapped in, no reload
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(shots / "overview-phone.png"), full_page=True)
        page.click("a[data-card-link=failed]")
        page.wait_for_url(f"{base}/notifications/failed")
        assert page.locator(f"li.ev-failed a[href='/dashboard/dispatches/{letter2}']").count() >= 1
        page.screenshot(path=str(shots / "failed-phone.png"), full_page=True)

        session = [c for c in page.context.cookies() if c["name"] == "vanthu_session"]
        assert session and session[0]["value"] != LEADER_TOKEN and session[0]["httpOnly"]
        page.click("form.logout button")  # carries the session's CSRF token
        page.wait_for_url(f"{base}/login")
        page.context.add_cookies(session)  # the old session id, replayed: revoked
        page.goto(f"{base}/overdue")
        assert "/dashboard/login" in page.url
        page.screenshot(path=str(shots / "login-phone.png"), full_page=True)
        for _ in range(10):  # wrong tokens until the address is throttled (one was wrong above)
            page.fill("#token", "sai-ma-truy-cap")
            page.click("button[type=submit]")
            if "quá nhiều lần" in page.locator(".error").inner_text():
                break
        assert "Vui lòng thử lại sau" in page.locator(".error").inner_text()
        page.screenshot(path=str(shots / "login-429-phone.png"), full_page=True)
        browser.close()

"""What the desk's e2e tests of a unit's requests to leadership share (blockers, extensions).

A staff member of QLTM (``nva``) with the desk's password; letter 1 posted and routed to its seven
units; nva on a phone, signed in at the desk, on the dispatch's page of requests (reached from the
dispatch's link); leadership at a desktop, signed in on a dashboard page with the e2e leader token;
and who got the notices of one kind.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from tests.e2e.conftest import Stack
from tests.e2e.test_desk import DESKTOP, LETTER_1, PASSWORD, PHONE, _sign_in, _vanthu
from tools.fleet import wait_for

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

STAFF = "nva"


def staff_and_letter(stack: Stack, service_env: dict[str, str], number: str) -> str:
    """Add nva (QLTM staff) and post letter 1 numbered ``number``; its dispatch id, once its seven
    assignments are made."""
    _vanthu({**os.environ, **service_env}, "user", "add", "--unit", "QLTM", "--role", "staff",
            "--login", STAFF, "--name", "Nguyễn Văn A", "--password-stdin", stdin=PASSWORD + "\n")
    letter = stack.post_dispatch(body=LETTER_1.read_text(), number=number)
    assert wait_for(lambda: len((stack.view(letter) or {}).get("assignments", [])) == 7, 40)
    return letter


def delivered_to(stack: Stack, dispatch_id: str, kind: str) -> set[str]:
    """The recipients a notice of ``kind`` about the dispatch was delivered to."""
    return {n["recipient"] for n in stack.notifications(dispatch_id)
            if n.get("kind") == kind and n.get("status") == "delivered"}


def desk_requests_page(browser: Browser, tracker: str, dispatch_id: str, section: str) -> Page:
    """nva's phone page, signed in at the desk, on the dispatch's ``section`` page ("blockers",
    "extensions"), reached by the dispatch page's link."""
    page = browser.new_page(viewport=PHONE, locale="vi-VN")
    page.set_default_timeout(15_000)
    _sign_in(page, f"{tracker}/desk", STAFF)
    page.wait_for_url(f"{tracker}/desk")
    page.goto(f"{tracker}/desk/dispatches/{dispatch_id}")
    page.click(f".{section}-link a")
    page.wait_for_url(f"{tracker}/desk/dispatches/{dispatch_id}/{section}")
    return page


def leader_page(browser: Browser, tracker: str, path: str) -> Page:
    """Leadership's desktop page on the dashboard's ``path``, signed in there with the e2e leader
    token."""
    leader = browser.new_page(viewport=DESKTOP, locale="vi-VN")
    leader.set_default_timeout(15_000)
    leader.goto(f"{tracker}{path}")
    leader.fill("#token", "e2e-leader")
    leader.click("button[type=submit]")
    leader.wait_for_url(f"{tracker}{path}")
    return leader

"""Who may see the dashboard, where login sends you, and what the refresh fragment holds."""

from __future__ import annotations

import pytest

from services.tracker.access import AccessControl
from services.tracker.dashboard import auth
from services.tracker.dashboard.render import render, static_file
from shared.tokens import hash_secret

ACCESS = AccessControl(f"VP:{hash_secret('vp-token')}", f"director:{hash_secret('leader-token')}")


def test_only_leadership_tokens_open_the_dashboard() -> None:
    leader = auth.leader_for(ACCESS, "Bearer leader-token")
    assert leader is not None and leader.name == "director" and leader.leadership
    assert auth.leader_for(ACCESS, "Bearer vp-token") is None  # a unit's token
    assert auth.leader_for(ACCESS, "Bearer nope") is None
    assert auth.leader_for(ACCESS, None) is None


@pytest.mark.parametrize(("asked", "goes_to"), [
    ("/dashboard/overdue?sort=unit", "/dashboard/overdue?sort=unit"),
    ("https://evil.example/dashboard", "/dashboard"),
    ("//evil.example/dashboard", "/dashboard"),
    ("/docs", "/dashboard"),
    ("/dashboard\\..\\x", "/dashboard"),
    (None, "/dashboard"),
])
def test_login_only_sends_you_back_into_the_dashboard(asked: str | None, goes_to: str) -> None:
    assert auth.safe_next(asked) == goes_to


def test_login_url_keeps_the_page_asked_for() -> None:
    assert auth.login_url("/dashboard/overdue?sort=unit") == \
        "/dashboard/login?next=/dashboard/overdue%3Fsort%3Dunit"


CONTEXT = {"who": "director", "csrf": "c", "now": "09:00 27/02/2024", "refresh": 15,
           "units": {"VP": "Văn phòng"}, "rows": [], "sort": "days", "order": "desc"}


def test_a_fragment_is_the_live_part_only_and_pages_are_locked_down() -> None:
    page = render("overdue.html.j2", CONTEXT)
    fragment = render("overdue.html.j2", CONTEXT, fragment=True)
    body, part = page.body.decode(), fragment.body.decode()
    assert "<html" in body and "<html" not in part and "refresh.js" not in part
    assert "Không có việc nào quá hạn." in part and part.strip() in body
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"


def test_text_from_documents_is_escaped() -> None:
    page = render("unit.html.j2", {**CONTEXT, "unit_code": "VP", "unit_name": "<script>x</script>",
                                   "bar": {"text": "—", "on_time": 0, "late": 0, "overdue": 0}})
    assert "<script>x</script>" not in page.body.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in page.body.decode()


def test_only_the_vendored_files_are_served() -> None:
    css = static_file("dashboard.css")
    assert css is not None and css[1].startswith("text/css") and b"@media" in css[0]
    assert static_file("../routes.py") is None and static_file("routes.py") is None

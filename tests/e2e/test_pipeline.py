"""One dispatch flows through the four services, each a separate OS process, on real Kafka/FerretDB.

The head of Văn phòng is on email and Zalo and Văn phòng itself on Zalo only (an organisation file
made from the sample), so the same run checks the Zalo channel against a local stand-in of Zalo's OA
API: the level-1 notice arrives by both, and once the OA's token has expired (-216) the level-2
notice is a recorded failure, not retried (issue 20)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from pymongo import MongoClient

from tests.e2e.conftest import Stack
from tests.unit.notifier.factories import sample_org
from tools.fleet import wait_for
from tools.sinks import read_mail
from tools.zalo_stand_in import ZaloStandIn

pytestmark = pytest.mark.infra
ZALO_TOKEN = "e2e-zalo-oa-token"
HEAD_ZALO_ID = "2468458835296117922"
VP_ZALO_ID = "1357913579135791357"


@pytest.fixture
def zalo(tmp_path: Path) -> Iterator[ZaloStandIn]:
    with ZaloStandIn([ZALO_TOKEN], directory=tmp_path / "zalo") as stand_in:
        yield stand_in


def _organisation(path: Path) -> Path:
    """The sample organisation, with the head of Văn phòng on email and Zalo, the unit on Zalo."""
    org: dict[str, Any] = sample_org()
    [vp] = [u for u in org["units"] if u["code"] == "VP"]
    vp["head"] |= {"zalo_user_id": HEAD_ZALO_ID, "channels": ["email", "zalo"]}
    vp["contacts"] = {"email": vp["contacts"]["email"], "zalo_user_id": VP_ZALO_ID, "channels": ["zalo"]}
    path.write_text(yaml.safe_dump(org, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _notice(stack: Stack, dispatch_id: str, kind: str, recipient: str, channel: str) -> dict[str, Any]:
    return next((n for n in stack.notifications(dispatch_id) if n["kind"] == kind
                 and n["recipient"] == recipient and n["channel"] == channel), {})


def test_dispatch_is_tracked_then_escalated_after_the_clock_passes_its_deadline(
    start_stack: Callable[..., Stack], service_env: dict[str, str], zalo: ZaloStandIn, tmp_path: Path
) -> None:
    stack = start_stack(ORGANISATION_FILE=str(_organisation(tmp_path / "org.yaml")),
                        NOTIFIER_ZALO_API_BASE=zalo.url, NOTIFIER_ZALO_ACCESS_TOKEN=ZALO_TOKEN)
    due_at = datetime.now(UTC) + timedelta(days=3)
    dispatch_id = stack.post_dispatch(subject="V/v đề nghị cung cấp thông tin thống kê",
                                      issuer="CỤC THỐNG KÊ TỈNH", due_at=due_at.isoformat())
    started = time.monotonic()
    assert wait_for(lambda: (stack.view(dispatch_id) or {}).get("assignments"), timeout=30), \
        "the tracker never stored the dispatch with its assignment"
    view = stack.view(dispatch_id)
    assert view is not None
    [assignment] = view["assignments"]
    assert assignment["unit_code"] == "VP" and assignment["status"] == "received"  # triage
    stored_due = datetime.fromisoformat(assignment["due_at"])
    assert abs(stored_due - due_at) < timedelta(seconds=1)
    assert {e["event_type"] for e in view["timeline"]} == {"dispatch.received", "dispatch.assigned"}
    assert stack.respond(dispatch_id, "VP", "acknowledge").status_code == 202

    time.sleep(1.0)  # several scans pass before the deadline: nothing overdue may fire early
    assert not [n for n in stack.notifications(dispatch_id) if n["kind"].startswith("overdue")]

    stack.advance(3 * 86400 + 60)
    assert wait_for(lambda: all(_notice(stack, dispatch_id, "overdue-L1", "head:VP", channel)
                                .get("status") == "delivered" for channel in ("email", "zalo")),
                    timeout=30), \
        f"no delivered level-1 notification by email and Zalo: {stack.notifications(dispatch_id)}"
    assert time.monotonic() - started < 60
    mails = read_mail(stack.sink_dir / "mail")
    assert any("vp.hoa@sct.example.gov.vn" in m["X-Envelope-To"] and "mức 1" in m["Subject"]
               for m in mails)
    [message] = [m for m in zalo.messages() if m["recipient"] == {"user_id": HEAD_ZALO_ID}
                 and "QUÁ HẠN XỬ LÝ (MỨC 1)" in m["message"]["text"]]
    text = message["message"]["text"]  # the email's wording, without its mail signature
    assert "thông tin thống kê" in text and f"/dashboard/dispatches/{dispatch_id}" in text
    assert len(text) <= 2000 and "Vui lòng không trả lời thư này" not in text
    assert all(r["path"] == "/v3.0/oa/message/cs" and r["token_ok"] for r in zalo.requests)

    with MongoClient(service_env["MONGODB_URL"], tz_aware=True) as client:
        db = client[service_env["MONGODB_DATABASE"]]
        assert db.assignments.count_documents({"dispatch_id": dispatch_id}) == 1
        assert db.assignments.find_one({"dispatch_id": dispatch_id})["status"] == "acknowledged"

    zalo.revoke(ZALO_TOKEN)  # the OA's access token expires
    sent = len(zalo.messages())
    stack.advance(4 * 86400)  # a working day later at least: level 2 to Văn phòng itself
    assert wait_for(lambda: _notice(stack, dispatch_id, "overdue-L2", "unit:VP", "zalo")
                    .get("status") == "failed", timeout=30), \
        f"no failed level-2 Zalo notice: {stack.notifications(dispatch_id)}"
    failed = _notice(stack, dispatch_id, "overdue-L2", "unit:VP", "zalo")
    assert failed["step"] == "send" and "Zalo OA refused the access token (error -216" in failed["reason"]
    assert [a["outcome"] for a in failed["attempts"]] == ["failed"]  # not retried
    refused = [r for r in zalo.requests if r["answer"]["error"] == -216
               and r["body"]["recipient"] == {"user_id": VP_ZALO_ID}]
    assert len(refused) == 1 and "MỨC 2" in refused[0]["body"]["message"]["text"]
    assert len(zalo.messages()) == sent


ZALO_APP = ("4291763606161179100", "e2e-zalo-app-secret")


def test_the_notifier_renews_the_zalo_token_itself(
    start_stack: Callable[..., Stack], tmp_path: Path
) -> None:
    """With the app's id, secret and a refresh token, a refused (expired) OA token is renewed and
    the escalation still reaches Zalo; the chain is kept in the notifier's database."""
    with ZaloStandIn([], directory=tmp_path / "zalo-renewal", app=ZALO_APP,
                     refresh_tokens=["e2e-seed-refresh-token"]) as zalo:
        stack = start_stack(ORGANISATION_FILE=str(_organisation(tmp_path / "org.yaml")),
                            NOTIFIER_ZALO_API_BASE=zalo.url, NOTIFIER_ZALO_OAUTH_BASE=zalo.url,
                            NOTIFIER_ZALO_APP_ID=ZALO_APP[0], NOTIFIER_ZALO_APP_SECRET=ZALO_APP[1],
                            NOTIFIER_ZALO_REFRESH_TOKEN="e2e-seed-refresh-token")
        dispatch_id = stack.post_dispatch(
            subject="V/v báo cáo tình hình thực hiện", issuer="UBND TỈNH",
            due_at=(datetime.now(UTC) + timedelta(days=3)).isoformat())
        assert wait_for(lambda: (stack.view(dispatch_id) or {}).get("assignments"), timeout=30)
        stack.advance(3 * 86400 + 60)
        assert wait_for(lambda: _notice(stack, dispatch_id, "overdue-L1", "head:VP", "zalo")
                        .get("status") == "delivered", timeout=30), stack.notifications(dispatch_id)
        assert len(zalo.renewals) == 1  # the first send renewed from the configured token

        zalo.revoke(zalo.renewals[0][0])  # Zalo refuses the token before its time
        stack.advance(4 * 86400)
        assert wait_for(lambda: _notice(stack, dispatch_id, "overdue-L2", "unit:VP", "zalo")
                        .get("status") == "delivered", timeout=30), stack.notifications(dispatch_id)
        assert len(zalo.renewals) == 2
        assert [r["answer"]["error"] for r in zalo.requests
                if r["path"] == "/v3.0/oa/message/cs" and "MỨC 2" in r["body"]["message"]["text"]
                ] == [-216, 0]
        assert all("e2e-seed-refresh-token" not in p.read_text(encoding="utf-8")
                   for p in (tmp_path / "zalo-renewal").glob("*.json"))

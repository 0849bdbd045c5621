"""edXML packages from the exchange axis through the four services on real Kafka/FerretDB (issue 19).

One stack, three uploads as an upstream system would send them: a thin envelope whose meeting is
stated only in the attached letter (the tracker shows the envelope's fields and the meeting with its
origin), a hỏa tốc package (its assignments get the urgency policy's shorter deadlines), then a
package revoking the first one's DocumentId (the first dispatch's open assignments are cancelled and
each unit that held it is told, by the notifier and in the mail sink).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.router.urgency import urgency_caps
from shared.clock import VIETNAM_TZ
from shared.events_exchange import Urgency
from shared.organisation import load_organisation
from tests.e2e.conftest import Stack
from tests.unit.parsing.edxml_packages import LETTER_NAME, envelope, thin_package
from tools.fleet import wait_for
from tools.sinks import read_mail

pytestmark = pytest.mark.infra
ORG = load_organisation(Path(__file__).resolve().parents[2] / "config/organisation.sample.yaml")
ORIGINAL = "000.00.12.H19,2024/02/10,123/SCT-VP"


def _upload(stack: Stack, data: bytes, name: str) -> dict[str, Any]:
    response = httpx.post(f"{stack.url('ingest')}/dispatches/upload", timeout=60,
                          headers={"X-API-Key": stack.credentials.api_key},
                          files={"file": (name, data, "application/xml")})
    assert response.status_code == 202, response.text
    return dict(response.json())


def _routed(stack: Stack, dispatch_id: str) -> dict[str, Any]:
    assert wait_for(lambda: (stack.view(dispatch_id) or {}).get("assignments"), timeout=30), \
        f"the tracker never stored dispatch {dispatch_id} with its assignments"
    view = stack.view(dispatch_id)
    assert view is not None
    return view


def _express_package(due: datetime) -> bytes:
    """The hỏa tốc package with a DueDate far enough ahead that only the urgency can shorten it."""
    return envelope("urgent-default-ns").replace(
        b"<DueDate>2024/02/23</DueDate>", f"<DueDate>{due:%Y/%m/%d}</DueDate>".encode())


def test_packages_from_the_exchange_axis_are_read_hurried_and_revoked(
        start_stack: Callable[..., Stack]) -> None:
    stack = start_stack()
    started = time.monotonic()

    # 1. A thin envelope: the envelope's fields, and the meeting only its attached letter states.
    answer = _upload(stack, thin_package("thin-prefixed"), "123-SCT-VP.edxml")
    first = answer["dispatch_id"]
    assert (answer["read_fields"]["meeting"]["origin"],
            answer["read_fields"]["meeting"]["attachment"]) == ("text", LETTER_NAME)
    view = _routed(stack, first)
    dispatch = view["dispatch"]
    assert (dispatch["number"], dispatch["notation"], dispatch["document_id"]) == \
        ("123", "SCT-VP", ORIGINAL)
    assert "cải cách hành chính năm 2023" in dispatch["subject"]
    assert dispatch["signer_name"] == "Phạm Văn Cường"
    origins = dispatch["field_origins"]
    assert {origins[f]["origin"] for f in ("subject", "number", "notation", "issued_on")} == \
        {"envelope"}
    assert dispatch["meeting"]["date"] == "2024-02-19"
    assert dispatch["meeting"]["place"] == "Phòng họp lớn Sở Công Thương"
    assert (origins["meeting"]["origin"], origins["meeting"]["attachment"]) == ("text", LETTER_NAME)
    assert [a["filename"] for a in dispatch["attachments"]] == \
        [LETTER_NAME, "phu-luc.txt", "123-SCT-VP.edxml"]  # the letter is the original
    assert dispatch["exchange"]["business"] == "new" and dispatch["urgency"] == "normal"
    held = {a["unit_code"] for a in view["assignments"]}
    assert held and all(a["status"] == "received" for a in view["assignments"])

    # 2. A hỏa tốc package: its deadlines are the urgency policy's, not the DueDate a month away.
    stated_due = datetime.now(VIETNAM_TZ).replace(hour=17, minute=0) + timedelta(days=30)
    urgent = _upload(stack, _express_package(stated_due), "125-SCT-VP.edxml")["dispatch_id"]
    view = _routed(stack, urgent)
    assert view["dispatch"]["urgency"] == "express"
    received_at = datetime.fromisoformat(view["dispatch"]["received_at"])
    caps = urgency_caps(Urgency.EXPRESS, received_at, ORG.handling.urgency, ORG.work_calendar())
    assert caps is not None and caps.handle_by < stated_due
    for a in view["assignments"]:
        due, ack = datetime.fromisoformat(a["due_at"]), datetime.fromisoformat(a["ack_due_at"])
        assert due <= caps.handle_by and ack <= caps.acknowledge_by, a
    [lead] = [a for a in view["assignments"] if a["role"] == "lead"]
    assert datetime.fromisoformat(lead["due_at"]) == caps.handle_by  # 1 working day
    assert datetime.fromisoformat(lead["ack_due_at"]) == caps.acknowledge_by  # 2 working hours
    assert "văn bản hỏa tốc" in view["dispatch"]["reason"]

    # 3. A package revoking the first: its open assignments are cancelled, its units told.
    revoke = _upload(stack, envelope("revoke-prefixed"), "thu-hoi-123.edxml")["dispatch_id"]
    assert revoke != first

    def cancelled() -> bool:
        found = stack.view(first) or {}
        return bool(found.get("assignments")) and all(
            a["status"] == "cancelled" for a in found["assignments"])

    assert wait_for(cancelled, timeout=30), f"not cancelled: {stack.view(first)}"
    withdrawn = stack.view(first)
    assert withdrawn is not None and withdrawn["dispatch"]["withdrawn"]["by_dispatch_id"] == revoke
    assert withdrawn["dispatch"]["withdrawn"]["business"] == "revoke"
    assert all(a["cancelled_by"] == revoke for a in withdrawn["assignments"])
    assert "dispatch.withdrawn" in {t["event_type"] for t in withdrawn["timeline"]}
    revoking = stack.view(revoke)  # kept as received, not routed afresh
    assert revoking is not None and revoking["assignments"] == []

    def told() -> list[dict[str, Any]]:
        return [n for n in stack.notifications(first) if n["kind"] == "withdrawn"
                and n["recipient"].startswith("unit:") and n["status"] == "delivered"]

    assert wait_for(lambda: {n["recipient"] for n in told()} >= {f"unit:{u}" for u in held},
                    timeout=30), f"units not told: {stack.notifications(first)}"
    mails = [m for m in read_mail(stack.sink_dir / "mail")
             if str(m["Subject"]).startswith("[Vanthu] Văn bản đã bị thu hồi: số 123/SCT-VP")]
    assert {str(m["Subject"]).rsplit(" - ", 1)[1] for m in mails} >= held
    assert all("Thu hồi do sai thời gian họp" in m.get_body(("plain",)).get_content()  # type: ignore[union-attr]
               for m in mails)
    assert time.monotonic() - started < 60

"""Uploading edXML packages shaped as peers emit them (issue 19): the answer and the event carry the
envelope's fields, the meeting and references only the attached letter states, each with its origin;
the attached files are stored (the letter first); urgency, exchange details and the envelope's
signature travel on the event; a revoking package is its own dispatch, not a resend."""

from __future__ import annotations

import httpx
import pytest

from tests.service.test_ingest_api import KEY, Harness
from tests.service.test_ingest_api import ingest as ingest  # the in-memory ingest fixture
from tests.unit.parsing.edxml_packages import (
    LETTER_ID,
    LETTER_NAME,
    envelope,
    letter_pdf,
    signed,
    tampered,
    thin_package,
    with_files,
)
from tests.unit.parsing.signing import signer

ORIGINAL = "000.00.12.H19,2024/02/10,123/SCT-VP"


async def upload(ingest: Harness, data: bytes, name: str = "goi-tin.edxml") -> httpx.Response:
    return await ingest.client.post("/dispatches/upload", headers=KEY,
                                    files={"file": (name, data, "application/xml")})


@pytest.mark.parametrize("form", ["prefixed", "default-ns"])
async def test_a_thin_package_gives_the_envelope_and_what_only_its_letter_states(
        ingest: Harness, form: str) -> None:
    package = thin_package(f"thin-{form}")
    response = await upload(ingest, package)
    assert response.status_code == 202, response.text
    shown = response.json()["read_fields"]
    assert shown["notation"] == {"value": "SCT-VP", "origin": "envelope", "confidence": None,
                                 "attachment": None}
    assert shown["meeting"]["value"]["date"] == "2024-02-19"
    assert (shown["meeting"]["origin"], shown["meeting"]["attachment"]) == ("text", LETTER_NAME)
    assert shown["referenced_documents"]["value"][0]["notation"] == "UBND-HCC"
    assert shown["referenced_documents"]["attachment"] == LETTER_NAME
    [event] = ingest.received
    assert event.document_id == ORIGINAL and event.subject.startswith("tổ chức tổng kết")
    assert event.meeting is not None and event.meeting.place == "Phòng họp lớn Sở Công Thương"
    assert event.field_origins["meeting"].attachment == LETTER_NAME
    assert event.field_origins["subject"].origin == "envelope"
    assert [d.date.isoformat() for d in event.deadlines] == ["2024-02-23", "2024-02-16"]
    assert event.urgency == "normal" and event.exchange is not None
    assert event.exchange.business == "new" and event.exchange.trace[0].organ_id == "000.00.12.H19"
    assert event.signature is not None and event.signature.status == "unsigned"
    names = [a.filename for a in event.attachments]
    assert names == [LETTER_NAME, "phu-luc.txt", "goi-tin.edxml"]  # the letter is the original
    letter = event.attachments[0]
    assert letter.content_type == "application/pdf"
    assert ingest.repo.blobs[letter.blob_id] == letter_pdf()
    assert ingest.repo.blobs[event.attachments[-1].blob_id] == package
    assert event.body_ref is not None and b"Ph\xc3\xb2ng h\xe1\xbb\x8dp l\xe1\xbb\x9bn" in \
        ingest.repo.blobs[event.body_ref]  # the letter's text


async def test_an_urgent_package_is_marked_express(ingest: Harness) -> None:
    response = await upload(ingest, envelope("urgent-default-ns"))
    assert response.status_code == 202, response.text
    [event] = ingest.received
    assert event.urgency == "express" and event.exchange is not None
    assert (event.exchange.priority, event.exchange.steering_type) == (3, 1)


async def test_a_revoking_package_is_its_own_dispatch_naming_the_original(ingest: Harness) -> None:
    first = await upload(ingest, thin_package())
    revoke = await upload(ingest, envelope("revoke-prefixed"))
    assert (first.status_code, revoke.status_code) == (202, 202), revoke.text
    assert revoke.json()["dispatch_id"] != first.json()["dispatch_id"]
    original, revoking = ingest.received
    assert original.document_id == revoking.document_id == ORIGINAL
    assert revoking.exchange is not None and revoking.exchange.business == "revoke"
    assert revoking.exchange.acted_on == [ORIGINAL]
    again = await upload(ingest, envelope("revoke-prefixed"))
    assert again.status_code == 200 and again.json()["dispatch_id"] == revoke.json()["dispatch_id"]
    resent = await upload(ingest, thin_package())
    assert resent.status_code == 200 and resent.json()["dispatch_id"] == first.json()["dispatch_id"]


async def test_a_package_changed_after_signing_carries_an_invalid_signature(ingest: Harness) -> None:
    files = [(LETTER_NAME, "application/pdf", letter_pdf(), LETTER_ID)]
    package = tampered(signed(with_files(envelope("signed-prefixed"), files), signer()))
    response = await upload(ingest, package)
    assert response.status_code == 202, response.text
    [event] = ingest.received
    assert event.signature is not None and event.signature.status == "invalid"
    assert event.exchange is not None and event.exchange.envelope_signature is not None
    assert event.exchange.envelope_signature.status == "invalid"

"""The edXML exchange contract: urgency and business codes, and older events still validating."""

from __future__ import annotations

import pytest

from shared.events import DispatchReceived
from shared.events_exchange import BusinessKind, ExchangeDetails, Urgency
from shared.reading_parts import FieldOrigin


@pytest.mark.parametrize(("code", "urgency", "label"), [
    (0, Urgency.NORMAL, "thường"), (1, Urgency.URGENT, "khẩn"),
    (2, Urgency.VERY_URGENT, "thượng khẩn"), (3, Urgency.EXPRESS, "hỏa tốc"),
    (4, Urgency.EXPRESS, "hỏa tốc")])
def test_priority_codes_give_the_urgency(code: int, urgency: Urgency, label: str) -> None:
    assert Urgency.from_priority(code) is urgency
    assert urgency.label == label


def test_unknown_priority_is_no_urgency() -> None:
    assert Urgency.from_priority(None) is None
    assert Urgency.from_priority(7) is None


def test_business_codes() -> None:
    assert [BusinessKind.from_code(c) for c in (0, 1, 2, 3)] == [
        BusinessKind.NEW, BusinessKind.REVOKE, BusinessKind.UPDATE, BusinessKind.REPLACE]
    assert BusinessKind.from_code(None) is BusinessKind.NEW
    assert BusinessKind.from_code(9) is BusinessKind.NEW
    assert ExchangeDetails(business=BusinessKind.REVOKE).acts_on_earlier
    assert not ExchangeDetails().acts_on_earlier


def test_an_event_without_the_new_fields_still_validates() -> None:
    old = {"correlation_id": "c", "dispatch_id": "d", "source_system": "s", "subject": "x",
           "field_origins": {"subject": {"origin": "ocr", "confidence": 0.9}}}
    event = DispatchReceived.model_validate(old)
    assert event.urgency is None and event.exchange is None
    assert event.field_origins["subject"] == FieldOrigin(origin="ocr", confidence=0.9)


def test_an_exchange_round_trips() -> None:
    event = DispatchReceived(
        correlation_id="c", dispatch_id="d", source_system="s", subject="x", urgency="express",
        exchange={"business": "replace", "acted_on": ["000.00.12.H53,2024/02/01,12/SCT-VP"],
                  "priority": 3, "trace": [{"organ_id": "000.00.12.H53",
                                            "at": "2024-02-01T08:00:00+07:00"}],
                  "envelope_signature": {"status": "unsigned"}},
        field_origins={"meeting": {"origin": "text", "attachment": "giaymoi.pdf"},
                       "subject": {"origin": "envelope"}})
    again = DispatchReceived.model_validate_json(event.model_dump_json())
    assert again == event
    assert again.exchange is not None and again.exchange.trace[0].at is not None
    assert again.exchange.trace[0].at.isoformat() == "2024-02-01T01:00:00+00:00"

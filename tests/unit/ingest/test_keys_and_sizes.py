"""Submission keys are scoped to the sending system; an event over Kafka's size names its field."""

from __future__ import annotations

from datetime import UTC, date, datetime

from services.ingest.event_size import oversize_error
from services.ingest.idempotency import edxml_key, fingerprint_key, idempotency_key, natural_key
from shared.events import DispatchReceived

DOC = ("SỞ CÔNG THƯƠNG", "123", "SCT-VP", date(2024, 2, 10))


def test_every_key_depends_on_the_sending_system() -> None:
    assert natural_key("a", *DOC) != natural_key("b", *DOC)
    assert natural_key("a", *DOC) == natural_key("a", "sở  công thương", "123", "SCT - VP", DOC[3])
    assert edxml_key("a", "000.00.12.H19,2024/02/10,123/SCT-VP") != edxml_key(
        "b", "000.00.12.H19,2024/02/10,123/SCT-VP")
    assert idempotency_key("a", "k") != idempotency_key("b", "k")
    assert fingerprint_key("a", "f") != fingerprint_key("b", "f")
    assert natural_key("a", None, "1", "X", DOC[3]) is None and edxml_key("a", " ") is None


def _event(**fields: object) -> DispatchReceived:
    return DispatchReceived(dispatch_id="d", source_system="s", correlation_id="d",
                            occurred_at=datetime(2024, 2, 10, tzinfo=UTC),
                            **{"subject": "V/v x", **fields})  # type: ignore[arg-type]


def test_a_small_event_passes_and_a_big_one_names_its_largest_field() -> None:
    assert oversize_error(_event(), 10_000) is None
    error = oversize_error(_event(recipients=["Sở Tài chính"] * 400, body="y" * 3000), 8_000)
    assert error is not None
    assert error["loc"] == ["body", "recipients"] and error["type"] == "event_too_large"
    assert "8000" in error["msg"] and "recipients" in error["msg"]
    assert error["ctx"]["size"] > 8_000

"""The tracker's typed records read the stored documents, and write back the same shape."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.tracker.ladder import Status
from services.tracker.records import (
    AcceptedResponse,
    AssignmentRecord,
    CheckRecord,
    SignalClaim,
    TimelineEntry,
)
from shared.kafka import key_hash

DUE = datetime(2024, 2, 16, 10, tzinfo=UTC)


def test_an_assignment_document_reads_as_a_typed_record_with_round_zero_by_default() -> None:
    doc = {"_id": "d1:QLTM", "dispatch_id": "d1", "unit_code": "QLTM", "role": "coordinating",
           "status": "acknowledged", "due_at": DUE, "task": "Phối hợp", "assigned_at": DUE}
    record = AssignmentRecord.from_doc(doc)
    assert (record.id, record.dispatch_id, record.unit_code, record.role) == (
        "d1:QLTM", "d1", "QLTM", "coordinating")
    assert record.status is Status.ACKNOWLEDGED and record.round == 0 and not record.closed
    assert record.last_response_event_id is None and record.last_response_status is None


def test_a_reopened_and_answered_assignment_keeps_its_round_and_last_response() -> None:
    record = AssignmentRecord.from_doc({
        "_id": "d1:VP", "dispatch_id": "d1", "unit_code": "VP", "status": "completed",
        "due_at": DUE, "round": 2, "last_response_event_id": "e9",
        "last_response_status": "completed"})
    assert record.closed and record.round == 2
    assert record.last_response_status is Status.COMPLETED and record.last_response_event_id == "e9"


def test_an_assignment_with_an_unknown_status_is_refused() -> None:
    with pytest.raises(ValueError):
        AssignmentRecord.from_doc({"_id": "a", "dispatch_id": "d", "unit_code": "u",
                                   "status": "lost", "due_at": DUE})


def test_a_new_check_is_stored_without_a_round_and_with_its_key_hash() -> None:
    check = CheckRecord(id="d1:VP", dispatch_id="d1", unit_code="VP",
                        schedule={"overdue:1": DUE})
    assert check.as_doc() == {"_id": "d1:VP", "dispatch_id": "d1", "unit_code": "VP",
                              "key_hash": key_hash("d1"), "schedule": {"overdue:1": DUE}}
    assert CheckRecord.from_doc(check.as_doc()) == CheckRecord(
        id="d1:VP", dispatch_id="d1", unit_code="VP", schedule={"overdue:1": DUE},
        stored_key_hash=key_hash("d1"))


def test_a_check_names_its_round_and_claims_and_computes_a_missing_key_hash() -> None:
    first = CheckRecord.from_doc({"_id": "d1:VP", "dispatch_id": "d1", "schedule": {}})
    again = CheckRecord.from_doc({"_id": "d1:VP", "dispatch_id": "d1", "round": 2,
                                  "key_hash": 7, "schedule": {}})
    assert (first.round_id, first.claim_id("overdue:1")) == ("d1:VP", "d1:VP:overdue:1")
    assert (again.round_id, again.claim_id("overdue:1")) == ("d1:VP:r2", "d1:VP:r2:overdue:1")
    assert first.key_hash == key_hash("d1") and again.key_hash == 7


def test_a_timeline_entry_round_trips_with_its_details() -> None:
    doc = {"_id": "e1", "dispatch_id": "d1", "event_type": "assignment.responded",
           "occurred_at": DUE, "correlation_id": "d1", "unit_code": "VP", "action": "decline",
           "refused": "đã hoàn thành"}
    entry = TimelineEntry.from_doc(doc)
    assert entry.event_id == "e1" and entry.details == {
        "unit_code": "VP", "action": "decline", "refused": "đã hoàn thành"}
    assert entry.as_doc() == doc


def test_an_accepted_response_and_a_claim_round_trip() -> None:
    response = AcceptedResponse("e1", "d1", "VP", "acknowledge", "acknowledged", DUE)
    assert AcceptedResponse.from_doc(response.as_doc()) == response
    assert response.as_doc()["_id"] == "e1"
    claim = SignalClaim("d1:VP:overdue:1", "assignment.overdue.v1", "{}", DUE - timedelta(days=1))
    assert SignalClaim.from_doc(claim.as_doc()) == claim
    assert claim.as_doc()["event"] == "{}"

"""The one assignment id: the tracker's stored ids and the API's look-ups agree."""

from shared.assignments import assignment_id


def test_assignment_id_joins_dispatch_and_unit() -> None:
    assert assignment_id("d-2024-001", "QLTM") == "d-2024-001:QLTM"


def test_assignment_ids_of_different_units_differ() -> None:
    assert assignment_id("d1", "QLTM") != assignment_id("d1", "VP")

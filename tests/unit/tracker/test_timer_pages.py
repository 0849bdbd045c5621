"""Timer pages: checks packed a hundred to a row decode to what the timers need."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from services.tracker import timer_pages
from services.tracker.records import CheckRecord

AT = datetime(2024, 2, 16, 10, tzinfo=UTC)


def _check(n: int, round_: int = 0) -> CheckRecord:
    schedule = {"overdue:1": AT + timedelta(hours=n), "overdue:2": AT + timedelta(days=1, hours=n)}
    if n % 2:
        schedule["unacknowledged"] = AT - timedelta(days=3)
    return CheckRecord(id=f"d{n}:VP", dispatch_id=f"d{n}", schedule=schedule, round=round_)


def test_a_page_decodes_to_each_check_with_its_round_hash_and_instants() -> None:
    checks = [_check(n, round_=n % 3) for n in range(150)]
    decoded = list(timer_pages.decode(timer_pages.encode(checks)))
    assert [(c.id, c.round, c.key_hash) for c in decoded] == [
        (c.id, c.round, c.key_hash) for c in checks]
    assert decoded[1].at == {s: t.timestamp() for s, t in checks[1].schedule.items()}
    assert "unacknowledged" not in decoded[0].at


def test_the_page_id_depends_on_the_batch_not_on_its_order() -> None:
    assert timer_pages.page_id(["e1", "e2"]) == timer_pages.page_id(["e2", "e1"])
    assert timer_pages.page_id(["e1", "e2"]) != timer_pages.page_id(["e1", "e2", "e3"])


def test_the_timer_is_the_first_signal_of_the_round_without_a_receipt() -> None:
    first, reopened = _check(1), _check(1, round_=2)
    receipted = timer_pages.receipted_by_round(
        ["d1:VP:unacknowledged", "d1:VP:overdue:1", "d1:VP:r2:unacknowledged", "junk"])
    assert receipted == {"d1:VP": {"unacknowledged", "overdue:1"}, "d1:VP:r2": {"unacknowledged"}}
    [(_, _, _, row)] = timer_pages.rows(timer_pages.encode([first]))
    assert timer_pages.first_pending(row, receipted["d1:VP"]) == first.schedule["overdue:2"].timestamp()
    assert timer_pages.first_pending(row) == first.schedule["unacknowledged"].timestamp()
    [(_, round_, _, row)] = timer_pages.rows(timer_pages.encode([reopened]))
    assert round_ == 2 and timer_pages.first_pending(row, receipted["d1:VP:r2"]) == AT.timestamp() + 3600
    assert timer_pages.first_pending(row, set(timer_pages.SIGNALS)) is None


def test_the_marker_page_holds_no_check() -> None:
    assert list(timer_pages.decode({"_id": timer_pages.COMPLETE_ID, "n": 0})) == []


def test_a_pages_first_column_is_each_checks_earliest_instant_with_or_without_it_stored() -> None:
    checks = [_check(n, round_=n % 2) for n in range(7)]
    stored = timer_pages.encode(checks)
    older = {k: v for k, v in stored.items() if k != "first"}  # a page written before the column
    for page in (stored, older):
        cols = timer_pages.columns(page)
        assert cols.ids == [c.id for c in checks] and list(cols.rounds) == [c.round for c in checks]
        assert cols.first == [min(c.schedule.values()).timestamp() for c in checks]
    empty = timer_pages.encode_paged([timer_pages.PagedCheck("x:VP", 0, 1, {})])
    assert math.isnan(timer_pages.columns(empty).first[0])  # a round without any signal

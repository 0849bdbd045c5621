"""The organisation file: lookups by code, name or alias, the leadership chain, the calendar."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from bench.routing import measure_ms_per_decision
from shared.organisation import Organisation, load_organisation
from tests.unit.router.conftest import CONFIG


def test_the_sample_is_marked_as_sample_data_with_the_seven_units(org: Organisation) -> None:
    assert org.sample and "mẫu" in org.name
    assert org.all_unit_codes() == ("VP", "TTRA", "KHTC", "QLCN", "QLTM", "QLNL", "KTATMT")
    assert org.office.code == "VP" and org.leadership.director.title == "Giám đốc"
    assert 2 <= len(org.leadership.deputies) <= 3
    emails = [u.contacts.email for u in org.units] + [d.email for d in org.leadership.deputies]
    assert all(e.endswith("example.gov.vn") for e in emails)
    assert "SAMPLE DATA" in (CONFIG / "organisation.sample.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["Văn phòng Sở", "VP", "văn phòng", "  VAN   PHONG  so ", "Văn phòng"])
def test_resolve_unit_ignores_case_diacritics_and_spacing(org: Organisation, name: str) -> None:
    unit = org.resolve_unit(name)
    assert unit is not None and unit.code == "VP"


def test_resolve_unit_knows_every_official_name_and_nothing_else(org: Organisation) -> None:
    for unit in org.units:
        assert org.resolve_unit(unit.name) == unit
        assert org.unit_by_code(unit.code) == unit
    assert org.resolve_unit("Phòng Kỹ thuật An toàn - Môi trường") == org.unit_by_code("KTATMT")
    assert org.resolve_unit("Sở Công Thương") is None
    assert org.unit_by_code("vp") is None  # codes are exact


def test_deputy_for_follows_the_leadership_chain(org: Organisation) -> None:
    for unit in org.units:
        deputy = org.deputy_for(unit.code)
        assert deputy is not None and unit.code in deputy.units
    assert org.deputy_for("XX") is None


def test_handling_times_and_office_hours_come_from_the_file(org: Organisation) -> None:
    assert org.handling_days("Công văn") == 7 and org.handling_days("cong van") == 7
    assert org.handling_days("Giấy mời") is None  # before the meeting
    assert org.handling.acknowledgement_days == 1 and org.handling.meeting_lead_days == 1
    assert org.closing_time == time(17, 0)


def test_the_calendar_adds_days_off_and_make_up_days_from_the_file(tmp_path: Path) -> None:
    text = (CONFIG / "organisation.sample.yaml").read_text(encoding="utf-8").replace(
        "  2025: {extra_days_off: [], makeup_working_days: []}",
        "  2025: {extra_days_off: [2025-03-10], makeup_working_days: [2025-03-15]}")
    path = tmp_path / "org.yaml"
    path.write_text(text, encoding="utf-8")
    calendar = load_organisation(path).work_calendar()
    assert not calendar.is_working_day(date(2025, 3, 10))  # a Monday made a day off
    assert calendar.is_working_day(date(2025, 3, 15))  # a Saturday made a làm bù day


def test_the_benchmark_runs(org: Organisation) -> None:
    assert measure_ms_per_decision(n_rules=5, repeat=5) > 0

"""The sample organisation and routing rules shipped in config/, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.router.rules import RuleSet, load_rules
from shared.organisation import Organisation, load_organisation
from shared.workdays import WorkCalendar

CONFIG = Path(__file__).resolve().parents[3] / "config"


@pytest.fixture(scope="session")
def org() -> Organisation:
    return load_organisation(CONFIG / "organisation.sample.yaml")


@pytest.fixture(scope="session")
def rules(org: Organisation) -> RuleSet:
    return load_rules(CONFIG / "routing-rules.yaml", org)


@pytest.fixture(scope="session")
def calendar(org: Organisation) -> WorkCalendar:
    return org.work_calendar()

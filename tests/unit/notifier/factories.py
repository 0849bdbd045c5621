"""Signals and organisations for the notifier tests (shared with tests/integration/notifier)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from services.notifier.directory import YamlDirectory
from services.notifier.escalation import Signal
from shared.config_yaml import YamlDocument
from shared.events import (
    AssignmentDeadlineApproaching,
    AssignmentNotAcknowledged,
    AssignmentOverdue,
    ReassignmentHop,
    ResponsibilityDisputed,
)
from shared.organisation import organisation_from

SAMPLE_ORG = Path(__file__).resolve().parents[3] / "config" / "organisation.sample.yaml"
DUE = datetime(2024, 2, 16, 10, 0, tzinfo=UTC)  # 17:00 Friday 16/02/2024, Vietnam time
SUBJECT = "V/v báo cáo tình hình xuất khẩu quý I"


def sample_org(webhook_base: str | None = None) -> dict[str, Any]:
    """The sample organisation, with every webhook pointed at ``webhook_base`` when given."""
    org: dict[str, Any] = yaml.safe_load(SAMPLE_ORG.read_text(encoding="utf-8"))
    if webhook_base:
        for unit in org["units"]:
            if unit.get("contacts", {}).get("webhook_url"):
                unit["contacts"]["webhook_url"] = f"{webhook_base}/hooks/{unit['code']}"
    return org


def sample_directory(webhook_base: str | None = None) -> YamlDirectory:
    """A directory over the sample organisation, read by the one reader (shared.organisation)."""
    if webhook_base is None:
        return YamlDirectory.from_file(SAMPLE_ORG)
    text = yaml.safe_dump(sample_org(webhook_base), allow_unicode=True, sort_keys=False)
    return YamlDirectory(organisation_from(YamlDocument(text, str(SAMPLE_ORG))))


def signal(kind: str, unit: str = "QLTM", level: int = 1, late: timedelta = timedelta(days=2, hours=3),
           dispatch_id: str = "cv-0001", **extra: Any) -> Signal:
    """A tracker signal about ``unit`` on document 123/UBND-KT, detected ``late`` after the deadline."""
    common: dict[str, Any] = dict(correlation_id=dispatch_id, dispatch_id=dispatch_id, unit_code=unit,
                                  subject=SUBJECT, number="123", notation="UBND-KT", due_at=DUE,
                                  ack_due_at=DUE - timedelta(days=5), detected_at=DUE + late) | extra
    if kind == "overdue":
        return AssignmentOverdue(level=level, **common)
    if kind == "approaching":
        return AssignmentDeadlineApproaching(**(common | {"detected_at": DUE - late}))
    if kind == "unacknowledged":
        return AssignmentNotAcknowledged(**common)
    raise ValueError(kind)


def disputed(units: tuple[str, ...] = ("QLCN", "QLTM", "QLNL")) -> ResponsibilityDisputed:
    """A dispute after the document bounced between ``units``."""
    hops = [ReassignmentHop(from_unit=a, to_unit=b, action="decline", reason="không thuộc chức năng",
                            at=DUE + timedelta(hours=i))
            for i, (a, b) in enumerate(zip((None, *units), units, strict=False))]
    return ResponsibilityDisputed(correlation_id="cv-0002", dispatch_id="cv-0002", subject=SUBJECT,
                                  units=list(units), chain=hops, reason="Chuyển quá 2 lần")

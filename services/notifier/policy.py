"""The escalation policy (chính sách nhắc việc), read from ``config/escalation.yaml`` and validated.

Each rule maps a tracker signal (and, for overdue, its level 1..3) to the roles of the organisation
chart that receive it (``to``) or a copy (``cc``). Every signal and level must have exactly one rule,
so that no signal is ever silently dropped.

A coordinating unit (phối hợp) owes its part to the lead unit (chủ trì): the ``coordinating`` rules,
when they name a signal and level, replace the general rule for its signals. Only they may name the
role ``lead_unit`` (the lead unit(s) the signal names), and along their overdue levels each role is
named once, so that every level of the chain hears of a late contribution once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.signal_kinds import ALL_KINDS_AND_LEVELS, SignalKind

RecipientRole = Literal["unit", "unit_head", "office", "deputy", "director", "lead_unit"]

ALL_SIGNALS = ALL_KINDS_AND_LEVELS
DEFAULT_POLICY_PATH = Path(__file__).resolve().parents[2] / "config" / "escalation.yaml"


class EscalationRule(BaseModel):
    """Who hears about one kind of signal (at one level)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    signal: SignalKind
    level: int | None = Field(default=None, ge=1, le=3, description="Overdue only: mức 1, 2 or 3.")
    to: tuple[RecipientRole, ...] = Field(min_length=1)
    cc: tuple[RecipientRole, ...] = ()
    reminder_letter: bool = Field(
        default=False, description="Attach a draft công văn đôn đốc (.docx) ready to sign."
    )

    @model_validator(mode="after")
    def _level_only_for_overdue(self) -> EscalationRule:
        if (self.signal == "overdue") != (self.level is not None):
            raise ValueError("'level' is required for overdue rules and only for them")
        return self


class LetterSettings(BaseModel):
    """Fixed parts of the draft reminder letter (Nghị định 30/2020/NĐ-CP layout)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    parent_issuer: str = Field(default="UBND TỈNH MẪU", description="Cơ quan chủ quản.")
    issuer: str = Field(default="SỞ CÔNG THƯƠNG", description="Cơ quan ban hành.")
    notation: str = Field(default="SCT-VP", description="Ký hiệu: 'Số: …/SCT-VP'.")
    place: str = Field(default="Mẫu", description="Địa danh, e.g. 'Đà Nẵng'.")


class DigestSettings(BaseModel):
    """The daily leadership digest (báo cáo tổng hợp hằng ngày)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    send_time: str = Field(default="07:30", pattern=r"^\d{2}:\d{2}$", description="Local HH:MM.")
    to: tuple[Literal["director", "deputies", "office"], ...] = ("director", "deputies")
    on_time_window_days: int = Field(default=30, ge=1)


class EscalationPolicy(BaseModel):
    """The whole policy: rules, folding window, letter and digest settings."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1] = 1
    rules: tuple[EscalationRule, ...]
    fold_window_minutes: float = Field(
        default=30, ge=0, description="At most one message per recipient and channel in this window."
    )
    letter: LetterSettings = LetterSettings()
    digest: DigestSettings = DigestSettings()
    coordinating: tuple[EscalationRule, ...] = Field(
        default=(), description="Rules for a coordinating unit's signals (phối hợp); a signal and "
        "level without one here follows ``rules``.")

    @model_validator(mode="after")
    def _one_rule_per_signal(self) -> EscalationPolicy:
        seen = [(r.signal, r.level) for r in self.rules]
        duplicates = {s for s in seen if seen.count(s) > 1}
        missing = [(str(kind), level) for kind, level in ALL_SIGNALS if (kind, level) not in seen]
        if duplicates:
            raise ValueError(f"more than one rule for {sorted(duplicates, key=str)}")
        if missing:
            raise ValueError(f"no rule for {missing}")
        if any("lead_unit" in (*r.to, *r.cc) for r in self.rules):
            raise ValueError("role 'lead_unit' is only for the coordinating rules")
        _check_coordinating(self.coordinating)
        return self

    def rule_for(self, signal: SignalKind, level: int | None = None,
                 coordinating: bool = False) -> EscalationRule:
        """The rule for ``signal`` (and ``level`` for overdue); for a coordinating unit's signal,
        its coordinating rule when there is one."""
        found = (r for r in (*(self.coordinating if coordinating else ()), *self.rules)
                 if r.signal == signal and r.level == level)
        return next(found)


def _check_coordinating(rules: tuple[EscalationRule, ...]) -> None:
    seen = [(r.signal, r.level) for r in rules]
    duplicates = {s for s in seen if seen.count(s) > 1}
    if duplicates:
        raise ValueError(f"more than one coordinating rule for {sorted(duplicates, key=str)}")
    if any(r.signal == "disputed" for r in rules):
        raise ValueError("a dispute concerns no coordinating unit: no coordinating rule for it")
    ladder = [role for r in sorted((r for r in rules if r.signal == "overdue"),
                                   key=lambda r: r.level or 0) for role in (*r.to, *r.cc)]
    again = sorted({role for role in ladder if ladder.count(role) > 1})
    if again:
        raise ValueError(f"coordinating overdue levels name {again} more than once: "
                         "each level of the chain hears once")


def load_policy(path: str | Path = DEFAULT_POLICY_PATH) -> EscalationPolicy:
    """Read and validate the policy YAML (raises ``pydantic.ValidationError`` on a bad file)."""
    return EscalationPolicy.model_validate(yaml.safe_load(Path(path).read_text(encoding="utf-8")))

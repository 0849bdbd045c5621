"""The organisation as data: units (phòng, đơn vị), leadership, handling times and calendar.

Loaded from a versioned YAML file (``config/organisation.sample.yaml`` shows every field) and checked
at startup; a bad file raises :class:`~shared.config_yaml.ConfigError` naming the line.
The leadership chain is Văn phòng (the Office, which triages) → Phó Giám đốc phụ trách (the deputy
director in charge of a unit) → Giám đốc (the director).
"""

from __future__ import annotations

import re
from datetime import date, time
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.config_yaml import Loc, YamlDocument, read_yaml
from shared.text_match import key, normalise
from shared.urgency_policy import UrgencyPolicy
from shared.workdays import WorkCalendar

CODE = r"^[A-Z][A-Z0-9_]*$"
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
BEFORE_MEETING = "before_meeting"
ZALO_USER_ID = r"^[0-9]{1,32}$"
ZALO_ID_HELP = ("The person's or unit's user id as the department's Zalo Official Account sees it "
                "(digits; from the OA's follower list or webhook): where channel 'zalo' sends.")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(_Model):
    """A named official: name, title (chức vụ), e-mail, and optionally a Zalo user id; reached by
    the channels listed (e-mail unless ``channels`` says otherwise)."""

    name: str = Field(min_length=1)
    title: str = Field(min_length=1)
    email: str = Field(pattern=EMAIL)
    zalo_user_id: str | None = Field(default=None, pattern=ZALO_USER_ID, description=ZALO_ID_HELP)
    channels: list[Literal["email", "zalo"]] = Field(default=["email"], min_length=1)

    @model_validator(mode="after")
    def _zalo_needs_id(self) -> Person:
        if "zalo" in self.channels and not self.zalo_user_id:
            raise ValueError("channel 'zalo' needs a zalo_user_id")
        return self


class Contacts(_Model):
    """Where a unit is notified: e-mail, an optional webhook and Zalo user id, and the channels it
    prefers, in order."""

    email: str = Field(pattern=EMAIL)
    webhook_url: str | None = Field(default=None, pattern=r"^https?://")
    zalo_user_id: str | None = Field(default=None, pattern=ZALO_USER_ID, description=ZALO_ID_HELP)
    channels: list[Literal["email", "webhook", "zalo"]] = Field(default=["email"], min_length=1)

    @model_validator(mode="after")
    def _webhook_needs_url(self) -> Contacts:
        if "webhook" in self.channels and not self.webhook_url:
            raise ValueError("channel 'webhook' needs a webhook_url")
        if "zalo" in self.channels and not self.zalo_user_id:
            raise ValueError("channel 'zalo' needs a zalo_user_id")
        return self


class Unit(_Model):
    """A unit of the department (phòng, đơn vị thuộc Sở) that can be given a dispatch."""

    code: str = Field(pattern=CODE, description="Short code, e.g. 'VP'; the drafting-unit suffix.")
    name: str = Field(min_length=1, description="Official name, e.g. 'Văn phòng'.")
    aliases: list[str] = Field(default=[], description="Other names used in texts: 'Văn phòng Sở'.")
    head: Person
    deputy: str = Field(pattern=CODE, description="Code of the Phó Giám đốc phụ trách.")
    contacts: Contacts


class Deputy(Person):
    """A deputy director (Phó Giám đốc) and the units he or she is in charge of (phụ trách)."""

    code: str = Field(pattern=CODE)
    units: list[str] = Field(default=[])


class Director(Person):
    """The director (Giám đốc): decides what the deputies cannot settle between them."""

    code: str = Field(default="GD", pattern=CODE)


class Leadership(_Model):
    """Ban Giám đốc: the director, the deputies, and the Office unit that triages."""

    office: str = Field(default="VP", pattern=CODE, description="Unit code of Văn phòng (triage).")
    director: Director
    deputies: list[Deputy] = Field(min_length=1)


class Handling(_Model):
    """Default handling times (hạn xử lý) in working days, per document type (loại văn bản), and
    the shorter caps of urgent documents."""

    by_doc_type: dict[str, int | Literal["before_meeting"]] = Field(default={})
    fallback_days: int = Field(default=7, ge=1)
    acknowledgement_days: int = Field(default=1, ge=0)
    meeting_lead_days: int = Field(default=1, ge=0)
    coordination_lead_days: int = Field(
        default=2, ge=0, description="A coordinating unit's contribution is due to the lead unit this "
        "many working days before the lead's deadline (never before the assignment date); 0: same.")
    urgency: UrgencyPolicy = Field(
        default=UrgencyPolicy(), description="Caps on the deadlines of khẩn, thượng khẩn and hỏa "
        "tốc documents (shared.urgency_policy); each level overridable on its own.")


class CalendarYear(_Model):
    """A year's official days off and make-up working days (ngày làm bù) missing from ``holidays``."""

    extra_days_off: list[date] = Field(default=[])
    makeup_working_days: list[date] = Field(default=[])


class Organisation(_Model):
    """The whole organisation file, version 1."""

    version: Literal[1]
    name: str
    sample: bool = False
    units: list[Unit] = Field(min_length=1)
    leadership: Leadership
    handling: Handling = Handling()
    closing_time: time = Field(default=time(17, 0), description="Close of the office day.")
    max_bounces: int = Field(default=2, ge=1, description="Hops before a đùn đẩy dispute.")
    calendar: dict[int, CalendarYear] = Field(default={})

    def unit_by_code(self, code: str) -> Unit | None:
        """The unit with ``code`` (exact), or None."""
        return self._units.get(code)

    def resolve_unit(self, name_or_alias: str) -> Unit | None:
        """The unit a name, alias or code designates, ignoring case, diacritics and spacing."""
        code = self._keys.get(key(name_or_alias))
        return self._units[code] if code else None

    def deputy_for(self, unit_code: str) -> Deputy | None:
        """The Phó Giám đốc phụ trách of a unit, or None for an unknown unit."""
        unit = self.unit_by_code(unit_code)
        return next((d for d in self.leadership.deputies if unit and d.code == unit.deputy), None)

    def all_unit_codes(self) -> tuple[str, ...]:
        """Every unit code, in file order."""
        return tuple(self._units)

    @property
    def office(self) -> Unit:
        """Văn phòng: the unit whose triage queue receives what no rule routes."""
        return self._units[self.leadership.office]

    def handling_days(self, doc_type: str | None) -> int | None:
        """Working days listed for ``doc_type``; None when not listed or due before the meeting."""
        days = self._days_by_type.get(key(doc_type or ""))
        return None if days is None or days == BEFORE_MEETING else int(days)

    def work_calendar(self) -> WorkCalendar:
        """The :class:`WorkCalendar` with this file's extra days off and làm bù days."""
        return WorkCalendar(
            [d for y in self.calendar.values() for d in y.extra_days_off],
            [d for y in self.calendar.values() for d in y.makeup_working_days],
            closing_time=self.closing_time,
        )

    @cached_property
    def mention_pattern(self) -> re.Pattern[str]:
        """Regex over folded text (see ``text_match.fold``) finding unit names and aliases.

        Longest names first, so "văn phòng sở" wins over "văn phòng"; resolve a match with
        :meth:`resolve_unit`.
        """
        names = sorted(self._keys, key=lambda k: (-len(k), k))
        body = "|".join(r"\W+".join(map(re.escape, n.split())) for n in names)
        return re.compile(rf"(?<!\w)(?:{body})(?!\w)")

    @property
    def unit_keys(self) -> tuple[str, ...]:
        """Every unit code, name and alias, as comparison keys (see ``text_match.key``)."""
        return tuple(self._keys)

    @cached_property
    def _units(self) -> dict[str, Unit]:
        return {u.code: u for u in self.units}

    @cached_property
    def _keys(self) -> dict[str, str]:
        return {key(n): u.code for u in self.units for n in (u.code, u.name, *u.aliases)}

    @cached_property
    def _days_by_type(self) -> dict[str, int | str]:
        return {key(t): d for t, d in self.handling.by_doc_type.items()}


def reference_problems(org: Organisation) -> list[tuple[Loc, str]]:
    """Cross-reference checks pydantic cannot express: codes, aliases, deputies, calendar."""
    problems: list[tuple[Loc, str]] = []
    codes = [u.code for u in org.units]
    deputies = {d.code: d for d in org.leadership.deputies}
    owner: dict[str, str] = {}
    for i, unit in enumerate(org.units):
        if codes.index(unit.code) != i:
            problems.append((("units", i, "code"), f"duplicate unit code {unit.code!r}"))
        if unit.deputy not in deputies:
            problems.append((("units", i, "deputy"), f"no deputy with code {unit.deputy!r}"))
        elif unit.code not in deputies[unit.deputy].units:
            problems.append((("units", i, "deputy"),
                             f"{unit.deputy} does not list {unit.code} among its units"))
        for j, name in enumerate((unit.code, unit.name, *unit.aliases)):
            k = key(name)
            if owner.setdefault(k, unit.code) != unit.code:
                loc = ("units", i, "aliases", j - 2) if j >= 2 else ("units", i)
                problems.append((loc, f"{normalise(name)!r} already names unit {owner[k]}"))
    for i, deputy in enumerate(org.leadership.deputies):
        for j, code in enumerate(deputy.units):
            if code not in codes:
                problems.append((("leadership", "deputies", i, "units", j), f"unknown unit {code!r}"))
    if org.leadership.office not in codes:
        problems.append((("leadership", "office"), f"unknown unit {org.leadership.office!r}"))
    for year, cal in org.calendar.items():
        for field in ("extra_days_off", "makeup_working_days"):
            for j, d in enumerate(getattr(cal, field)):
                if d.year != year:
                    problems.append((("calendar", year, field, j), f"{d} is not in {year}"))
        for d in sorted(set(cal.extra_days_off) & set(cal.makeup_working_days)):
            problems.append((("calendar", year), f"{d} is both a day off and a làm bù day"))
    return problems


def load_organisation(path: str | Path) -> Organisation:
    """Read, validate and cross-check an organisation file; raise ConfigError naming the line."""
    doc = read_yaml(path)
    return organisation_from(doc)


def organisation_from(doc: YamlDocument) -> Organisation:
    """Validate an already parsed organisation document (see :func:`load_organisation`)."""
    org = doc.validate(Organisation)
    doc.check(reference_problems(org))
    return org

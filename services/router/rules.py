"""Routing rules as data (``config/routing-rules.yaml``): evaluated in file order, first match wins.

A rule's ``when`` lists conditions; every condition given must hold (an empty ``when`` matches every
document). Inside one condition, a list means "any of these". Conditions:

- ``issuer`` / ``parent_issuer``: phrases found in the cơ quan ban hành / cơ quan chủ quản;
- ``doc_type``: loại văn bản, compared without case or diacritics;
- ``keywords``: words or phrases in the trích yếu or the body, on word boundaries, with or without
  diacritics (see :mod:`shared.text_match`);
- ``notation_unit``: the drafting unit that ends the ký hiệu ("SCT-VP" → "VP", "SCT-KH-TC" →
  "KH-TC"): the notation must end with a hyphen and this code;
- ``recipients``: phrases found in an item of "Kính gửi";
- ``broadcast``: the document is sent to every unit ("Kính gửi: Các phòng, đơn vị thuộc Sở");
- ``assigned_in_text``: the text itself names a lead unit ("Giao Phòng … chủ trì").

``then`` gives the lead unit (chủ trì) — a unit code, ``from_text`` for the units the text names, or
``each_unit``: every unit of the organisation leads its own share — then the coordinating units
(phối hợp, codes or ``from_text``), an optional ``deadline_days`` (working days) and ``task``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from shared.config_yaml import Loc, read_yaml
from shared.organisation import Organisation
from shared.text_match import Key, Phrase, PhraseIndex, fold, key

FROM_TEXT = "from_text"
EACH_UNIT = "each_unit"
SPECIAL_LEADS = (FROM_TEXT, EACH_UNIT)


def _as_list(value: object) -> object:
    return [value] if isinstance(value, str) else value


Phrases = Annotated[list[str], BeforeValidator(_as_list)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class When(_Model):
    """Conditions of a rule: all given must hold; within a list, any item may match."""

    issuer: Phrases = []
    parent_issuer: Phrases = []
    doc_type: Phrases = []
    keywords: Phrases = []
    notation_unit: Phrases = []
    recipients: Phrases = []
    broadcast: bool | None = None
    assigned_in_text: bool | None = None


class Then(_Model):
    """What a matching rule assigns."""

    lead: str = Field(description="Unit code (chủ trì), 'from_text' or 'each_unit'.")
    coordinating: Phrases = Field(default=[], description="Unit codes (phối hợp), or 'from_text'.")
    deadline_days: int | None = Field(default=None, ge=1, description="Hạn xử lý, working days.")
    task: str | None = Field(default=None, description="Short description of the work, Vietnamese.")


class Rule(_Model):
    """One routing rule; ``description`` is shown to the clerk as the reason."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    description: str = Field(min_length=1)
    when: When = When()
    then: Then


@dataclass(frozen=True)
class CompiledRule:
    """A rule with its phrases prepared for matching."""

    rule: Rule
    issuer: tuple[Phrase, ...]
    parent_issuer: tuple[Phrase, ...]
    doc_type: frozenset[str]
    keywords: tuple[Phrase, ...]
    keyword_keys: frozenset[Key]
    notation_unit: tuple[str, ...]
    """Folded, upper-case suffixes to find after a hyphen at the end of the ký hiệu."""
    recipients: tuple[Phrase, ...]


class RuleSet(_Model):
    """The whole rules file, version 1."""

    version: Literal[1]
    broadcast_recipients: Phrases = Field(
        default=["Các phòng, đơn vị thuộc Sở"],
        description="'Kính gửi' items that mean every unit of the department.",
    )
    rules: list[Rule] = []

    @cached_property
    def compiled(self) -> tuple[CompiledRule, ...]:
        """The rules in order, compiled once."""
        return tuple(_compile(r) for r in self.rules)

    @cached_property
    def keyword_index(self) -> PhraseIndex:
        """Every rule keyword, indexed for one ``TextView.present`` call per decision."""
        return PhraseIndex.of(p for r in self.compiled for p in r.keywords)

    @cached_property
    def broadcast_phrases(self) -> tuple[Phrase, ...]:
        """:attr:`broadcast_recipients`, prepared for matching."""
        return tuple(Phrase.of(p) for p in self.broadcast_recipients)


def notation_key(text: str) -> str:
    """A ký hiệu or its part, folded, upper-case, without spaces: "SCT - KH-TC" -> "SCT-KH-TC"."""
    return "".join(fold(text).split()).upper()


def _compile(rule: Rule) -> CompiledRule:
    w = rule.when
    keywords = tuple(map(Phrase.of, w.keywords))
    return CompiledRule(
        rule=rule,
        issuer=tuple(map(Phrase.of, w.issuer)),
        parent_issuer=tuple(map(Phrase.of, w.parent_issuer)),
        doc_type=frozenset(map(key, w.doc_type)),
        keywords=keywords,
        keyword_keys=frozenset(k for p in keywords for k in p.keys),
        notation_unit=tuple(notation_key(u) for u in w.notation_unit),
        recipients=tuple(map(Phrase.of, w.recipients)),
    )


def reference_problems(rules: RuleSet, org: Organisation) -> list[tuple[Loc, str]]:
    """Unit codes that the organisation does not know, and duplicate rule ids."""
    problems: list[tuple[Loc, str]] = []
    seen: set[str] = set()
    for i, rule in enumerate(rules.rules):
        if rule.id in seen:
            problems.append((("rules", i, "id"), f"duplicate rule id {rule.id!r}"))
        seen.add(rule.id)
        lead = rule.then.lead
        if lead not in SPECIAL_LEADS and org.unit_by_code(lead) is None:
            problems.append((("rules", i, "then", "lead"), f"unknown unit {lead!r}"))
        for j, code in enumerate(rule.then.coordinating):
            if code != FROM_TEXT and org.unit_by_code(code) is None:
                problems.append((("rules", i, "then", "coordinating", j), f"unknown unit {code!r}"))
    return problems


def load_rules(path: str | Path, organisation: Organisation) -> RuleSet:
    """Read and validate a rules file against ``organisation``; ConfigError names the line."""
    doc = read_yaml(path)
    rules = doc.validate(RuleSet)
    doc.check(reference_problems(rules, organisation))
    return rules

"""Evaluating routing rules against one dispatch: first match wins, with the terms that matched.

:class:`DocumentFacts` prepares a :class:`~services.router.model.RoutingInput` once (tokenised
texts, the drafting unit, the broadcast form, the text's own assignments), so that each of hundreds
of rules costs a few dictionary lookups.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.router.explicit_assignments import TextAssignment, find_assignments
from services.router.model import RoutingInput
from services.router.rules import FROM_TEXT, CompiledRule, RuleSet, notation_key
from shared.organisation import Organisation
from shared.text_match import Key, TextView, key


@dataclass(frozen=True)
class DocumentFacts:
    """A dispatch prepared for rule matching."""

    text: TextView
    issuer: TextView
    parent_issuer: TextView
    doc_type: str
    notation: str
    """The ký hiệu as a :func:`~services.router.rules.notation_key`, "" when absent."""
    recipients: tuple[tuple[str, TextView], ...]
    broadcast_recipient: str | None
    """The "Kính gửi" item that sends the document to every unit, if any."""
    assignments: tuple[TextAssignment, ...]
    keywords_found: frozenset[Key]
    """Which of the rule set's keywords occur in the trích yếu or body."""

    @classmethod
    def of(cls, doc: RoutingInput, org: Organisation, rules: RuleSet) -> DocumentFacts:
        """Prepare ``doc`` for matching against ``rules``."""
        recipients = tuple((r, TextView.of(r)) for r in doc.recipients)
        broadcast = next((r for r, view in recipients if view.first_match(rules.broadcast_phrases)), None)
        full_text = f"{doc.subject}.\n{doc.body or ''}"
        text = TextView.of(doc.subject, doc.body)
        return cls(
            text=text,
            issuer=TextView.of(doc.issuer),
            parent_issuer=TextView.of(doc.parent_issuer),
            doc_type=key(doc.doc_type or ""),
            notation=notation_key(doc.notation or ""),
            recipients=recipients,
            broadcast_recipient=broadcast,
            assignments=tuple(find_assignments(full_text, org)),
            keywords_found=text.present(rules.keyword_index),
        )


def match(rule: CompiledRule, facts: DocumentFacts, doc: RoutingInput) -> list[str] | None:
    """The matched terms, in a clerk's words, when every condition of ``rule`` holds; else None."""
    if rule.keyword_keys and rule.keyword_keys.isdisjoint(facts.keywords_found):
        return None  # the most selective condition, and the cheapest: first
    terms: list[str] = []
    when = rule.rule.when
    if rule.doc_type:
        if facts.doc_type not in rule.doc_type:
            return None
        terms.append(f"loại văn bản «{doc.doc_type}»")
    if rule.notation_unit:
        unit = next((u for u in rule.notation_unit if facts.notation.endswith("-" + u)), None)
        if unit is None:
            return None
        terms.append(f"ký hiệu «{doc.notation}» (đơn vị soạn thảo {unit})")
    for label, view, phrases in (("cơ quan ban hành", facts.issuer, rule.issuer),
                                 ("cơ quan chủ quản", facts.parent_issuer, rule.parent_issuer)):
        if phrases:
            hit = view.first_match(phrases)
            if hit is None:
                return None
            terms.append(f"{label} «{hit.text}»")
    if when.broadcast is not None:
        if (facts.broadcast_recipient is not None) != when.broadcast:
            return None
        if when.broadcast:
            terms.append(f"Kính gửi «{facts.broadcast_recipient}»")
    if rule.recipients:
        hit = next((p for _, view in facts.recipients for p in rule.recipients if view.contains(p)), None)
        if hit is None:
            return None
        terms.append(f"Kính gửi «{hit.text}»")
    want_text = when.assigned_in_text
    if want_text is None and rule.rule.then.lead == FROM_TEXT:
        want_text = True  # a lead taken from the text needs a text that names one
    if want_text is not None:
        if bool(facts.assignments) != want_text:
            return None
        terms.extend(f"văn bản giao «{a.matched}»" for a in facts.assignments)
    if rule.keywords:
        terms.extend(f"từ khóa «{p.text}»" for p in rule.keywords
                     if not facts.keywords_found.isdisjoint(p.keys))
    return terms


def first_match(
    rules: RuleSet, facts: DocumentFacts, doc: RoutingInput
) -> tuple[CompiledRule, list[str]] | None:
    """The first rule, in file order, whose conditions all hold, with its matched terms."""
    for rule in rules.compiled:
        terms = match(rule, facts, doc)
        if terms is not None:
            return rule, terms
    return None

"""Who is told of a unit's request and of leadership's answer to it (pure).

A blocker (vướng mắc) or a request for a later deadline (gia hạn) goes to the Office and the deputy
in charge of the unit; the answer (a direction, a decision) goes to the unit, with its head in copy.
"""

from __future__ import annotations

from services.notifier.directory import Contact, RecipientDirectory


def asked_or_answered(directory: RecipientDirectory, unit_code: str, *, asking: bool
                      ) -> tuple[tuple[Contact, ...], tuple[Contact, ...]]:
    """(addressees, copies), each contact once (the Office may be the unit itself). Raises
    ``UnknownRecipientError`` when one cannot be found."""
    if asking:
        to, cc = [directory.office(), directory.deputy_for(unit_code)], []
    else:
        to, cc = [directory.unit(unit_code)], [directory.unit_head(unit_code)]
    picked: dict[str, tuple[Contact, bool]] = {}
    for copy, contacts in ((False, to), (True, cc)):
        for contact in contacts:
            picked.setdefault(contact.id, (contact, copy))
    return (tuple(c for c, copy in picked.values() if not copy),
            tuple(c for c, copy in picked.values() if copy))

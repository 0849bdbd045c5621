"""The batch endpoint's step: several submissions in one request, admitted together.

Every document gets its own outcome (202 new, 200 known, 413/422 refused with the field and the
reason, 503 not admitted): a document refused while building its dispatch does not take the answers
of the others, already published, with it. The batch answers 202 if all were new, else 207.

The batch is worked as a batch: its bodies are read in one worker thread, the keys of all its
dispatches are reserved in one unordered insert, the new ones are published concurrently (each
with its own acknowledgement and timeout, so each its own answer), their keys marked in bulk and
their origins recorded in one write. Documents whose keys were already known (a retry, or the same
document twice in the batch) then go through admission one by one, after the new ones are marked,
so a copy within the batch is answered 200 with the first one's id.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from services.ingest.admission import STORE_DOWN, Admission, Candidate, Outcome, Published
from services.ingest.dispatch_builder import Refused, read_body
from services.ingest.parsing import ParsedDocument
from services.ingest.payloads import BatchItemResult, DispatchIn
from services.ingest.repository import Reservation, StoreUnavailable
from shared.logging import get_logger

log = get_logger(__name__)
BuildOne = Callable[[DispatchIn, ParsedDocument | None], Candidate]
"""Build one document's dispatch from it and what the parser read (raises :class:`Refused`)."""


async def admit_batch(documents: Sequence[DispatchIn], build: BuildOne, admission: Admission,
                      max_items: int) -> tuple[int, list[BatchItemResult]]:
    """The batch's status and each document's result, in order; :class:`Refused` (422) if there
    are more than ``max_items`` documents (then none is admitted)."""
    if len(documents) > max_items:
        raise Refused(422, [{"loc": ["body", "documents"], "type": "too_long",
                             "msg": f"at most {max_items}"}])
    parsed = await asyncio.to_thread(lambda: [read_body(doc.body) for doc in documents])
    results: dict[int, BatchItemResult] = {}
    candidates: list[tuple[int, Candidate]] = []
    for index, (doc, reading) in enumerate(zip(documents, parsed, strict=True)):
        try:
            candidates.append((index, build(doc, reading)))
        except Refused as refused:  # this document only: the others have their answers
            results[index] = BatchItemResult(index=index, status=refused.status,
                                             detail=refused.detail)
    outcomes = await admit_all(admission, [c for _, c in candidates])
    for (index, _), outcome in zip(candidates, outcomes, strict=True):
        results[index] = BatchItemResult(index=index, status=outcome.status,
                                         dispatch_id=outcome.dispatch_id, detail=outcome.detail)
    ordered = [results[i] for i in range(len(documents))]
    return (202 if all(r.status == 202 for r in ordered) else 207), ordered


async def admit_all(admission: Admission, candidates: Sequence[Candidate]) -> list[Outcome]:
    """Each candidate's outcome, in order: the new ones reserved in one insert and published
    together, then the already known ones one by one."""
    if not candidates:
        return []
    try:
        owned = await admission.store.reserve_many([
            Reservation(c.keys, c.event.dispatch_id, c.event.model_dump_json(), c.request_hash)
            for c in candidates])
    except StoreUnavailable as exc:
        for c in candidates:
            log.error("key store unavailable, dispatch refused", dispatch_id=c.event.dispatch_id,
                      error=repr(exc))
        return [Outcome(503, detail=STORE_DOWN) for _ in candidates]
    outcomes: dict[int, Outcome] = {}
    for reserved in (True, False):
        chosen = [i for i, mine in enumerate(owned) if mine is reserved]
        later = Published()
        answers = await asyncio.gather(*(
            admission.admit_candidate(candidates[i], later, reserved=reserved) for i in chosen))
        await admission.finish(later)
        outcomes.update(zip(chosen, answers, strict=True))
    return [outcomes[i] for i in range(len(candidates))]

"""The batch endpoint's step: several submissions in one request, each admitted on its own.

Every document gets its own outcome (202 new, 200 known, 413/422 refused with the field and the
reason, 503 not admitted): a document refused while building its dispatch does not take the answers
of the others, already published, with it. The batch answers 202 if all were new, else 207.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from services.ingest.admission import Outcome
from services.ingest.dispatch_builder import Refused
from services.ingest.payloads import BatchItemResult, DispatchIn

SubmitOne = Callable[[DispatchIn], Awaitable[Outcome]]
"""Build one document's dispatch and admit it (raises :class:`Refused`)."""


async def admit_batch(documents: Sequence[DispatchIn], submit: SubmitOne, max_items: int
                      ) -> tuple[int, list[BatchItemResult]]:
    """The batch's status and each document's result, in order; :class:`Refused` (422) if there
    are more than ``max_items`` documents (then none is admitted)."""
    if len(documents) > max_items:
        raise Refused(422, [{"loc": ["body", "documents"], "type": "too_long",
                             "msg": f"at most {max_items}"}])
    results: list[BatchItemResult] = []
    for index, doc in enumerate(documents):
        try:
            outcome = await submit(doc)
        except Refused as refused:  # this document only: the others have their answers
            results.append(BatchItemResult(index=index, status=refused.status,
                                           detail=refused.detail))
            continue
        results.append(BatchItemResult(index=index, status=outcome.status,
                                       dispatch_id=outcome.dispatch_id, detail=outcome.detail))
    return (202 if all(r.status == 202 for r in results) else 207), results

"""Kafka topic names, in one place.

Names follow ``vanthu.<subject>.<action>.v1``. Every message is keyed by ``dispatch_id`` so that all
events of one dispatch (công văn) land on the same partition, in order.
"""

from __future__ import annotations

DISPATCH_RECEIVED = "vanthu.dispatch.received.v1"
"""Ingest accepted a dispatch (công văn đến)."""

DISPATCH_ASSIGNED = "vanthu.dispatch.assigned.v1"
"""Router decided the lead unit (chủ trì) and coordinating units (phối hợp)."""

ASSIGNMENT_APPROACHING = "vanthu.assignment.approaching.v1"
"""Tracker: an assignment's deadline (hạn xử lý) is near."""

ASSIGNMENT_OVERDUE = "vanthu.assignment.overdue.v1"
"""Tracker: an assignment is past its deadline, at escalation level 1, 2 or 3."""

ASSIGNMENT_UNACKNOWLEDGED = "vanthu.assignment.unacknowledged.v1"
"""Tracker: a unit has not acknowledged receipt in time."""

UNIT_RESPONDED = "vanthu.assignment.responded.v1"
"""A unit acknowledged, reported progress, completed, declined or transferred its assignment."""

ASSIGNMENT_OVERRIDDEN = "vanthu.assignment.overridden.v1"
"""Leadership decided who handles a dispatch."""

DISPATCH_REASSIGNED = "vanthu.dispatch.reassigned.v1"
"""Router moved an assignment to another unit."""

DISPATCH_DISPUTED = "vanthu.dispatch.disputed.v1"
"""A dispatch bounced between units too often (đùn đẩy); leadership must decide."""

ASSIGNMENT_STATUS_CHANGED = "vanthu.assignment.statuschanged.v1"
"""Tracker: an assignment moved on the edXML status ladder (for edXML status messages out)."""

NOTIFICATION_FAILED = "vanthu.notification.failed.v1"
"""Notifier: a notification could not be delivered and was dead-lettered (shown to leadership)."""

BLOCKER_REPORTED = "vanthu.blocker.reported.v1"
"""Tracker: a unit reported a blocker (vướng mắc) on its assignment; the Office and deputy are told."""

BLOCKER_DIRECTED = "vanthu.blocker.directed.v1"
"""Tracker: leadership gave its direction (ý kiến chỉ đạo) on a blocker; the unit is told."""

EXTENSION_REQUESTED = "vanthu.extension.requested.v1"
"""Tracker: a unit asked for a later deadline (xin gia hạn); leadership decides."""

EXTENSION_DECIDED = "vanthu.extension.decided.v1"
"""Tracker: leadership approved (the deadline moves) or refused a request for a later deadline."""

ASSIGNMENT_HANDED_OVER = "vanthu.assignment.handedover.v1"
"""Tracker: a unit head handed the unit's assignment to one of its people (phân công xử lý)."""

DISPATCH_WITHDRAWN = "vanthu.dispatch.withdrawn.v1"
"""Router: a later edXML package revoked, replaced or updated a dispatch's document (issue 19)."""

DISPATCH_CORRECTED = "vanthu.dispatch.corrected.v1"
"""Tracker: the Office confirmed or corrected a field the parser read; the router decides again
when a field routing depends on changed (issue 18)."""

DEAD_LETTER = "vanthu.message.deadlettered.v1"
"""Messages a service could not apply, each with the reason; nothing is silently dropped."""

ALL_TOPICS: tuple[str, ...] = (
    DISPATCH_RECEIVED, DISPATCH_ASSIGNED, UNIT_RESPONDED, ASSIGNMENT_OVERRIDDEN, DISPATCH_REASSIGNED,
    DISPATCH_DISPUTED, ASSIGNMENT_APPROACHING, ASSIGNMENT_OVERDUE, ASSIGNMENT_UNACKNOWLEDGED,
    ASSIGNMENT_STATUS_CHANGED, NOTIFICATION_FAILED, DEAD_LETTER,
    BLOCKER_REPORTED, BLOCKER_DIRECTED,
    EXTENSION_REQUESTED, EXTENSION_DECIDED,
    ASSIGNMENT_HANDED_OVER, DISPATCH_WITHDRAWN, DISPATCH_CORRECTED,
)
"""Every topic Vanthu creates at start-up."""

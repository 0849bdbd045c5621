"""A poison message (valid JSON, not a valid event) on every consumed topic: each consumer group
sends it to the dead-letter topic, and the partition moves on at once: the valid message published
after it with the same key (so on the same partition) is consumed and committed within seconds."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from pydantic import BaseModel

from shared import topics
from shared.events import (
    AssignmentDeadlineApproaching,
    AssignmentNotAcknowledged,
    AssignmentOverdue,
    AssignmentOverridden,
    DispatchAssigned,
    DispatchReassigned,
    DispatchReceived,
    NotificationFailed,
    ResponsibilityDisputed,
    UnitAssignment,
    UnitResponded,
)
from shared.events_blockers import BlockerDirected, BlockerReported
from shared.events_corrections import DispatchCorrected
from shared.events_exchange import BusinessKind
from shared.events_extensions import ExtensionDecided, ExtensionRequested
from shared.events_withdrawal import DispatchWithdrawn
from tests.faults.conftest import FaultStack
from tests.kafka_reader import read_topic

pytestmark = pytest.mark.infra
POISON = b'{"poison": true, "dispatch_id": 42}'


def valid_event(topic: str, key: str) -> BaseModel:
    """A minimal valid event for ``topic`` about dispatch ``key``."""
    now = datetime.now(UTC)
    meta: dict[str, Any] = {"dispatch_id": key, "correlation_id": key}
    share = UnitAssignment(unit_code="VP", role="lead", due_at=now + timedelta(days=7))
    signal = {**meta, "unit_code": "VP", "due_at": now, "detected_at": now}
    return {
        topics.DISPATCH_RECEIVED: lambda: DispatchReceived(**meta, source_system="faults",
                                                           subject="V/v kiểm thử thư độc"),
        topics.DISPATCH_ASSIGNED: lambda: DispatchAssigned(**meta, subject="V/v", rule_id="faults",
                                                           reason="faults", assignments=[share]),
        topics.DISPATCH_REASSIGNED: lambda: DispatchReassigned(**meta, from_unit=None, chain=[],
                                                               assignment=share, reason="faults"),
        topics.UNIT_RESPONDED: lambda: UnitResponded(**meta, unit_code="VP", action="acknowledge",
                                                     responded_by="faults"),
        topics.ASSIGNMENT_OVERRIDDEN: lambda: AssignmentOverridden(
            **meta, lead_unit="VP", decided_by="faults", reason="faults"),
        topics.DISPATCH_DISPUTED: lambda: ResponsibilityDisputed(**meta, units=["VP"], chain=[],
                                                                 reason="faults"),
        topics.ASSIGNMENT_APPROACHING: lambda: AssignmentDeadlineApproaching(**signal),
        topics.ASSIGNMENT_OVERDUE: lambda: AssignmentOverdue(**signal, level=1),
        topics.ASSIGNMENT_UNACKNOWLEDGED: lambda: AssignmentNotAcknowledged(**signal),
        topics.NOTIFICATION_FAILED: lambda: NotificationFailed(
            **meta, keys=[f"{key}/VP/overdue/1/director/email"], kind="overdue", level=1,
            recipient_id="director", channel="email", step="send", reason="faults", attempts=4),
        topics.BLOCKER_REPORTED: lambda: BlockerReported(
            **meta, blocker_id=key, unit_code="VP", note="faults", reported_by="faults"),
        topics.BLOCKER_DIRECTED: lambda: BlockerDirected(
            **meta, blocker_id=key, unit_code="VP", direction="faults", directed_by="faults",
            reported_at=now, waited_s=0, waited_words="0 phút"),
        topics.EXTENSION_REQUESTED: lambda: ExtensionRequested(
            **meta, unit_code="VP", request_id=key, current_due_at=now,
            new_due_at=now + timedelta(days=3), reason="faults", requested_by="faults"),
        topics.EXTENSION_DECIDED: lambda: ExtensionDecided(
            **meta, unit_code="VP", request_id=key, approved=False, current_due_at=now,
            new_due_at=now + timedelta(days=3), decided_by="faults"),
        topics.DISPATCH_WITHDRAWN: lambda: DispatchWithdrawn(
            **meta, document_id=f"faults,2024/02/06,{key}", business=BusinessKind.REVOKE,
            by_dispatch_id=f"{key}-revoke", units=["VP"]),
        topics.DISPATCH_CORRECTED: lambda: DispatchCorrected(
            **meta, field="subject", review="confirmed", before="V/v", after="V/v",
            corrected_by="faults"),
    }[topic]()


def consumers(stack: FaultStack) -> dict[str, list[str]]:
    """Topic → consumer groups, as the services' watchdogs report them on /ready."""
    out: dict[str, list[str]] = {}
    for service in ("router", "tracker", "notifier"):
        body = httpx.get(f"{stack.fleet.url(service)}/ready", timeout=30).json()
        for name in body["consumers"]:
            group, topic = name.split(":", 1)
            out.setdefault(topic, []).append(group)
    return out


async def publish_pairs(bootstrap: str, keys: dict[str, str]) -> dict[str, tuple[int, int, int]]:
    """Per topic: poison then valid message, same key; (partition, poison offset, valid offset)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        out = {}
        for topic, key in keys.items():
            bad = await producer.send_and_wait(topic, POISON, key=key.encode())
            good = await producer.send_and_wait(
                topic, valid_event(topic, key).model_dump_json().encode(), key=key.encode())
            assert bad.partition == good.partition
            out[topic] = (bad.partition, bad.offset, good.offset)
        return out
    finally:
        await producer.stop()


async def committed(bootstrap: str, group: str, tp: TopicPartition) -> int:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group, partitions=[tp])
        return offsets[tp].offset if tp in offsets else -1
    finally:
        await admin.close()


def test_poison_message_is_dead_lettered_and_the_partition_moves_on(process_stack: FaultStack
                                                                    ) -> None:
    stack, bootstrap = process_stack, process_stack.infra.kafka_bootstrap
    groups = consumers(stack)
    assert topics.DISPATCH_RECEIVED in groups and topics.ASSIGNMENT_OVERDUE in groups
    keys = {topic: f"poison-{uuid.uuid4()}" for topic in groups}
    stack.direct |= set(keys.values())
    sent_at = time.monotonic()
    placed = asyncio.run(publish_pairs(bootstrap, keys))
    moved_on: dict[str, float] = {}
    for topic, (partition, _, valid_offset) in placed.items():
        for group in groups[topic]:
            tp = TopicPartition(topic, partition)
            while asyncio.run(committed(bootstrap, group, tp)) <= valid_offset:
                assert time.monotonic() - sent_at < 60, f"{group} is stuck on {topic}:{partition}"
                time.sleep(0.25)
            moved_on.setdefault(f"{group}:{topic}", round(time.monotonic() - sent_at, 1))
    letters = asyncio.run(read_topic(bootstrap, topics.DEAD_LETTER))
    for topic, (partition, poison_offset, _) in placed.items():
        for group in groups[topic]:
            service = group.removeprefix("vanthu-")
            found = [d for d in letters if d["service"] == service and d["topic"] == topic
                     and d["partition"] == partition and d["offset"] == poison_offset]
            assert len(found) == 1, f"{service} did not dead-letter the poison on {topic} once"
            assert "invalid" in found[0]["reason"]
    print(f"poison: every group committed past the valid message within "
          f"{max(moved_on.values())}s of publishing ({len(moved_on)} group/topic pairs)")

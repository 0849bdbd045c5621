"""Dead letters are built and published in one place (shared.kafka), for every service."""

from __future__ import annotations

import asyncio
from typing import Any

from shared import topics
from shared.events import DeadLetter
from shared.kafka import dead_letter, publish_dead_letter


class RecordingBroker:
    """Keeps what is published, as (message, topic, key)."""

    def __init__(self) -> None:
        self.published: list[tuple[Any, str, bytes | None]] = []

    async def publish(self, message: Any, *, topic: str, key: bytes | None = None) -> None:
        self.published.append((message, topic, key))


def test_dead_letter_keeps_origin_reason_and_payload() -> None:
    letter = dead_letter("tracker", topics.UNIT_RESPONDED, "không có phân công", "d1", "{}",
                         partition=2, offset=41)
    assert letter == DeadLetter(event_id=letter.event_id, occurred_at=letter.occurred_at,
                                service="tracker", topic=topics.UNIT_RESPONDED, partition=2,
                                offset=41, key="d1", reason="không có phân công", payload="{}")


def test_published_on_the_dead_letter_topic_keyed_by_its_dispatch() -> None:
    broker = RecordingBroker()
    letter = dead_letter("router", topics.ASSIGNMENT_OVERRIDDEN, "no decision", "d7", "{}")
    asyncio.run(publish_dead_letter(broker, letter))  # type: ignore[arg-type]
    assert broker.published == [(letter, topics.DEAD_LETTER, b"d7")]


def test_a_record_keeps_its_own_key_bytes_and_a_keyless_one_stays_keyless() -> None:
    broker = RecordingBroker()
    raw = b"\xffd9"  # not UTF-8: the letter's key is the decoded text, the message keeps the bytes
    keyed = dead_letter("ingest", "t", "bad", raw.decode(errors="replace"), "x")
    keyless = dead_letter("ingest", "t", "bad", None, "x")
    asyncio.run(publish_dead_letter(broker, keyed, raw))  # type: ignore[arg-type]
    asyncio.run(publish_dead_letter(broker, keyless))  # type: ignore[arg-type]
    assert [key for _, _, key in broker.published] == [raw, None]

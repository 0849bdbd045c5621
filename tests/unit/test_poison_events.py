"""The poison fault test can build a valid event for every topic the consumers it checks read.

``tests/faults/test_poison.py`` sends a valid event to each topic a router, tracker or notifier
consumer reports on ``/ready``; a new consumed topic without one there fails only in the slow fault
run (twice so far). The AsyncAPI document lists every consumer, so this is checked here, at once.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.faults.test_poison import valid_event

ASYNCAPI = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.json"


def test_every_topic_the_checked_services_consume_has_a_valid_poison_test_event() -> None:
    document = json.loads(ASYNCAPI.read_text())
    consumed = {op["channel"]["$ref"].rsplit(":", 1)[1]
                for name, op in document["operations"].items()
                if op["action"] == "receive" and name.split(":", 1)[0] in
                ("router", "tracker", "notifier")}
    assert consumed, "the AsyncAPI document lists no consumer"
    missing = []
    for topic in sorted(consumed):
        try:
            event = valid_event(topic, "poison-check")
        except KeyError:
            missing.append(topic)
            continue
        assert getattr(event, "dispatch_id", None) == "poison-check"
    assert not missing, f"tests/faults/test_poison.py has no valid event for {missing}"

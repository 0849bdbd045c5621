"""docs/asyncapi.json is generated from the code; this fails when the two have drifted apart."""

from __future__ import annotations

import json

from shared import topics
from tools.asyncapi import DOCUMENT, generate, render


def test_checked_in_asyncapi_document_matches_the_code() -> None:
    assert DOCUMENT.read_text() == render(), "stale: run `.venv/bin/vanthu asyncapi` and commit"


def test_every_topic_and_event_schema_is_documented() -> None:
    document = generate()
    addresses = {channel["address"] for channel in document["channels"].values()}
    assert set(topics.ALL_TOPICS) <= addresses
    schemas = set(document["components"]["schemas"])
    assert {"DispatchReceived", "DispatchAssigned", "UnitResponded", "AssignmentOverdue",
            "ResponsibilityDisputed", "DeadLetter"} <= schemas
    assert json.loads(render()) == document

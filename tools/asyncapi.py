"""The AsyncAPI document of every event Vanthu exchanges, generated from the services' code.

``vanthu asyncapi`` writes ``docs/asyncapi.json``; a test regenerates it and fails when the checked-in
document has drifted from the code. Equivalent to ``faststream docs gen`` over the four brokers.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

from faststream.specification import AsyncAPI

from services.ingest.settings import IngestSettings
from services.notifier.settings import NotifierSettings
from services.router.settings import RouterSettings
from services.tracker.settings import TrackerSettings

DOCUMENT = Path(__file__).resolve().parents[1] / "docs" / "asyncapi.json"
_SERVICES = (("ingest", IngestSettings), ("router", RouterSettings),
             ("tracker", TrackerSettings), ("notifier", NotifierSettings))


def generate() -> dict[str, Any]:
    """Build every service (without starting it) and describe its subscribers and publishers."""
    brokers = []
    for name, settings_cls in _SERVICES:
        main = importlib.import_module(f"services.{name}.main")
        settings = settings_cls(kafka_bootstrap_servers="kafka:9092", _env_file=None)
        brokers.append(main.build_app(settings).state.broker)
    spec = AsyncAPI(*brokers, title="Vanthu events", version="1.0",
                    description="Công văn routing, tracking and escalation: every Kafka message.")
    document: dict[str, Any] = json.loads(spec.to_specification().to_json())
    return document


def render() -> str:
    """The document as stable, sorted JSON text."""
    return json.dumps(generate(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"

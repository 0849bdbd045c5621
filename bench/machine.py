"""What every benchmark figure is measured on: cores and component versions."""

from __future__ import annotations

import os
import platform
from importlib.metadata import version
from typing import Any

from tools.infra.ferretdb import FERRETDB_VERSION
from tools.infra.kafka import KAFKA_VERSION


def machine_info() -> dict[str, Any]:
    """Cores, Python and the versions of Kafka, FerretDB and the Python packages that matter."""
    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "kafka": KAFKA_VERSION,
        "ferretdb": FERRETDB_VERSION,
        "packages": {p: version(p) for p in ("faststream", "aiokafka", "pymongo", "pydantic",
                                             "fastapi", "uvicorn")},
    }

"""Shared paths and loaders for the parser tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REPO_ROOT = Path(__file__).resolve().parents[3]
CORPUS = (REPO_ROOT / ".." / "shared" / "corpus").resolve()


def read_fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def read_labels(path: Path) -> dict[str, dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return {row["file"]: row for row in rows}


SEED_LABELS = read_labels(FIXTURES / "seed_labels.jsonl")

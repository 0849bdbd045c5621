"""Pieces of the local infrastructure that need no server."""

from __future__ import annotations

import base64
from pathlib import Path

from tools.infra.kafka import new_cluster_id, server_properties


def test_cluster_ids_are_16_bytes_and_never_look_like_an_option() -> None:
    ids = {new_cluster_id() for _ in range(2000)}
    assert len(ids) == 2000
    assert not any(i.startswith("-") for i in ids)
    assert all(len(base64.urlsafe_b64decode(i + "==")) == 16 for i in ids)


def test_kraft_configuration_listens_on_loopback_only() -> None:
    text = server_properties(Path("/data"), 19092, 19093)
    assert "process.roles=broker,controller" in text
    assert "controller.quorum.voters=1@127.0.0.1:19093" in text
    assert "listeners=PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093" in text
    assert "auto.create.topics.enable=false" in text

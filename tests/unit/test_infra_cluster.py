"""The local Kafka cluster's configuration (no server): three voters on loopback, one cluster."""

from __future__ import annotations

from pathlib import Path

from tools.infra.kafka import cluster_nodes, server_properties
from tools.infra.stack import InfraPorts, LocalInfra


def test_one_node_stays_the_default_with_replication_one() -> None:
    infra = LocalInfra(Path("/data"), InfraPorts(19092, 19093, 27017))
    assert list(infra.kafka_nodes) == ["kafka"] and infra.client_env() == {}
    assert infra.kafka_bootstrap == "127.0.0.1:19092"
    assert "offsets.topic.replication.factor=1" in server_properties(Path("/d"), 1, 2)


def test_three_nodes_are_three_voters_of_one_quorum() -> None:
    nodes = cluster_nodes(Path("/data"), [(9092, 9093), (9094, 9095), (9096, 9097)])
    voters = "1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097"
    assert [n.node_id for n in nodes] == [1, 2, 3]
    assert {n.data_dir for n in nodes} == {Path(f"/data/node{i}") for i in (1, 2, 3)}
    for node in nodes:
        text = server_properties(node.data_dir, node.port, node.controller_port,
                                 node_id=node.node_id, voters=node.voters, replicas=node.replicas)
        assert f"controller.quorum.voters={voters}" in text
        assert f"node.id={node.node_id}" in text
        assert f"listeners=PLAINTEXT://127.0.0.1:{node.port}," in text
        assert "offsets.topic.replication.factor=3" in text
        assert "transaction.state.log.min.isr=2" in text
        assert node.heap == "384m"


def test_cluster_ports_and_the_settings_the_services_get() -> None:
    ports = InfraPorts.fixed(3, kafka=9092, kafka_controller=9093)
    assert ports.kafka_nodes == [(9092, 9093), (9094, 9095), (9096, 9097)]
    infra = LocalInfra(Path("/data"), ports)
    assert list(infra.kafka_nodes) == ["kafka1", "kafka2", "kafka3"]
    assert infra.kafka_bootstrap == "127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096"
    assert infra.client_env() == {"KAFKA_REPLICATION_FACTOR": "3", "KAFKA_MIN_INSYNC_REPLICAS": "2"}
    free = InfraPorts.free(3)
    assert len({p for pair in free.kafka_nodes for p in pair}) == 6

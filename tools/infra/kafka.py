"""Apache Kafka 3.9 in KRaft mode (combined broker and controller), run from Maven Central's jars.

Provisioning: ``mvn dependency:copy-dependencies`` on ``tools/infra/build/kafka/pom.xml`` into the
cache. Start-up:
``kafka.tools.StorageTool format`` once per data directory, then ``kafka.Kafka``; ready when the log
says "Kafka Server started".
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tools.infra.paths import INFRA_SOURCES, cache_dir
from tools.infra.process import InfraError, ManagedProcess, run_checked

if TYPE_CHECKING:
    from tools.infra.kafka_security import ListenerSecurity

KAFKA_VERSION = "3.9.1"
POM = INFRA_SOURCES / "kafka" / "pom.xml"
LOG4J = INFRA_SOURCES / "kafka" / "log4j.properties"


def kafka_lib_dir() -> Path:
    """Return the directory holding the Kafka jars, downloading them on first use."""
    stamp_value = hashlib.sha256(POM.read_bytes()).hexdigest()[:16]
    lib = cache_dir() / f"kafka-{KAFKA_VERSION}" / "lib"
    stamp = lib / ".complete"
    if stamp.exists() and stamp.read_text() == stamp_value:
        return lib
    if shutil.which("mvn") is None or shutil.which("java") is None:
        raise InfraError("Kafka needs Java 17 and Maven on PATH (apt-get install maven)")
    if lib.exists():
        shutil.rmtree(lib)
    run_checked(
        ["mvn", "-B", "-q", f"-Dmaven.repo.local={cache_dir() / 'm2'}", "-f", str(POM),
         "dependency:copy-dependencies", "-DincludeScope=runtime", f"-DoutputDirectory={lib}"],
        what="downloading the Kafka jars with Maven",
    )
    stamp.write_text(stamp_value)
    return lib


def server_properties(data_dir: Path, port: int, controller_port: int, *, node_id: int = 1,
                      voters: str | None = None, replicas: int = 1,
                      listener: ListenerSecurity | None = None) -> str:
    """Return a KRaft configuration (combined broker and controller) listening on 127.0.0.1 only.

    One node by default; in a cluster every node names the same ``voters``
    (``id@127.0.0.1:controller_port,...``) and ``replicas`` sets the replication of Kafka's own
    topics (consumer offsets on every node). ``listener``: the clients' listener speaks SASL_SSL
    with SCRAM-SHA-512 and ACLs apply (brokers talk to each other on it as the super user); the
    controllers' listener asks for the broker certificate (mutual TLS).
    """
    client, controller = ("SASL_SSL", "SSL") if listener else ("PLAINTEXT", "PLAINTEXT")
    lines = [
        "process.roles=broker,controller",
        f"node.id={node_id}",
        f"controller.quorum.voters={voters or f'{node_id}@127.0.0.1:{controller_port}'}",
        f"listeners={client}://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}",
        f"advertised.listeners={client}://127.0.0.1:{port}",
        "controller.listener.names=CONTROLLER",
        f"inter.broker.listener.name={client}",
        f"listener.security.protocol.map={client}:{client},CONTROLLER:{controller}",
        f"log.dirs={data_dir / 'log'}",
        "num.partitions=6",
        f"offsets.topic.replication.factor={replicas}",
        "offsets.topic.num.partitions=6",
        f"transaction.state.log.replication.factor={replicas}",
        f"transaction.state.log.min.isr={min(2, replicas)}",
        "group.initial.rebalance.delay.ms=0",
        "auto.create.topics.enable=false",
    ]
    if replicas > 1:  # a killed node is fenced (its replicas leave the ISR) within 6 s
        lines += ["broker.session.timeout.ms=6000", "broker.heartbeat.interval.ms=1500"]
    if listener is not None:
        lines += listener.properties()
    return "\n".join([*lines, ""])


def new_cluster_id() -> str:
    """A random Kafka cluster id (base64url of a UUID), never starting with '-': the storage tool
    would read such an id as an option (Kafka's own generator avoids it the same way)."""
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
        if not cluster_id.startswith("-"):
            return cluster_id


@dataclass(frozen=True)
class KafkaNode:
    """Where one local Kafka node keeps its data and listens; in a cluster, its id and the voters."""

    data_dir: Path
    port: int
    controller_port: int
    node_id: int = 1
    voters: str | None = None
    replicas: int = 1
    listener: ListenerSecurity | None = None
    heap: str = "512m"

    @property
    def bootstrap(self) -> str:
        """The bootstrap servers string for clients."""
        return f"127.0.0.1:{self.port}"

    def _java(self, lib: Path) -> list[str]:
        java_home = os.environ.get("JAVA_HOME")
        java = str(Path(java_home) / "bin" / "java") if java_home else "java"
        return [java, f"-Dlog4j.configuration=file:{LOG4J}", "-cp", f"{lib}/*"]

    def format(self, cluster_id: str | None = None) -> None:
        """Write the configuration and, if the data directory is new, format it (with the SCRAM
        users of a secure listener) for ``cluster_id`` (a fresh one by default)."""
        lib = kafka_lib_dir()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.config.write_text(server_properties(
            self.data_dir, self.port, self.controller_port, node_id=self.node_id,
            voters=self.voters, replicas=self.replicas, listener=self.listener))
        if not (self.data_dir / "log" / "meta.properties").exists():
            scram = self.listener.format_arguments() if self.listener else []
            run_checked(
                [*self._java(lib), "kafka.tools.StorageTool", "format", "-c", str(self.config),
                 "-t", cluster_id or new_cluster_id(), "--ignore-formatted", *scram],
                what="formatting Kafka storage",
            )

    @property
    def config(self) -> Path:
        """This node's ``server.properties``."""
        return self.data_dir / "server.properties"

    def spawn(self) -> ManagedProcess:
        """Start the (formatted) node without waiting for it."""
        lib = kafka_lib_dir()
        log_path = self.data_dir / "kafka.log"
        log_path.write_text("")  # the readiness check reads this run's lines only
        java = self._java(lib)
        return ManagedProcess.spawn(
            "kafka", [java[0], "-Xms128m", f"-Xmx{self.heap}", "-XX:+UseG1GC", *java[1:],
                      "kafka.Kafka", str(self.config)],
            log_path=log_path)

    @staticmethod
    def wait_started(proc: ManagedProcess, timeout: float = 90.0) -> ManagedProcess:
        """Wait for the log line "Kafka Server started"."""
        proc.wait_until(lambda: proc.log_contains("Kafka Server started"), timeout,
                        "'Kafka Server started'")
        return proc

    def start(self, timeout: float = 90.0, cluster_id: str | None = None) -> ManagedProcess:
        """Format storage if new, start the node and wait for "Kafka Server started" (a node of a
        cluster gets there only once a majority of the voters runs)."""
        self.format(cluster_id)
        return self.wait_started(self.spawn(), timeout)


def cluster_nodes(base: Path, ports: Sequence[tuple[int, int]], *,
                  listener: ListenerSecurity | None = None) -> list[KafkaNode]:
    """The nodes of a local KRaft cluster on loopback, one per (port, controller port): one node
    (``base``, replication 1), or several (``base/node<i>``), every one a voter, Kafka's own
    topics replicated on all of them, each with a smaller heap (three JVMs share a laptop)."""
    if len(ports) == 1:
        return [KafkaNode(base, *ports[0], listener=listener)]
    voters = ",".join(f"{i}@127.0.0.1:{controller}"
                      for i, (_, controller) in enumerate(ports, start=1))
    return [KafkaNode(base / f"node{i}", port, controller, node_id=i, voters=voters,
                      replicas=len(ports), listener=listener, heap="384m")
            for i, (port, controller) in enumerate(ports, start=1)]

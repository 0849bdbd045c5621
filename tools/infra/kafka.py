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
from dataclasses import dataclass
from pathlib import Path

from tools.infra.paths import INFRA_SOURCES, cache_dir
from tools.infra.process import InfraError, ManagedProcess, run_checked

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


def server_properties(data_dir: Path, port: int, controller_port: int) -> str:
    """Return a single-node KRaft configuration listening on 127.0.0.1 only."""
    return "\n".join([
        "process.roles=broker,controller",
        "node.id=1",
        f"controller.quorum.voters=1@127.0.0.1:{controller_port}",
        f"listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller_port}",
        f"advertised.listeners=PLAINTEXT://127.0.0.1:{port}",
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        f"log.dirs={data_dir / 'log'}",
        "num.partitions=6",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=6",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "auto.create.topics.enable=false",
        "",
    ])


def new_cluster_id() -> str:
    """A random Kafka cluster id (base64url of a UUID), never starting with '-': the storage tool
    would read such an id as an option (Kafka's own generator avoids it the same way)."""
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
        if not cluster_id.startswith("-"):
            return cluster_id


@dataclass(frozen=True)
class KafkaNode:
    """Where one local Kafka node keeps its data and listens."""

    data_dir: Path
    port: int
    controller_port: int

    @property
    def bootstrap(self) -> str:
        """The bootstrap servers string for clients."""
        return f"127.0.0.1:{self.port}"

    def _java(self, lib: Path) -> list[str]:
        java_home = os.environ.get("JAVA_HOME")
        java = str(Path(java_home) / "bin" / "java") if java_home else "java"
        return [java, f"-Dlog4j.configuration=file:{LOG4J}", "-cp", f"{lib}/*"]

    def start(self, timeout: float = 90.0) -> ManagedProcess:
        """Format storage if new, start the broker and wait for "Kafka Server started"."""
        lib = kafka_lib_dir()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        config = self.data_dir / "server.properties"
        config.write_text(server_properties(self.data_dir, self.port, self.controller_port))
        if not (self.data_dir / "log" / "meta.properties").exists():
            cluster_id = new_cluster_id()
            run_checked(
                [*self._java(lib), "kafka.tools.StorageTool", "format", "-c", str(config),
                 "-t", cluster_id, "--ignore-formatted"],
                what="formatting Kafka storage",
            )
        log_path = self.data_dir / "kafka.log"
        log_path.write_text("")  # the readiness check reads this run's lines only
        proc = ManagedProcess.spawn(
            "kafka",
            [*self._java(lib)[:1], "-Xms256m", "-Xmx512m", "-XX:+UseG1GC",
             *self._java(lib)[1:], "kafka.Kafka", str(config)],
            log_path=log_path,
        )
        proc.wait_until(lambda: proc.log_contains("Kafka Server started"), timeout,
                        "'Kafka Server started'")
        return proc

"""Kafka in secure mode (``vanthu infra up --secure``): SASL/SCRAM-SHA-512 over TLS, one principal
per service, ACLs from the AsyncAPI document.

The four services run on it and a dispatch goes through ingest, the router and the tracker; a
service with a wrong password is refused (it never becomes ready, and its log names the failed
authentication); the router's principal may not produce to a topic the tracker owns.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.errors import TopicAuthorizationFailedError

from shared import topics
from tools.fleet import wait_for
from tools.infra.kafka_security import principal
from tools.infra.paths import free_port
from tools.infra.process import ManagedProcess
from tools.stack_harness import QUICK_NOTIFIER, Credentials, Sink, Stack

pytestmark = pytest.mark.infra
API_KEY = "secure-key"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    credentials = Credentials(api_keys={"secure": API_KEY}, leader_token="secure-leader")
    with Stack(tmp_path_factory.mktemp("kafka-secure"), secure=True, credentials=credentials,
               database="secure", sink=Sink(), env=QUICK_NOTIFIER) as running:
        yield running


def test_the_four_services_work_over_sasl_ssl_each_as_its_own_principal(stack: Stack) -> None:
    assert stack.infra is not None and stack.infra.security is not None
    for service in ("ingest", "router", "tracker", "notifier"):
        env = stack.fleet.service_env[service]
        assert env["KAFKA_SECURITY_PROTOCOL"] == "SASL_SSL"
        assert env["KAFKA_SASL_USERNAME"] == principal(service)
        assert "KAFKA_SASL_PASSWORD" not in env  # by file only
    answer = httpx.post(f"{stack.url('ingest')}/dispatches", headers={"X-API-Key": API_KEY},
                        json={"subject": "V/v kiểm thử kết nối Kafka có xác thực"}, timeout=30)
    assert answer.status_code == 202, answer.text
    dispatch_id = answer.json()["dispatch_id"]

    def tracked() -> bool:
        view = httpx.get(f"{stack.url('tracker')}/dispatches/{dispatch_id}", timeout=10,
                         headers=stack.credentials.leader_auth)
        return view.status_code == 200 and bool(view.json().get("assignments"))

    assert wait_for(tracked, 30), "ingest -> router -> tracker did not carry the dispatch"
    for service in ("router", "tracker", "notifier"):  # consumers joined their groups, lag known
        ready = httpx.get(f"{stack.url(service)}/ready", timeout=10)
        assert ready.status_code == 200, (service, ready.text)


def test_a_service_with_a_wrong_password_is_refused(stack: Stack, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.password"
    wrong.write_text("not-the-router-password\n")
    port = free_port()
    env = {**os.environ, **stack.fleet.env, **stack.fleet.service_env["router"],
           "KAFKA_SASL_PASSWORD_FILE": str(wrong), "ROUTER_PORT": str(port),
           "PYTHONUNBUFFERED": "1"}
    log = tmp_path / "router.log"
    proc = ManagedProcess.spawn("router", [sys.executable, "-m", "services.router.main"],
                                log_path=log, env=env)
    try:
        deadline = time.monotonic() + 30
        while proc.alive() and time.monotonic() < deadline:
            assert not _ready(port), "a router with a wrong password became ready"
            time.sleep(0.5)
        text = log.read_text(errors="replace")
        assert "SaslAuthenticationFailed" in text or "Authentication failed" in text, text[-2000:]
        assert not _ready(port)
    finally:
        proc.stop(timeout=5)


def test_a_principal_may_not_produce_to_a_topic_it_does_not_own(stack: Stack) -> None:
    assert stack.infra is not None and stack.infra.security is not None
    security = stack.infra.security
    user = principal("router")

    async def produce(topic: str) -> None:
        from ssl import create_default_context

        producer = AIOKafkaProducer(
            bootstrap_servers=stack.infra.kafka_bootstrap if stack.infra else "",
            security_protocol="SASL_SSL", sasl_mechanism="SCRAM-SHA-512",
            sasl_plain_username=user, sasl_plain_password=security.password(user),
            ssl_context=create_default_context(cafile=str(security.ca_file)),
            acks="all", enable_idempotence=True, request_timeout_ms=10000)
        await producer.start()
        try:
            await producer.send_and_wait(topic, b"{}", key=b"acl-probe")
        finally:
            await producer.stop()

    with pytest.raises(TopicAuthorizationFailedError):
        asyncio.run(produce(topics.ASSIGNMENT_OVERDUE))  # the tracker's
    with pytest.raises(TopicAuthorizationFailedError):
        asyncio.run(produce(topics.DISPATCH_RECEIVED))  # ingest's


def _ready(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/ready", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False

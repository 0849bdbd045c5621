"""Who may do what on the secure local Kafka: the ACL table, derived from the AsyncAPI document.

``docs/asyncapi.json`` (generated from the code, ``vanthu asyncapi --check`` keeps it current)
names every channel ``<service>:publishes:<topic>`` (the service produces) or
``<service>:<topic>`` (it consumes, in a group ``vanthu-<service>...``). From that, each service's
principal gets WRITE on what it publishes and on the dead-letter topic (every consumer
dead-letters), READ on what it consumes and on its own groups (prefix ``vanthu-<service>``), and
DESCRIBE on every ``vanthu.`` topic (metadata only: topic creation at start-up and the lag
queries look topics up). Nothing else: no principal but the admin may create topics or touch
another's.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shared import topics
from tools.infra.kafka_security import ADMIN, SERVICES, principal
from tools.infra.paths import REPO_ROOT
from tools.infra.process import InfraError

if TYPE_CHECKING:
    from tools.infra.stack import LocalInfra

ASYNCAPI = REPO_ROOT / "docs" / "asyncapi.json"
# Kafka's protocol codes (org.apache.kafka.common.acl / resource)
TOPIC, GROUP = 2, 3
LITERAL, PREFIXED = 3, 4
READ, WRITE, DESCRIBE = 3, 4, 8
ALLOW = 3


@dataclass(frozen=True)
class Acl:
    """One ALLOW rule: ``principal`` may ``operation`` on a resource."""

    principal: str
    resource_type: int
    name: str
    pattern: int
    operation: int


def service_topics(document: Mapping[str, Any]) -> dict[str, tuple[set[str], set[str]]]:
    """Per service, (topics it publishes, topics it consumes), from an AsyncAPI document."""
    table: dict[str, tuple[set[str], set[str]]] = {s: (set(), set()) for s in SERVICES}
    for name, channel in document["channels"].items():
        service, _, rest = name.partition(":")
        if service not in table or not str(channel.get("address", "")).startswith("vanthu."):
            continue
        produces, consumes = table[service]
        (produces if rest.startswith("publishes:") else consumes).add(channel["address"])
    return table


def acl_table(document: Mapping[str, Any]) -> list[Acl]:
    """Every ACL of the secure cluster (see the module's description)."""
    acls: list[Acl] = []
    for service, (produces, consumes) in service_topics(document).items():
        user = f"User:{principal(service)}"
        acls.append(Acl(user, TOPIC, "vanthu.", PREFIXED, DESCRIBE))
        acls += [Acl(user, TOPIC, t, LITERAL, WRITE) for t in sorted(produces | {topics.DEAD_LETTER})]
        acls += [Acl(user, TOPIC, t, LITERAL, READ) for t in sorted(consumes)]
        acls.append(Acl(user, GROUP, principal(service), PREFIXED, READ))
    return acls


def read_document(path: Path = ASYNCAPI) -> dict[str, Any]:
    """The committed AsyncAPI document."""
    document: dict[str, Any] = json.loads(path.read_text())
    return document


async def grant(admin: Any, acls: list[Acl]) -> None:
    """Create ``acls`` in one request with an (admin) ``AIOKafkaAdminClient``; raise if Kafka
    refuses one. aiokafka has the CreateAcls request (for one ACL) but no public method for it."""
    from aiokafka.protocol.admin import CreateAclsRequest

    class CreateMany(CreateAclsRequest):  # type: ignore[misc]
        def build(self, request_struct_class: Any) -> Any:
            if request_struct_class.API_VERSION < 1:
                raise InfraError("Kafka does not take CreateAcls v1 (resource patterns)")
            return request_struct_class([(a.resource_type, a.name, a.pattern, a.principal, "*",
                                          a.operation, ALLOW) for a in acls])

    response = await admin._send_request(CreateMany(0, "", 0, "", "", 0, 0))
    for acl, (code, message) in zip(acls, response.creation_responses, strict=True):
        if code:
            raise InfraError(f"Kafka refused the ACL {acl}: error {code} {message}")


async def wait_visible(admin: Any, count: int, within: float = 20.0) -> None:
    """Wait until every broker's authorizer holds at least ``count`` ACLs (the controller has
    committed them; each broker applies them as it replays the metadata log)."""
    from aiokafka.protocol.admin import DescribeAclsRequest

    deadline = asyncio.get_running_loop().time() + within
    for broker in admin._client.cluster.brokers():
        while True:
            response = await admin._send_request(
                DescribeAclsRequest(1, None, 1, None, None, 1, 1), broker.nodeId)  # ANY of each
            if sum(len(resource[-1]) for resource in response.resources) >= count:
                break
            if asyncio.get_running_loop().time() > deadline:
                raise InfraError(f"broker {broker.nodeId} does not show the ACLs")
            await asyncio.sleep(0.2)


def prepare_secure_cluster(infra: LocalInfra) -> None:
    """As the admin: create Vanthu's topics (replicated as :meth:`LocalInfra.client_env` says),
    then grant each service its ACLs (creating an existing one again changes nothing)."""
    from aiokafka.admin import AIOKafkaAdminClient

    from shared.kafka import ensure_topics
    from shared.kafka_security import client_options
    from shared.settings import ServiceSettings

    assert infra.security is not None
    settings = ServiceSettings.model_validate(
        {"kafka_bootstrap_servers": infra.kafka_bootstrap, **{
            k.lower(): v for k, v in {**infra.client_env(),
                                      **infra.security.client_env(ADMIN)}.items()}})

    async def run() -> None:
        await ensure_topics(settings)
        admin = AIOKafkaAdminClient(**client_options(settings))
        await admin.start()
        try:
            acls = acl_table(read_document())
            await grant(admin, acls)
            await wait_visible(admin, len(acls))
        finally:
            await admin.close()

    asyncio.run(run())

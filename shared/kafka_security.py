"""How a service authenticates to Kafka: nothing (PLAINTEXT, a laptop) or SASL/SCRAM-SHA-512 over
TLS, with the settings ``KAFKA_SECURITY_PROTOCOL``, ``KAFKA_SASL_USERNAME``,
``KAFKA_SASL_PASSWORD`` (or ``KAFKA_SASL_PASSWORD_FILE``) and ``KAFKA_SSL_CAFILE``.

The same settings serve faststream's broker (:func:`broker_security`) and the plain aiokafka clients
(topic creation, the watchdog's lag queries: :func:`client_options`).
"""

from __future__ import annotations

import ssl
from typing import Any

from faststream.security import SASLScram512

from shared.settings import ServiceSettings

MECHANISM = "SCRAM-SHA-512"


def ssl_context(settings: ServiceSettings) -> ssl.SSLContext:
    """A client TLS context that checks the brokers' certificates and names against
    ``KAFKA_SSL_CAFILE`` (the system's CAs when empty)."""
    return ssl.create_default_context(cafile=settings.kafka_ssl_cafile or None)


def broker_security(settings: ServiceSettings) -> SASLScram512 | None:
    """faststream's security object for ``KafkaBroker(security=...)``; None for PLAINTEXT."""
    if settings.kafka_security_protocol == "PLAINTEXT":
        return None
    return SASLScram512(settings.kafka_sasl_username, settings.kafka_sasl_password,
                        ssl_context=ssl_context(settings), use_ssl=True)


def client_options(settings: ServiceSettings) -> dict[str, Any]:
    """Keyword arguments of an aiokafka client (admin, consumer): the bootstrap servers and, for
    SASL_SSL, the mechanism, the principal and the TLS context."""
    options: dict[str, Any] = {"bootstrap_servers": settings.kafka_bootstrap_servers}
    if settings.kafka_security_protocol == "SASL_SSL":
        options |= {"security_protocol": "SASL_SSL", "sasl_mechanism": MECHANISM,
                    "sasl_plain_username": settings.kafka_sasl_username,
                    "sasl_plain_password": settings.kafka_sasl_password,
                    "ssl_context": ssl_context(settings)}
    return options

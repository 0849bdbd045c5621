"""Secure mode without a server: the ACL table, the certificates, the client settings, *_FILE."""

from __future__ import annotations

import ssl
import stat
from pathlib import Path

import pytest
from cryptography import x509

from shared import topics
from shared.kafka_security import broker_security, client_options
from shared.secrets_policy import SecretFileError
from shared.settings import ServiceSettings
from tools.infra.kafka_acls import (
    DESCRIBE,
    GROUP,
    PREFIXED,
    READ,
    WRITE,
    acl_table,
    read_document,
    service_topics,
)
from tools.infra.kafka_security import ListenerSecurity


def test_each_principal_writes_only_what_its_service_publishes() -> None:
    table = service_topics(read_document())
    assert table["ingest"][0] == {topics.DISPATCH_RECEIVED}
    assert topics.DISPATCH_ASSIGNED in table["router"][0]
    assert topics.ASSIGNMENT_OVERDUE in table["tracker"][0]
    assert topics.ASSIGNMENT_OVERDUE in table["notifier"][1]
    acls = acl_table(read_document())
    writes = {(a.principal, a.name) for a in acls if a.operation == WRITE}
    assert ("User:vanthu-router", topics.ASSIGNMENT_OVERDUE) not in writes
    assert ("User:vanthu-tracker", topics.ASSIGNMENT_OVERDUE) in writes
    assert all((f"User:vanthu-{s}", topics.DEAD_LETTER) in writes
               for s in ("ingest", "router", "tracker", "notifier"))
    reads = {(a.principal, a.name) for a in acls if a.operation == READ}
    assert ("User:vanthu-notifier", topics.DISPATCH_RECEIVED) not in reads
    assert ("User:vanthu-router", topics.DISPATCH_RECEIVED) in reads
    groups = {(a.principal, a.name, a.pattern) for a in acls if a.resource_type == GROUP}
    assert ("User:vanthu-ingest", "vanthu-ingest", PREFIXED) in groups
    assert {a.name for a in acls if a.operation == DESCRIBE} == {"vanthu."}


def test_the_throwaway_ca_signs_a_broker_certificate_for_loopback(tmp_path: Path) -> None:
    security = ListenerSecurity.create(tmp_path)
    ca = x509.load_pem_x509_certificate(security.ca_file.read_bytes())
    chain = x509.load_pem_x509_certificates((tmp_path / "broker.pem").read_bytes())
    chain[0].verify_directly_issued_by(ca)
    names = chain[0].extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in names.get_values_for_type(x509.DNSName)
    for path in (tmp_path / "broker.pem", security.password_file("vanthu-router")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(security.password("vanthu-router")) >= 24
    assert security.password("vanthu-router") != security.password("vanthu-tracker")
    assert any("name=vanthu-router" in arg for arg in security.format_arguments())


def test_sasl_ssl_settings_reach_the_clients(tmp_path: Path) -> None:
    ListenerSecurity.create(tmp_path)
    (tmp_path / "pw").write_text("s3cret-from-a-file\n")
    settings = ServiceSettings(kafka_security_protocol="SASL_SSL", kafka_sasl_username="vanthu-x",
                               kafka_sasl_password_file=str(tmp_path / "pw"),
                               kafka_ssl_cafile=str(tmp_path / "ca.pem"), _env_file=None)
    assert settings.kafka_sasl_password == "s3cret-from-a-file"
    options = client_options(settings)
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert options["sasl_plain_password"] == "s3cret-from-a-file"
    assert isinstance(options["ssl_context"], ssl.SSLContext)
    security = broker_security(settings)
    assert security is not None and security.username == "vanthu-x"
    plain = ServiceSettings(_env_file=None)
    assert broker_security(plain) is None and set(client_options(plain)) == {"bootstrap_servers"}


def test_an_unreadable_secret_file_names_the_setting_not_a_value(tmp_path: Path) -> None:
    with pytest.raises(SecretFileError, match="KAFKA_SASL_PASSWORD_FILE") as caught:
        ServiceSettings(kafka_sasl_password="do-not-print-me",
                        kafka_sasl_password_file=str(tmp_path / "missing"), _env_file=None)
    assert "do-not-print-me" not in str(caught.value)

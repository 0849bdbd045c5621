"""Secure mode of the local Kafka: SASL/SCRAM-SHA-512 over TLS, one principal per service, ACLs.

:meth:`ListenerSecurity.create` makes, once per data directory, a throwaway CA and a broker
certificate (``cryptography``; the broker's key also authenticates it on the controllers' TLS
listener) and a random password per principal, each in its own file (mode 600) for the services'
``KAFKA_SASL_PASSWORD_FILE``. The SCRAM users are written when the storage is formatted
(``kafka-storage format --add-scram``). Which topics a service may produce or consume is read
from the AsyncAPI document (``docs/asyncapi.json``, generated from the code): see
:mod:`tools.infra.kafka_acls`.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

SERVICES: tuple[str, ...] = ("ingest", "router", "tracker", "notifier")
ADMIN = "vanthu-admin"
"""The super user: brokers talk to each other as it, and the infrastructure creates topics and ACLs
with it. Services never get its password."""
BROKER_CN = "vanthu-kafka-broker"
BROKER_NAMES: tuple[str, ...] = ("localhost", "kafka", "kafka1", "kafka2", "kafka3")
"""Host names in the broker certificate (loopback, and the compose services)."""
SCRAM = "SCRAM-SHA-512"


def principal(service: str) -> str:
    """The SCRAM user name of ``service`` (also the prefix of its consumer groups)."""
    return f"vanthu-{service}"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _pem_key(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def make_certificates(directory: Path, days: int = 30) -> None:
    """Write ``ca.pem`` (the throwaway CA's certificate) and ``broker.pem`` (the broker's PKCS#8
    key and its certificate chain, for ``ssl.keystore.type=PEM``)."""
    now = dt.datetime.now(dt.UTC)
    ca_key, broker_key = _key(), _key()
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Vanthu local CA (throwaway)")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                         critical=True)
          .sign(ca_key, hashes.SHA256()))
    names: list[x509.GeneralName] = [x509.DNSName(n) for n in BROKER_NAMES]
    names.append(x509.IPAddress(ipaddress.ip_address("127.0.0.1")))
    broker = (x509.CertificateBuilder()
              .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, BROKER_CN)]))
              .issuer_name(ca_name).public_key(broker_key.public_key())
              .serial_number(x509.random_serial_number())
              .not_valid_before(now - dt.timedelta(minutes=5))
              .not_valid_after(now + dt.timedelta(days))
              .add_extension(x509.SubjectAlternativeName(names), critical=False)
              .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
              .sign(ca_key, hashes.SHA256()))
    directory.mkdir(parents=True, exist_ok=True)
    ca_pem = ca.public_bytes(serialization.Encoding.PEM)
    _private(directory / "broker.pem",
             _pem_key(broker_key) + broker.public_bytes(serialization.Encoding.PEM) + ca_pem)
    (directory / "ca.pem").write_bytes(ca_pem)


def _private(path: Path, data: bytes) -> None:
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_bytes(data)


@dataclass(frozen=True)
class ListenerSecurity:
    """The secure listener's files: CA, broker keystore and one password file per principal."""

    directory: Path

    @classmethod
    def create(cls, directory: Path) -> ListenerSecurity:
        """Generate what is missing in ``directory`` (kept across restarts: the SCRAM users are
        formatted into the storage once)."""
        if not (directory / "broker.pem").exists():
            make_certificates(directory)
        for user in (ADMIN, *map(principal, SERVICES)):
            path = directory / f"{user}.password"
            if not path.exists():
                _private(path, secrets.token_urlsafe(24).encode())
        return cls(directory)

    @property
    def ca_file(self) -> Path:
        """The CA certificate clients trust (``KAFKA_SSL_CAFILE``)."""
        return self.directory / "ca.pem"

    def password_file(self, user: str) -> Path:
        """Where ``user``'s password is (``KAFKA_SASL_PASSWORD_FILE``)."""
        return self.directory / f"{user}.password"

    def password(self, user: str) -> str:
        """``user``'s password."""
        return self.password_file(user).read_text().strip()

    def properties(self) -> list[str]:
        """Broker settings: SCRAM on the clients' listener, mutual TLS on the controllers' one
        (the broker certificate is the controllers' identity), the standard authorizer."""
        jaas = (f'org.apache.kafka.common.security.scram.ScramLoginModule required '
                f'username="{ADMIN}" password="{self.password(ADMIN)}";')
        return [
            f"sasl.enabled.mechanisms={SCRAM}",
            f"sasl.mechanism.inter.broker.protocol={SCRAM}",
            f"listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config={jaas}",
            "ssl.keystore.type=PEM",
            f"ssl.keystore.location={self.directory / 'broker.pem'}",
            "ssl.truststore.type=PEM",
            f"ssl.truststore.location={self.ca_file}",
            "listener.name.controller.ssl.client.auth=required",
            "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            f"super.users=User:{ADMIN};User:CN={BROKER_CN}",
            "allow.everyone.if.no.acl.found=false",
        ]

    def format_arguments(self) -> list[str]:
        """``kafka-storage format`` arguments that create every SCRAM user."""
        args: list[str] = []
        for user in (ADMIN, *map(principal, SERVICES)):
            args += ["--add-scram", f"{SCRAM}=[name={user},password={self.password(user)}]"]
        return args

    def client_env(self, user: str) -> dict[str, str]:
        """A client's settings for ``user`` (the password by file, never in the environment)."""
        return {"KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "KAFKA_SASL_USERNAME": user,
                "KAFKA_SASL_PASSWORD_FILE": str(self.password_file(user)),
                "KAFKA_SSL_CAFILE": str(self.ca_file)}

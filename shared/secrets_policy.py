"""Production refuses demo and placeholder secrets: the check every service runs at start-up.

A setting is a secret when its field carries ``json_schema_extra=secret(...)`` (``shared.settings``).
The policy applies when the service is *exposed*: ``VANTHU_ENV=production``, or ``HTTP_HOST`` is not a
loopback address. Then a secret may not be one of the public demo credentials of ``.env.example``
(compared by hash, as they are configured), a placeholder such as ``change-me``, or empty when the
service needs it. :func:`problems` is pure; :func:`enforce` turns problems into an exit.

A secret ``X`` may also come from a file: ``X_FILE`` names it (Docker and Kubernetes secrets,
systemd credentials), read by :func:`read_secret_files` when the settings are loaded, so that the
value is in neither the repository nor the process environment.
"""

from __future__ import annotations

import ipaddress
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from pydantic_settings import BaseSettings

from shared.tokens import hash_secret

DEMO_UNITS: tuple[str, ...] = ("VP", "TTRA", "KHTC", "QLCN", "QLTM", "QLNL", "KTATMT")
"""Units that have a public demo token ``demo-<unit>-token`` in ``.env.example``."""

DEMO_SECRETS: tuple[str, ...] = (
    "demo-key", "demo-leader-token", *(f"demo-{unit.lower()}-token" for unit in DEMO_UNITS))
"""The public demo credentials, in clear: printed in the README and the demo banner."""

PLACEHOLDERS: frozenset[str] = frozenset({
    "change-me", "changeme", "change_me", "changeit", "secret", "password", "passw0rd", "pass",
    "admin", "default", "demo", "test", "example", "token", "key", "todo", "xxx", "none", "null",
    "123456", "12345678", "qwerty", "letmein"})
"""Values (compared without case, spaces, quotes or ``<>``) that are obviously not a real secret."""

_KNOWN = {hash_secret(value): value for value in (*DEMO_SECRETS, *PLACEHOLDERS)}


@dataclass(frozen=True)
class SecretProblem:
    """One secret setting that may not be used as it is."""

    setting: str
    """The environment variable, e.g. ``TRACKER_LEADERSHIP_TOKENS``."""
    reason: str
    """Why, in Vietnamese, without the secret's value unless it is a public one."""


class SecretFileError(RuntimeError):
    """A secret's ``*_FILE`` cannot be read (the message names the setting and the path)."""


def read_secret_files(settings: BaseSettings) -> None:
    """Set every secret field ``x`` whose ``x_file`` field names a file to that file's text (one
    trailing line break dropped). Raises :class:`SecretFileError` (not a validation error, whose
    text would quote every input, secrets too) naming the setting when the file cannot be read."""
    for name, field in type(settings).model_fields.items():
        extra = field.json_schema_extra
        path = str(getattr(settings, f"{name}_file", "") or "")
        if not (isinstance(extra, dict) and "secret" in extra) or not path:
            continue
        try:
            value = Path(path).read_text(encoding="utf-8").removesuffix("\n").removesuffix("\r")
        except OSError as exc:
            raise SecretFileError(f"{name.upper()}_FILE: không đọc được tệp {path} "
                             f"({exc.strerror})") from exc
        setattr(settings, name, value)


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an ``HTTP_HOST`` value) only accepts connections from this machine."""
    host = host.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def exposure(settings: BaseSettings) -> str | None:
    """Why the policy applies to these settings (in Vietnamese), or None on a laptop."""
    if getattr(settings, "vanthu_env", "development") == "production":
        return "VANTHU_ENV=production"
    host = str(getattr(settings, "http_host", "127.0.0.1"))
    if not is_loopback(host):
        return f"HTTP_HOST={host} không phải địa chỉ loopback"
    return None


def _placeholder(value: str) -> bool:
    return value.strip().strip("'\"<>").strip().lower() in PLACEHOLDERS


def _known_name(secret: str) -> str:
    known = _KNOWN.get(secret)
    return f"khoá demo công khai `{known}`" if known in DEMO_SECRETS else "giá trị giữ chỗ"


def check_value(kind: str, value: str, *, required: bool) -> str | None:
    """Return why one secret value is refused (Vietnamese), or None if it may be used."""
    if not value.strip():
        return "trống, nhưng dịch vụ cần giá trị này" if required else None
    if kind == "url":
        password = urlsplit(value).password
        return None if password is None else check_value("plain", password, required=False)
    if kind == "hashed":
        for entry in filter(None, (item.strip() for item in value.split(","))):
            name, _, digest = entry.partition(":")
            if digest.strip().lower() in _KNOWN:
                return f"mục `{name}` là {_known_name(digest.strip().lower())}"
        return None
    if _placeholder(value):
        return "là giá trị giữ chỗ, không phải bí mật thật"
    if hash_secret(value) in _KNOWN:
        return f"là {_known_name(hash_secret(value))}"
    if re.fullmatch(r"demo-[a-z0-9-]*", value.strip().lower()):
        return "là khoá demo công khai"
    return None


def problems(settings: BaseSettings) -> list[SecretProblem]:
    """Every secret setting of ``settings`` that is a demo, placeholder or missing value, and every
    laboratory-only switch that is on."""
    found: list[SecretProblem] = []
    for name, field in type(settings).model_fields.items():
        extra = field.json_schema_extra
        if isinstance(extra, dict) and extra.get("laboratory_only") and getattr(settings, name):
            found.append(SecretProblem(name.upper(), "chỉ dành cho thử nghiệm và demo (không cần "
                                       "mã truy cập); phải tắt khi dịch vụ chạy thật"))
        if not isinstance(extra, dict) or "secret" not in extra:
            continue
        reason = check_value(str(extra["secret"]), str(getattr(settings, name) or ""),
                             required=bool(extra.get("secret_required")))
        if reason is not None:
            found.append(SecretProblem(name.upper(), reason))
    return found


def refusal(service: str, settings: BaseSettings) -> str | None:
    """The start-up refusal message for ``service``, or None when it may start."""
    why = exposure(settings)
    found = problems(settings) if why else []
    if not found:
        return None
    lines = [f"Vanthu {service} KHÔNG khởi động ({why}): bí mật mẫu hoặc thiếu bí mật."]
    lines += [f"  - {p.setting}: {p.reason}" for p in found]
    lines += ["Đặt giá trị riêng trong .env hoặc biến môi trường; băm khoá bằng:",
              "  python -c \"from shared.tokens import hash_secret; "
              "print(hash_secret('<một bí mật dài, ngẫu nhiên>'))\"",
              "Chạy thử trên máy cá nhân: `make up` (chế độ demo, chỉ nghe trên 127.0.0.1)."]
    return "\n".join(lines)


def enforce(service: str, settings: BaseSettings) -> None:
    """Print the refusal and exit with status 78 (EX_CONFIG), before serving, if there is one."""
    message = refusal(service, settings)
    if message is not None:
        print(message, file=sys.stderr, flush=True)
        raise SecretsRefused(message)


class SecretsRefused(SystemExit):
    """The process stops at start-up: insecure secrets (exit status 78; ``message`` says why)."""

    def __init__(self, message: str) -> None:
        super().__init__(78)
        self.message = message

    def __str__(self) -> str:
        return self.message

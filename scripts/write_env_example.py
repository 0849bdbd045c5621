"""Regenerate .env.example from the settings classes (run after adding a setting).

Usage: .venv/bin/python scripts/write_env_example.py
"""

from __future__ import annotations

from pathlib import Path

from services.ingest.settings import IngestSettings
from services.notifier.settings import NotifierSettings
from services.router.settings import RouterSettings
from services.tracker.settings import TrackerSettings
from shared.secrets_policy import DEMO_UNITS
from shared.settings import ServiceSettings
from shared.tokens import hash_secret

DEMO = {
    "INGEST_API_KEYS": f"demo:{hash_secret('demo-key')}",
    "TRACKER_UNIT_TOKENS": ",".join(f"{u}:{hash_secret(f'demo-{u.lower()}-token')}"
                                    for u in DEMO_UNITS),
    "TRACKER_LEADERSHIP_TOKENS": f"director:{hash_secret('demo-leader-token')}",
    "NOTIFIER_ACCESS_TOKENS": f"director:{hash_secret('demo-leader-token')}",
    "NOTIFIER_WEBHOOK_SECRET": "demo-webhook-secret",
}
EXTERNAL = {"KAFKA_BOOTSTRAP_SERVERS", "MONGODB_URL"}
HEADER = """\
# Vanthu settings: every setting with its default. `make up` reads .env if it exists, else this file.
# Copy to .env to change values. Environment variables override both.
# Regenerate with: .venv/bin/python scripts/write_env_example.py
#
# DEMO CREDENTIALS, for a laptop only — never on a server. `make up` without .env runs in demo mode:
# it reads this file, says so on start and binds every service to 127.0.0.1 only. With
# VANTHU_ENV=production, or HTTP_HOST not a loopback address, a service refuses to start while any
# of these demo values, a placeholder (change-me, secret, password…) or a required empty secret is set.
#   upstream system "demo", API key `demo-key` (header X-API-Key);
#   unit tokens `demo-vp-token`, `demo-ttra-token`, `demo-khtc-token`, `demo-qlcn-token`,
#   `demo-qltm-token`, `demo-qlnl-token`, `demo-ktatmt-token`; leadership token `demo-leader-token`
#   (header Authorization: Bearer <token>). Make your own with:
#   python -c "from shared.tokens import hash_secret; print(hash_secret('<a long random secret>'))"
"""


def _value(default: object) -> str:
    return str(default).lower() if isinstance(default, bool) else str(default)


def main() -> None:
    lines = [HEADER]
    common = set(ServiceSettings.model_fields)
    for cls, title in ((ServiceSettings, "all services"), (IngestSettings, "ingest"),
                       (RouterSettings, "router"), (TrackerSettings, "tracker"),
                       (NotifierSettings, "notifier")):
        lines.append(f"# --- {title} ---")
        for name, field in cls.model_fields.items():
            if cls is not ServiceSettings and name in common:
                continue
            key = name.upper()
            lines.append(f"# {field.description}")
            if key in EXTERNAL:
                lines.append("# Set both to use existing servers instead of the local ones:")
                lines.append(f"# {key}={_value(field.default)}")
            else:
                lines.append(f"{key}={DEMO.get(key, _value(field.default))}")
        lines.append("")
    lines += ["# --- local infrastructure (vanthu infra / make up) ---",
              "# Where `make up` keeps Kafka's and FerretDB's data between runs.",
              "VANTHU_DATA_DIR=var",
              "# Download and build cache (Kafka jars, FerretDB binary).",
              "# VANTHU_CACHE=~/.cache/vanthu",
              "KAFKA_PORT=9092", "KAFKA_CONTROLLER_PORT=9093", "FERRETDB_PORT=27017",
              "# Local SMTP sink that `make up` starts for the notifier (0: none).",
              "SMTP_SINK_PORT=2525", ""]
    (Path(__file__).resolve().parents[1] / ".env.example").write_text("\n".join(lines))


if __name__ == "__main__":
    main()

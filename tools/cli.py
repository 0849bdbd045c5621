"""``vanthu``: the command-line front door (infrastructure, running the system, tools).

The front door mounts the command groups the services own (e.g. the parser's ``parse`` and
``eval-parse``); it is the one module of ``shared`` that imports service code, and only for that.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from pathlib import Path
from typing import Annotated

import typer
from dotenv import dotenv_values

from shared.secrets_policy import DEMO_UNITS
from tools.cli_client import respond, send
from tools.cli_corrections import corrections_app
from tools.cli_route import route
from tools.cli_users import user_app
from tools.demo import demo
from tools.fleet import DEFAULT_PORTS
from tools.infra.process import InfraError
from tools.infra.stack import InfraPorts, LocalInfra
from tools.parse_cli import parse_app
from tools.stack_harness import Endpoints, Sink, Stack

app = typer.Typer(help="Vanthu: công văn routing, tracking and escalation.", no_args_is_help=True)
infra_app = typer.Typer(help="Local Kafka (KRaft) and FerretDB, without Docker.",
                        no_args_is_help=True)
app.add_typer(infra_app, name="infra")
app.add_typer(parse_app)
app.add_typer(user_app)
app.add_typer(corrections_app, name="corrections")
app.command("send")(send)
app.command("respond")(respond)
app.command("route")(route)
app.command("demo")(demo)

DataDir = Annotated[Path, typer.Option(envvar="VANTHU_DATA_DIR", help="Persistent data directory.")]
ENV_EXAMPLE = Path(__file__).resolve().parents[1] / ".env.example"


def demo_banner() -> str:
    """What ``vanthu up`` prints in demo mode: loud, with the public credentials it runs with."""
    units = ", ".join(f"demo-{unit.lower()}-token" for unit in DEMO_UNITS)
    rule = "=" * 78
    return "\n".join([
        rule,
        " CHẾ ĐỘ DEMO (DEMO MODE): không có .env, Vanthu chạy với các khoá demo CÔNG KHAI",
        " của .env.example. Mọi dịch vụ chỉ nghe trên 127.0.0.1, dù HTTP_HOST nói gì.",
        "   khoá API (hệ thống `demo`, header X-API-Key): demo-key",
        "   mã lãnh đạo (Authorization: Bearer):          demo-leader-token",
        f"   mã đơn vị: {units}",
        " Không bao giờ dùng các khoá này trên máy chủ. Để chạy thật: cp .env.example .env,",
        " thay mọi khoá bằng giá trị băm của bí mật riêng (README, mục Configuration).",
        rule])


def _infra_ports(brokers: int = 1) -> InfraPorts:
    return InfraPorts.fixed(
        brokers,
        kafka=int(os.environ.get("KAFKA_PORT", 9092)),
        kafka_controller=int(os.environ.get("KAFKA_CONTROLLER_PORT", 9093)),
        ferretdb=int(os.environ.get("FERRETDB_PORT", 27017)),
    )


def _infra(data_dir: Path, brokers: int = 1, secure: bool = False) -> LocalInfra:
    return LocalInfra(data_dir / "infra", _infra_ports(brokers), secure=secure)


def load_env_file(path: Path | None) -> None:
    """Export the settings of ``path`` (``.env`` or ``.env.example``) unless already set."""
    if path is None or not path.exists():
        return
    for key, value in dotenv_values(path).items():
        if value is not None:
            os.environ.setdefault(key, value)


@infra_app.command("up")
def infra_up(
    data_dir: DataDir = Path("var"),
    brokers: Annotated[int, typer.Option(
        min=1, max=3, help="Kafka nodes: 3 is a cluster (every node a broker and a KRaft voter; "
        "Vanthu's topics with replication factor 3 and min.insync.replicas=2), on KAFKA_PORT, "
        "+2, +4.")] = 1,
    secure: Annotated[bool, typer.Option(
        "--secure", help="SASL/SCRAM-SHA-512 over TLS, one principal per service, ACLs; a "
        "throwaway CA and the passwords in <data-dir>/infra/kafka-secrets.")] = False,
) -> None:
    """Provision (first time) and start Kafka and FerretDB; print their addresses and the settings
    the services need."""
    infra = _infra(data_dir, brokers, secure)
    try:
        infra.start()
    except InfraError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(json.dumps(infra.status(), indent=2))
    settings = {"KAFKA_BOOTSTRAP_SERVERS": infra.kafka_bootstrap, **infra.client_env()}
    if infra.security is not None:
        from tools.infra.kafka_security import principal

        settings |= infra.security.client_env(principal("<service>"))
    typer.echo("\n".join(f"{key}={value}" for key, value in settings.items()))


@infra_app.command("status")
def infra_status(data_dir: DataDir = Path("var")) -> None:
    """Report health of Kafka and FerretDB; exit 1 if either is down."""
    report = _infra(data_dir).status()
    typer.echo(json.dumps(report, indent=2))
    if not all(c["healthy"] for c in report.values()):
        raise typer.Exit(1)


@infra_app.command("down")
def infra_down(data_dir: DataDir = Path("var")) -> None:
    """Stop Kafka and FerretDB (data is kept)."""
    _infra(data_dir).stop()
    typer.echo("stopped")


@app.command("asyncapi")
def asyncapi(check: Annotated[bool, typer.Option(help="Fail if docs/asyncapi.json is stale.")]
             = False) -> None:
    """Write the AsyncAPI document of all events (docs/asyncapi.json) from the code."""
    from tools.asyncapi import DOCUMENT, render

    text = render()
    if check:
        if not DOCUMENT.exists() or DOCUMENT.read_text() != text:
            typer.echo(f"{DOCUMENT} is stale: run `vanthu asyncapi`", err=True)
            raise typer.Exit(1)
        return
    DOCUMENT.write_text(text)
    typer.echo(f"wrote {DOCUMENT}")


@app.command("sink")
def sink(
    directory: Annotated[Path, typer.Option(help="Where to store caught mail and webhooks.")] = Path(
        "var/sink"),
    smtp_port: Annotated[int, typer.Option(envvar="SMTP_SINK_PORT")] = 2525,
    webhook_port: Annotated[int, typer.Option(envvar="WEBHOOK_SINK_PORT")] = 8765,
) -> None:
    """Catch outgoing email (SMTP) and webhooks locally, as files: for laptops and tests."""
    import asyncio

    from tools.sinks import run_sinks

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_sinks(directory, smtp_port, webhook_port))


@app.command("up")
def up(
    data_dir: DataDir = Path("var"),
    env_file: Annotated[Path | None, typer.Option(help=".env file to read")] = None,
    demo: Annotated[bool, typer.Option(
        "--demo", help="Demo mode: .env.example's public credentials, loopback only, a banner. "
        "Also on when --env-file is .env.example.")] = False,
) -> None:
    """Run the whole system in the foreground: infrastructure and the four services. Ctrl-C stops."""
    external = Endpoints.from_env()
    demo = demo or (env_file is not None and env_file.name == ENV_EXAMPLE.name)
    load_env_file(env_file or (ENV_EXAMPLE if demo else None))
    if demo:
        typer.echo(demo_banner(), err=True)
    smtp_port = int(os.environ.get("SMTP_SINK_PORT", "2525"))
    stack = Stack(data_dir, endpoints=external, infra_ports=_infra_ports(), log_format=None,
                  env={"HTTP_HOST": "127.0.0.1"} if demo else {},
                  sink=Sink(data_dir / "sink", smtp_port,
                            int(os.environ.get("WEBHOOK_SINK_PORT", "8765")), wire=False)
                  if smtp_port else None,
                  ports={name: int(os.environ.get(f"{name.upper()}_PORT", port))
                         for name, port in DEFAULT_PORTS.items()})
    fleet = stack.fleet
    if stack.infra is not None:
        typer.echo("starting Kafka and FerretDB (the first run downloads and builds them)…")
    stack.start_infra()
    stopping = False

    def _stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        stack.start_services()
        typer.echo(f"Vanthu is up: ingest {fleet.url('ingest')}, tracker {fleet.url('tracker')}, "
                   f"notifier {fleet.url('notifier')}; caught e-mail in {data_dir / 'sink/mail'}, "
                   f"logs in {data_dir / 'logs'}. Ctrl-C to stop.")
        if demo:
            typer.echo("CHẾ ĐỘ DEMO: khoá demo công khai, chỉ 127.0.0.1 (xem thông báo ở trên).",
                       err=True)
        while not stopping:
            fleet.check_alive()
            time.sleep(0.5)
    finally:
        typer.echo("stopping…")
        stack.stop()
        typer.echo("stopped cleanly")


if __name__ == "__main__":
    app()

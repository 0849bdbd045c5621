"""``vanthu demo``: the whole system on a simulated February 2024, for a new user's first minutes.

It starts local Kafka and FerretDB (as ``vanthu up`` does, in a throwaway directory, on free ports),
the mail and webhook catchers and the four services; feeds the two seed letters and the sample corpus
through ingest; then plays the units — acknowledging, replying on time, late or never, and passing one
letter back and forth — while the tracker's clock runs from 06/02/2024, over Tết, to the end of the
month. It prints where to look; ``--until-done`` prints a JSON summary as the last line and exits.
The scenario is :mod:`tools.demo_scenario`; the HTTP client that plays it, :mod:`tools.demo_player`.
"""

from __future__ import annotations

import json
import signal
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from tools.demo_player import LEADER_TOKEN, Player
from tools.demo_scenario import letters, play, scenario_env
from tools.fleet import DEFAULT_PORTS, SERVICES
from tools.infra.paths import REPO_ROOT, free_port, port_open
from tools.infra.process import InfraError
from tools.stack_harness import Sink, Stack

__all__ = ["LEADER_TOKEN", "Player", "demo", "letters", "play", "scenario_env"]


def _port(preferred: int) -> int:
    """``preferred`` when nothing listens there, else a free port."""
    return free_port() if port_open("127.0.0.1", preferred) else preferred


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def _where_to_look(summary: dict[str, Any]) -> None:
    typer.echo("\nXem kết quả / where to look:")
    typer.echo(f"  Bảng điều hành (dashboard): {summary['dashboard_url']}  — mã truy cập Lãnh đạo Sở: "
               f"{summary['leadership_token']}")
    typer.echo(f"  Thư đã gửi (emails caught by the local SMTP sink): {summary['mail_dir']}")
    typer.echo(f"  Lịch sử thông báo (notification history): {summary['notifications_url']}")
    levels = ", ".join(f"{k} {v}" for k, v in summary["emails_sent"].items())
    typer.echo(f"  {summary['dispatches_ingested']} văn bản, {summary['assignments']} lượt giao; "
               f"email theo mức: {levels}; email nhắc/đôn đốc đầu tiên sau "
               f"{summary['seconds_to_first_escalation_email']} s")
    typer.echo(f"  {summary['deadlines_extended']} lượt gia hạn; {summary['blockers_reported']} vướng "
               f"mắc, {summary['blockers_directed']} đã có ý kiến chỉ đạo (chờ: "
               f"{', '.join(summary['blocker_waits']) or '—'})")


def demo(
    until_done: Annotated[bool, typer.Option(
        "--until-done", help="Play the scenario, print a JSON summary as the last line, exit.")] = False,
    data_dir: Annotated[Path | None, typer.Option(
        help="Kafka, FerretDB, logs and caught mail (default: a new temporary directory).")] = None,
    shared_dir: Annotated[Path, typer.Option(
        help="Seed letters (seeds/) and sample corpus (corpus/docs/).")] = REPO_ROOT.parent / "shared",
) -> None:
    """Run everything on a simulated clock with seed letters and the corpus; show where to look."""
    started = time.time()
    data_dir = data_dir or Path(tempfile.mkdtemp(prefix="vanthu-demo-"))
    ports = {s: _port(DEFAULT_PORTS[s]) for s in SERVICES}
    tracker = f"http://127.0.0.1:{ports['tracker']}"
    stack = Stack(data_dir, ports=ports,
                  sink=Sink(smtp_port=_port(2525), webhook_port=_port(8765)), log_format=None,
                  env={"TRACKER_PUBLIC_URL": tracker, "NOTIFIER_TRACKER_URL": tracker,
                       **scenario_env()})
    fleet = stack.fleet
    signal.signal(signal.SIGTERM, _interrupt)
    summary: dict[str, Any] | None = None
    try:
        typer.echo(f"Thư mục dữ liệu: {data_dir}\nKhởi động Kafka và FerretDB…")
        stack.start_infra()
        typer.echo("Khởi động bộ bắt thư và bốn dịch vụ (ingest, router, tracker, notifier)…")
        stack.start_services()
        player = Player({s: fleet.url(s) for s in SERVICES}, stack.sink_dir)
        summary = play(player, letters(shared_dir), started, echo=typer.echo)
        _where_to_look(summary)
        if not until_done:
            typer.echo("\nĐang chạy; Ctrl-C để dừng. Running; Ctrl-C stops everything.")
            while True:
                fleet.check_alive()
                time.sleep(0.5)
    except KeyboardInterrupt:
        typer.echo("\nđang dừng…")
    except (InfraError, RuntimeError) as exc:
        typer.echo(f"demo failed: {exc}", err=True)
        summary = None
    finally:
        stack.stop()
        typer.echo(f"đã dừng; dữ liệu, nhật ký và thư vẫn ở {data_dir}")
    if until_done:
        if summary is None:
            raise typer.Exit(1)
        typer.echo(json.dumps(summary, ensure_ascii=False))

"""``vanthu send`` and ``vanthu respond``: the command-line front-ends that post to the HTTP edges.

``send`` posts documents to ingest (one file, or a folder with a progress bar); ``respond`` posts a
unit's answer to the tracker (and with ``--wait`` follows it to applied or refused). Both print the
server's answer as JSON and exit non-zero on failure.
"""

from __future__ import annotations

import json
import mimetypes
import os
import time
from pathlib import Path
from typing import Annotated

import httpx
import typer

from shared.events import ResponseAction

INGEST_URL = typer.Option(envvar="VANTHU_INGEST_URL", help="Ingest's base URL.")
TRACKER_URL = typer.Option(envvar="VANTHU_TRACKER_URL", help="Tracker's base URL.")


def _send_one(client: httpx.Client, path: Path, metadata: dict[str, str]) -> httpx.Response:
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return client.post("/dispatches/upload",
                       files={"file": (path.name, path.read_bytes(), content_type)},
                       data={"metadata": json.dumps(metadata, ensure_ascii=False)} if metadata
                       else None,
                       headers={"Idempotency-Key": f"file:{path.resolve()}:{path.stat().st_size}"})


def send(
    files: Annotated[list[Path], typer.Argument(help="TXT, PDF, DOCX or edXML files, or folders.")],
    due: Annotated[str | None, typer.Option(help="Deadline, ISO with timezone.")] = None,
    subject: Annotated[str | None, typer.Option(help="Trích yếu, if the file lacks one.")] = None,
    ingest_url: Annotated[str, INGEST_URL] = "http://127.0.0.1:8000",
    api_key: Annotated[str, typer.Option(envvar="VANTHU_API_KEY")] = "demo-key",
) -> None:
    """Post documents to ingest; what you state wins over what the parser reads."""
    paths = [p for f in files for p in (sorted(f.iterdir()) if f.is_dir() else [f]) if p.is_file()]
    metadata = {k: v for k, v in {"due_at": due, "subject": subject}.items() if v}
    failures = 0
    with (httpx.Client(base_url=ingest_url, headers={"X-API-Key": api_key}, timeout=60) as client,
          typer.progressbar(paths, label="gửi văn bản", hidden=len(paths) < 5) as bar):
        for path in bar:
            response = _send_one(client, path, metadata)
            failures += response.status_code not in (200, 202)
            typer.echo(json.dumps({"file": str(path), "http_status": response.status_code,
                                   **response.json()}, ensure_ascii=False))
    if failures:
        raise typer.Exit(1)


def respond(
    dispatch_id: Annotated[str, typer.Argument()],
    action: Annotated[ResponseAction, typer.Argument(help="acknowledge|progress|complete|"
                                                          "decline|transfer")],
    unit: Annotated[str, typer.Option(help="Your unit's code, e.g. QLTM.")],
    note: Annotated[str | None, typer.Option(help="Reply, or the reason.")] = None,
    to: Annotated[str | None, typer.Option(help="For decline/transfer: the unit to hand to.")]
    = None,
    tracker_url: Annotated[str, TRACKER_URL] = "http://127.0.0.1:8002",
    token: Annotated[str | None, typer.Option(envvar="VANTHU_UNIT_TOKEN")] = None,
    wait: Annotated[float, typer.Option(help="Seconds to wait for the outcome (applied or "
                                             "refused); 0: print only that it was accepted.")]
    = 0.0,
) -> None:
    """Post your unit's answer to an assignment (ack, progress, done, decline, transfer).

    202 means accepted for processing; with ``--wait`` a second line says whether it was applied
    or refused (and why), and a refusal exits non-zero.
    """
    token = token or os.environ.get(f"VANTHU_TOKEN_{unit.upper()}") or f"demo-{unit.lower()}-token"
    headers = {"Authorization": f"Bearer {token}"}
    response = httpx.post(
        f"{tracker_url}/dispatches/{dispatch_id}/units/{unit}/responses",
        json={k: v for k, v in {"action": action.value, "note": note, "transfer_to": to}.items()
              if v is not None},
        headers=headers, timeout=30)
    body = response.json()
    typer.echo(json.dumps({"http_status": response.status_code, **body}, ensure_ascii=False))
    if response.status_code != 202:
        raise typer.Exit(1)
    deadline = time.monotonic() + wait
    while wait > 0:
        outcome = httpx.get(f"{tracker_url}{body['result_url']}", headers=headers, timeout=30)
        result = outcome.json()
        if outcome.status_code != 200 or result.get("state") != "pending" \
                or time.monotonic() >= deadline:
            typer.echo(json.dumps({"http_status": outcome.status_code, **result},
                                  ensure_ascii=False))
            if result.get("state") != "applied":
                raise typer.Exit(1)
            return
        time.sleep(0.25)

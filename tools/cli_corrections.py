"""``vanthu corrections export [--since DATE] > labels.jsonl``: the Office's corrections as corpus labels.

Reads the tracker's ``GET /corrections`` as leadership (never its database) and prints one line per
corrected dispatch in the corpus's label format (``../shared/corpus/labels.jsonl``: ``file``,
``source`` and the parser's label keys): the parser's reading of the dispatch's text, with every
field the Office reviewed set to the reviewed value. With ``--texts DIR`` each dispatch's text is
written to ``DIR/<file>``, so the lines and the letters grow the corpus together.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

from services.ingest.parsing.model import LABEL_KEYS
from tools.cli_client import TRACKER_URL

corrections_app = typer.Typer(help="The Office's corrections of parsed fields (issue 18).",
                              no_args_is_help=True)
LIST_KEYS = ("recipients", "distribution", "deadlines", "referenced_documents")
Parse = Callable[[str], dict[str, Any] | None]


def read_labels(text: str) -> dict[str, Any] | None:
    """The parser's labels of ``text`` (None when it cannot be parsed)."""
    from services.ingest.parsing import ParseError, parse_text

    try:
        return parse_text(text).to_labels()
    except ParseError:
        return None


def label_line(item: Mapping[str, Any], parse: Parse = read_labels) -> dict[str, Any]:
    """One corpus line for a reviewed dispatch (an item of ``GET /corrections``). Pure but for
    ``parse``: the parser's reading of its text (or, without one, the tracker's fields), each
    reviewed field set to its value after the review, the latest review winning."""
    text = item.get("text")
    read = parse(text) if text else None
    fields: Mapping[str, Any] = item.get("fields") or {}
    labels = {key: (read or {}).get(key) if read is not None else fields.get(key)
              for key in LABEL_KEYS}
    reviewers = []
    for review in item.get("reviews") or []:
        if review.get("field") in LABEL_KEYS:
            labels[review["field"]] = review.get("after")
            reviewers.append(str(review.get("corrected_by") or "?"))
    for key in LIST_KEYS:
        labels[key] = labels.get(key) or []
    dispatch_id = str(item["dispatch_id"])
    who = ", ".join(dict.fromkeys(reviewers)) or "?"
    return {"file": f"{dispatch_id}.txt",
            "source": f"vanthu dispatch {dispatch_id}, reviewed by {who}", **labels}


@corrections_app.command("export")
def export(
    since: Annotated[str | None, typer.Option(
        help="Only reviews on or after this day (YYYY-MM-DD, Vietnam time).")] = None,
    texts: Annotated[Path | None, typer.Option(
        file_okay=False, help="Also write each dispatch's text to this folder as <file>.")] = None,
    tracker_url: Annotated[str, TRACKER_URL] = "http://127.0.0.1:8002",
    token: Annotated[str, typer.Option(envvar="VANTHU_LEADER_TOKEN",
                                       help="A leadership token of the tracker.")]
    = "demo-leader-token",
) -> None:
    """Print one labels.jsonl line per corrected dispatch (the corpus's format)."""
    response = httpx.get(f"{tracker_url}/corrections", params={"since": since} if since else None,
                         headers={"Authorization": f"Bearer {token}"}, timeout=60)
    if response.status_code != 200:
        typer.echo(json.dumps({"http_status": response.status_code, "answer": response.text[:500]},
                              ensure_ascii=False), err=True)
        raise typer.Exit(1)
    for item in response.json()["dispatches"]:
        line = label_line(item)
        if texts is not None and item.get("text"):
            texts.mkdir(parents=True, exist_ok=True)
            (texts / line["file"]).write_text(item["text"], encoding="utf-8")
        typer.echo(json.dumps(line, ensure_ascii=False))

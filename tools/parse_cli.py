"""Command line: ``parse FILE`` and ``eval-parse --docs DIR --labels FILE.jsonl``.

``parse_app`` is mounted into the main ``vanthu`` CLI; run standalone with
``python -m tools.parse_cli``.  This is the only module of the package
that reads files.
"""

from __future__ import annotations

import json
import mimetypes
from pathlib import Path
from typing import Annotated, Any

import typer

from services.ingest.parsing.edxml import read_edxml
from services.ingest.parsing.errors import ParseError
from services.ingest.parsing.files import extract_text
from services.ingest.parsing.model import ParsedDocument
from services.ingest.parsing.parser import parse_text
from tools.parse_evaluate import evaluate

parse_app = typer.Typer(help="Read Vietnamese administrative documents (công văn).")

EDXML_SUFFIXES = {".xml", ".edxml"}


def parse_file(path: Path) -> ParsedDocument:
    """Parse a text, PDF, DOCX or edXML file into a :class:`ParsedDocument`."""
    data = path.read_bytes()
    if path.suffix.lower() in EDXML_SUFFIXES:
        return read_edxml(data).to_parsed_document()
    content_type = mimetypes.guess_type(path.name)[0]
    return parse_text(extract_text(data, path.name, content_type))


def _dump(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


@parse_app.command("parse")
def parse_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Document file")],
    sources: Annotated[bool, typer.Option("--sources", help="Include spans and source sentences")] = False,
) -> None:
    """Print the fields extracted from FILE as JSON (keys as in the labels)."""
    try:
        document = parse_file(file)
    except ParseError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    _dump(document.to_dict_with_sources() if sources else document.to_labels())


@parse_app.command("eval-parse")
def eval_parse_command(
    docs: Annotated[Path, typer.Option(exists=True, file_okay=False, help="Folder of documents")],
    labels: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="labels.jsonl")],
) -> None:
    """Score the parser on DOCS against LABELS; prints one JSON object."""
    label_rows = [
        json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    parsed: dict[str, dict[str, Any] | None] = {}
    for row in label_rows:
        name = str(row.get("file"))
        try:
            parsed[name] = parse_file(docs / name).to_labels()
        except (ParseError, OSError):
            parsed[name] = None
    _dump(evaluate(parsed, label_rows))


if __name__ == "__main__":
    parse_app()

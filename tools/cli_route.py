"""``vanthu route FILE``: the router's decision for a document, with the reason, published nowhere.

Reads the file as ingest would (TXT, PDF, DOCX or edXML), lets the parser fill the fields, and asks
the router's rules — the same code the router service runs — who would handle it and by when.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from services.router.settings import RouterSettings
from shared.events import DispatchReceived


def route(
    file: Annotated[Path, typer.Argument(help="TXT, PDF, DOCX or edXML file.", exists=True)],
    received_at: Annotated[str | None, typer.Option(
        help="When it arrived (ISO, with timezone); default now.")] = None,
) -> None:
    """Print who would handle FILE (chủ trì, phối hợp), by when, and why — without publishing."""
    from services.ingest.dispatch_builder import merge_parsed
    from services.ingest.parsing import ParseError, parse_text
    from services.ingest.parsing.edxml import read_edxml
    from services.ingest.parsing.files import extract_text
    from services.router.decision import route as decide
    from services.router.rules import load_rules
    from services.router.translate import routing_input
    from shared.organisation import load_organisation

    data = file.read_bytes()
    try:
        if file.suffix.lower() in (".xml", ".edxml"):
            parsed, body = read_edxml(data).to_parsed_document(), None
        else:
            body = extract_text(data, file.name, None)
            parsed = parse_text(body)
    except ParseError as exc:
        typer.echo(json.dumps({"error": str(exc)}, ensure_ascii=False))
        raise typer.Exit(2) from exc
    fields = merge_parsed({}, parsed)
    fields.setdefault("subject", file.stem)
    event = DispatchReceived(dispatch_id=str(uuid.uuid4()), correlation_id="dry-run",
                             source_system="cli", body=body,
                             occurred_at=datetime.fromisoformat(received_at) if received_at
                             else datetime.now().astimezone(), **fields)
    settings = RouterSettings()
    organisation = load_organisation(settings.config_path(settings.organisation_file))
    rules = load_rules(settings.config_path(settings.router_rules_file), organisation)
    decision = decide(routing_input(event), organisation, rules, organisation.work_calendar())
    typer.echo(json.dumps(decision.model_dump(mode="json"), ensure_ascii=False, indent=2))

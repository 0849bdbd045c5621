"""Command line: ``parse FILE`` and ``eval-parse --docs DIR --labels FILE.jsonl [--scanned]
[--worst N]``.

``parse_app`` is mounted into the main ``vanthu`` CLI; run standalone with
``python -m tools.parse_cli``.  This is the only module of the package
that reads files.
"""

from __future__ import annotations

import json
import logging
import mimetypes
from pathlib import Path
from typing import Annotated, Any

import typer

from services.ingest.parsing.confidence import field_confidence
from services.ingest.parsing.errors import ParseError
from services.ingest.parsing.model import ParsedDocument
from services.ingest.parsing.reading import Reading, read_package, read_parsed
from tools.parse_evaluate import evaluate
from tools.scan_evaluate import evaluate_scanned

TRUST_STORE = Path("config/trust-store")

parse_app = typer.Typer(help="Read Vietnamese administrative documents (công văn).")

EDXML_SUFFIXES = {".xml", ".edxml"}


def parse_file(path: Path, trust_store: Path | None = TRUST_STORE) -> ParsedDocument:
    """Parse a text, PDF, DOCX, scanned (PDF, PNG, JPEG, TIFF) or edXML file into a
    :class:`ParsedDocument`; a PDF's signature is verified against ``trust_store``."""
    data = path.read_bytes()
    trust = str(trust_store) if trust_store else None
    if path.suffix.lower() in EDXML_SUFFIXES:
        document = read_package(data, trust=trust).parsed_document()
        assert document is not None
        return document
    content_type = mimetypes.guess_type(path.name)[0]
    return read_parsed(data, path.name, content_type, trust=trust)


def package_extras(reading: Reading) -> dict[str, Any]:
    """What ``parse`` prints for an edXML package besides the fields: each field's origin
    (envelope, or text/ocr with the attached file), DocumentId, urgency, exchange and files."""
    document = reading.parsed_document()
    origins = {name: origin.model_dump(mode="json", exclude_none=True)
               for name, origin in (document.origins.items() if document else [])}
    return {"origins": origins, "document_id": reading.document_id, "urgency": reading.urgency,
            "exchange": reading.exchange,
            "attachments": [{"name": f.name, "content_type": f.content_type, "size": len(f.data)}
                            for f in reading.files]}


def _dump(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


@parse_app.command("parse")
def parse_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Document file")],
    sources: Annotated[bool, typer.Option(
        "--sources", help="Include spans, source sentences, origin (text/ocr) and confidence")] = False,
    trust_store: Annotated[Path, typer.Option(
        help="Folder of CA certificates a PDF signature must chain to")] = TRUST_STORE,
) -> None:
    """Print the fields extracted from FILE as JSON (keys as in the labels), and its digital
    ``signature`` (status valid, untrusted, invalid or unsigned; signer, organisation, signed_at).
    An edXML package also gives each field's ``origins`` (envelope, or text/ocr and the attached
    file), ``document_id``, ``urgency``, ``exchange`` (business, acted_on, trace, envelope
    signature, ...) and its ``attachments``."""
    for name in ("pyhanko", "pyhanko_certvalidator"):  # the verdict says why; no traceback
        logging.getLogger(name).setLevel(logging.CRITICAL)
    package = None
    try:
        if file.suffix.lower() in EDXML_SUFFIXES:
            package = read_package(file.read_bytes(), trust=str(trust_store) if trust_store else None)
        document = package.parsed_document() if package else parse_file(file, trust_store)
    except ParseError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    assert document is not None
    fields = document.to_dict_with_sources() if sources else document.to_labels()
    if document.signature is not None:
        fields["signature"] = document.signature.model_dump(mode="json", exclude_none=True)
    _dump({**fields, **package_extras(package)} if package else fields)


@parse_app.command("eval-parse")
def eval_parse_command(
    docs: Annotated[Path, typer.Option(exists=True, file_okay=False, help="Folder of documents")],
    labels: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="labels.jsonl")],
    scanned: Annotated[bool, typer.Option(
        "--scanned", help="Also render each letter as a scan (200 dpi, rotated, blurred, "
        "speckled), read it back by OCR, score it, and give the scanned/text ratio")] = False,
    worst: Annotated[int, typer.Option(
        min=0, help="How many of the lowest-scoring letters to name, with their missed fields")] = 10,
) -> None:
    """Score the parser on DOCS against LABELS; prints one JSON object: per-field scores,
    ``overall``, the ``worst`` letters (expected vs parsed for each missed field), the
    ``doc_type_confusion`` (expected → parsed counts) and the ``confidence`` of right and wrong
    fields (mean, share below the review threshold)."""
    label_rows = [
        json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    if scanned:
        _dump(evaluate_scanned(docs, label_rows, lambda name: parse_file(docs / name).to_labels()))
        return
    parsed: dict[str, dict[str, Any] | None] = {}
    confidence: dict[str, dict[str, float]] = {}
    for row in label_rows:
        name = str(row.get("file"))
        try:
            document = parse_file(docs / name)
        except (ParseError, OSError):
            parsed[name] = None
            continue
        parsed[name], confidence[name] = document.to_labels(), field_confidence(document)
    _dump(evaluate(parsed, label_rows, worst, confidence))


if __name__ == "__main__":
    parse_app()

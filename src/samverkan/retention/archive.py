"""The archive export written before records that must be kept leave the live database:
a structured JSON file, validated against ``data/archive.schema.json`` (jsonschema-rs),
and a PDF/A made from an HTML template with WeasyPrint (as the consent form and the SIP
are). If the document does not validate or a file cannot be written, nothing is
removed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jsonschema_rs
from django.template.loader import render_to_string
from django.utils import timezone

from .registry import Candidate
from .schedule import Rule, Schedule

SCHEMA_PATH = Path(__file__).parent / "data" / "archive.schema.json"
FORMAT = "samverkan-arkiv/1"


class ArchiveInvalid(Exception):
    """The archive document does not follow the schema: nothing may be removed."""


@cache
def _validator():
    with SCHEMA_PATH.open(encoding="utf-8") as handle:
        schema = json.load(handle)
    return jsonschema_rs.validator_for(schema, validate_formats=True)


def errors(document: dict) -> list[str]:
    return [
        f"{'/'.join(map(str, e.instance_path))}: {e.message}"
        for e in _validator().iter_errors(document)
    ]


def validate(document: dict) -> None:
    found = errors(document)
    if found:
        raise ArchiveInvalid("; ".join(found[:10]))


def document(
    *, schedule: Schedule, rule: Rule, candidates: list[Candidate], contents: list[dict]
) -> dict:
    by_id = {c["id"]: c for c in contents}
    records = []
    for candidate in candidates:
        content = by_id[candidate.resource_id]
        records.append(
            {
                "id": candidate.resource_id,
                "subject_id": candidate.subject_id,
                "clock": candidate.clock.isoformat(),
                "title": content["title"],
                "fields": [
                    {"key": key, "label": label, "value": "" if value is None else str(value)}
                    for key, label, value in content["fields"]
                ],
            }
        )
    return {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "schedule": {"name": schedule.name, "version": schedule.version},
        "rule": {
            "code": rule.code,
            "record_type": rule.record_type,
            "title": rule.title,
            "decision": rule.decision,
            "keep_years": rule.keep_years,
            "counted_from": rule.counted_from,
        },
        "records": records,
    }


@dataclass(frozen=True)
class Written:
    json_path: Path
    pdf_path: Path
    sha256: str


def write(document: dict, directory: Path) -> Written:
    """Validate, then write ``<rule>-<time>.json`` and ``.pdf`` into ``directory``."""
    from weasyprint import HTML  # heavy: only when an archive is written

    validate(document)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%dT%H%M%S%f")
    stem = directory / f"{document['rule']['code']}-{stamp}"
    data = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    json_path = stem.with_suffix(".json")
    pdf_path = stem.with_suffix(".pdf")
    html = render_to_string("retention/archive_pdf.html", {"doc": document})
    pdf = HTML(string=html).write_pdf(pdf_variant="pdf/a-3b", pdf_tags=True)
    # Both files are written to temporary names and renamed, so that a crash never
    # leaves a half-written archive that looks complete.
    for path, content in ((json_path, data), (pdf_path, pdf)):
        partial = path.with_suffix(path.suffix + ".partial")
        partial.write_bytes(content)
        partial.replace(path)
    return Written(json_path=json_path, pdf_path=pdf_path, sha256=hashlib.sha256(data).hexdigest())

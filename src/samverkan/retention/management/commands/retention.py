"""``samverkan retention``: thin what has passed its time, legal holds, the archive and
the generated section of docs/legal.md.

    samverkan retention run [--dry-run] [--archive-dir DIR]
    samverkan retention hold add (--child PERSONNUMMER | --type RECORD_TYPE)
        --reason TEXT --by NAME [--reference DNR]
    samverkan retention hold release ID --reason TEXT --by NAME
    samverkan retention hold list
    samverkan retention doc [--write | --check]
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samverkan.core.errors import DomainError
from samverkan.retention import docs, services

STATUS = {
    "thinned": "gallrat",
    "dry_run": "skulle gallras",
    "kept": "bevaras",
    "partition": "gallras per månad (databasens ägare)",
    "no_record_type": "ingen posttyp i koden",
    "archive_failed": "MISSLYCKADES",
}


class Command(BaseCommand):
    help = "Gallring enligt gallringsplanen, spärrar mot gallring och arkivexport."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        run = sub.add_parser("run", help="Gallra det som passerat sin tid.")
        run.add_argument("--dry-run", action="store_true", help="Visa bara vad som skulle gallras.")
        run.add_argument(
            "--archive-dir",
            default=os.environ.get("SAMVERKAN_ARCHIVE_DIR", ""),
            help="Katalog för arkivexporten (JSON och PDF/A); standard SAMVERKAN_ARCHIVE_DIR.",
        )
        hold = sub.add_parser("hold", help="Spärrar mot gallring.")
        hold_sub = hold.add_subparsers(dest="hold_what", required=True)
        add = hold_sub.add_parser("add")
        add.add_argument("--child", default="", help="Barnets personnummer")
        add.add_argument("--type", default="", dest="record_type", help="Posttyp i gallringsplanen")
        add.add_argument("--reason", required=True)
        add.add_argument("--by", required=True, help="Vem som beslutar spärren")
        add.add_argument("--reference", default="", help="T.ex. diarienummer")
        release = hold_sub.add_parser("release")
        release.add_argument("id")
        release.add_argument("--reason", required=True)
        release.add_argument("--by", required=True)
        hold_sub.add_parser("list")
        doc = sub.add_parser("doc", help="Avsnittet om gallring i docs/legal.md.")
        doc.add_argument("--write", action="store_true")
        doc.add_argument("--check", action="store_true")

    def handle(self, *args, **options):
        try:
            getattr(self, f"_{options['what']}")(options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _run(self, options):
        archive_dir = Path(options["archive_dir"]) if options["archive_dir"] else None
        result = services.retention_run(dry_run=options["dry_run"], archive_dir=archive_dir)
        for r in result.rules:
            count = len(r.removed) if r.status == "thinned" else len(r.due)
            line = f"{r.rule.code}: {STATUS[r.status]}"
            if r.status in {"thinned", "dry_run", "archive_failed"}:
                line += f" {count} poster, {len(r.held)} spärrade"
            if r.archive:
                line += f", arkiv {r.archive.json_path} och {r.archive.pdf_path.name}"
            if r.message:
                line += f" – {r.message}"
            self.stdout.write(line)
        if result.failed:
            raise CommandError("Gallringen av minst en regel misslyckades; se ovan.")

    def _hold(self, options):
        what = options["hold_what"]
        if what == "add":
            hold = services.hold_place(
                placed_by=options["by"],
                reason=options["reason"],
                personal_number=options["child"],
                record_type=options["record_type"],
                reference=options["reference"],
            )
            self.stdout.write(
                f"Spärr {hold.public_id} gäller från {hold.placed_at:%Y-%m-%d %H:%M}."
            )
        elif what == "release":
            hold = services.hold_release(
                public_id=options["id"], released_by=options["by"], reason=options["reason"]
            )
            self.stdout.write(f"Spärr {hold.public_id} hävd {hold.released_at:%Y-%m-%d %H:%M}.")
        else:
            for hold in services.holds_active():
                scope = hold.record_type or "alla posttyper"
                child = f"barn {hold.subject_id}" if hold.subject_id else "alla barn"
                by = ", ".join(p for p in (hold.placed_by, hold.reference) if p)
                self.stdout.write(
                    f"{hold.public_id}  {hold.placed_at:%Y-%m-%d}  {scope}, {child}: "
                    f"{hold.reason} ({by})"
                )

    def _doc(self, options):
        path = docs.LEGAL_MD
        text = (
            path.read_text(encoding="utf-8") if path.exists() else "# Legal grounds and retention\n"
        )
        if options["write"]:
            path.write_text(docs.replaced(text), encoding="utf-8")
            self.stdout.write(f"{path} uppdaterad.")
        elif options["check"]:
            if docs.current(text) != docs.section():
                raise CommandError(
                    f"{path} stämmer inte med gallringsplanen: "
                    "kör `samverkan retention doc --write`."
                )
            self.stdout.write("docs/legal.md stämmer med gallringsplanen.")
        else:
            self.stdout.write(docs.section())

"""``samverkan legal``: the catalogue of legal grounds.

samverkan legal check               validate data/grounds.yaml
samverkan legal catalogue record    store the file's version in the history
samverkan legal catalogue as-of DAY the grounds that applied on DAY (YYYY-MM-DD)
samverkan legal doc [--write | --check]
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from samverkan.legal import catalogue, docs, history
from samverkan.legal.models import CatalogueChange


class Command(BaseCommand):
    help = "Katalogen över rättsliga grunder: kontroll, historik och dokumentation."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        sub.add_parser("check", help="Kontrollera grounds.yaml mot schemat.")
        cat = sub.add_parser("catalogue", help="Katalogens historik.")
        cat_sub = cat.add_subparsers(dest="how", required=True)
        cat_sub.add_parser("record", help="Spara filens version i historiken.")
        as_of = cat_sub.add_parser("as-of", help="Grunderna som gällde en viss dag.")
        as_of.add_argument("day")
        doc = sub.add_parser("doc", help="Avsnittet i docs/legal.md.")
        mode = doc.add_mutually_exclusive_group()
        mode.add_argument("--write", action="store_true")
        mode.add_argument("--check", action="store_true")

    def handle(self, *args, what, **options):
        try:
            if what == "check":
                data = catalogue.from_file()
                self.stdout.write(
                    f"{data.name} {data.version}: {len(data.grounds)} grunder, giltig."
                )
            elif what == "catalogue":
                self._catalogue(options)
            else:
                self._doc(options)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc

    def _catalogue(self, options):
        if options["how"] == "record":
            row = history.record()
            if isinstance(row, CatalogueChange):
                self.stdout.write(
                    f"Filens version {row.data['version']} väntar på granskning: kommunen har "
                    "egna fastställda ändringar (se /rattsliga-grunder/andringar/)."
                )
                return
            self.stdout.write(
                f"Version {row.version} (antagen {row.adopted_on}) finns i historiken."
            )
            return
        try:
            day = datetime.date.fromisoformat(options["day"])
        except ValueError as exc:
            raise CommandError("Skriv dagen som ÅÅÅÅ-MM-DD.") from exc
        answer = history.as_of(day)
        if answer is None:
            raise CommandError("Ingen version av katalogen finns i historiken.")
        version, grounds = answer
        self.stdout.write(f"{day}: katalog version {version.version}")
        for ground in grounds:
            self.stdout.write(f"  {ground.code}: {ground.name} ({ground.statute_text})")

    def _doc(self, options):
        text = docs.LEGAL_MD.read_text(encoding="utf-8")
        new = docs.replaced(text)
        if options["write"]:
            docs.LEGAL_MD.write_text(new, encoding="utf-8")
            self.stdout.write(f"Skrev {docs.LEGAL_MD}")
        elif options["check"]:
            if new != text:
                raise CommandError("docs/legal.md stämmer inte med grounds.yaml: kör --write.")
            self.stdout.write("docs/legal.md stämmer med grounds.yaml.")
        else:
            self.stdout.write(docs.section())

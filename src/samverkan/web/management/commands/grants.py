"""`samverkan grants`: after every `samverkan migrate`, as the owner role, give the
application role its privileges again and keep the audit tables append-only for it
(the statements of ``config/sql/grants.sql``), then show the check
(``config/sql/check_grants.sql``). PostgreSQL only; docs/operations.md."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

SQL = Path(__file__).resolve().parents[3] / "config" / "sql"
ALLOWED_ON_AUDIT = {"SELECT", "INSERT"}


def statements(name: str) -> list[str]:
    text = "\n".join(
        line for line in (SQL / name).read_text().splitlines() if not line.lstrip().startswith("--")
    )
    return [part.strip() for part in text.split(";") if part.strip()]


class Command(BaseCommand):
    help = (
        "Ger applikationsrollen (samverkan_app) rättigheter efter en migrering; loggtabellerna "
        "får den bara läsa och lägga till i. Körs som ägarrollen. Bara PostgreSQL."
    )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("SQLite: det finns inga databasroller att ge rättigheter.")
            return
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements("grants.sql"):
                cursor.execute(statement)
            cursor.execute(statements("check_grants.sql")[0])
            rows = cursor.fetchall()
        wrong = [(t, p) for t, p, has in rows if has != (p in ALLOWED_ON_AUDIT)]
        for table, privilege, has in rows:
            self.stdout.write(f"{table:18} {privilege:10} {'ja' if has else 'nej'}")
        if wrong:
            raise CommandError(
                "Applikationsrollen har fel rättigheter på loggtabellerna: "
                + ", ".join(f"{t} {p}" for t, p in wrong)
            )
        self.stdout.write(
            self.style.SUCCESS("Rättigheterna är satta. Loggen är bara läs och lägg till.")
        )

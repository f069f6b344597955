"""`samverkan grants`: after every `samverkan migrate`, as the owner role, give the
application role its privileges again and keep the audit tables and their monthly
partitions append-only for it (the statements of ``config/sql/grants.sql``), then run
and show the checks (``config/sql/check_grants.sql``). PostgreSQL only;
docs/operations.md."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

SQL = Path(__file__).resolve().parents[3] / "config" / "sql"
ALLOWED_ON_AUDIT = {"SELECT", "INSERT"}
DEFAULT_APP_ROLE = "samverkan_app"
# A plain PostgreSQL identifier: the name goes into the statements as written.
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def statements(name: str, app_role: str = DEFAULT_APP_ROLE) -> list[str]:
    """The SQL statements of ``config/sql/<name>``, with psql's ``:"app_role"`` and
    ``:'app_role'`` filled in; comments and psql's own commands (``\\if``…) left out."""
    if not ROLE_NAME.fullmatch(app_role):
        raise CommandError(f"Ogiltigt rollnamn: {app_role!r} (små bokstäver, siffror och _).")
    text = "\n".join(
        line
        for line in (SQL / name).read_text().splitlines()
        if not line.lstrip().startswith(("--", "\\"))
    )
    text = text.replace(':"app_role"', f'"{app_role}"').replace(":'app_role'", f"'{app_role}'")
    return [part.strip() for part in text.split(";") if part.strip()]


class Command(BaseCommand):
    help = (
        "Ger applikationsrollen rättigheter efter en migrering; loggtabellerna och deras "
        "månadsdelar får den bara läsa och lägga till i. Körs som ägarrollen. Bara PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--app-role",
            default=DEFAULT_APP_ROLE,
            help=f"Applikationsrollens namn (standard: {DEFAULT_APP_ROLE}).",
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("SQLite: det finns inga databasroller att ge rättigheter.")
            return
        role = options["app_role"]
        audit_check, partition_check = statements("check_grants.sql", role)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(f"Rollen {role} finns inte i databasservern.")
            for statement in statements("grants.sql", role):
                cursor.execute(statement)
            cursor.execute(audit_check)
            rows = cursor.fetchall()
            cursor.execute(partition_check)
            writable_partitions = cursor.fetchall()
        wrong = [(t, p) for t, p, has in rows if has != (p in ALLOWED_ON_AUDIT)]
        wrong += writable_partitions
        for table, privilege, has in rows:
            self.stdout.write(f"{table:18} {privilege:10} {'ja' if has else 'nej'}")
        if wrong:
            raise CommandError(
                f"Applikationsrollen {role} har fel rättigheter på loggtabellerna: "
                + ", ".join(f"{t} {p}" for t, p in wrong)
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Rättigheterna är satta för {role}. Loggen och dess månadsdelar är bara "
                "läs och lägg till."
            )
        )

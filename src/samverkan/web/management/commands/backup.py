from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from samverkan.web import backup


class Command(BaseCommand):
    help = (
        "Säkerhetskopia av hela databasen: 'create <fil>' skriver en kopia (gzip-komprimerad "
        "JSON, fungerar mellan SQLite och PostgreSQL), 'restore <fil>' läser in den i en ny, "
        "nyss migrerad databas och kontrollerar loggkedjan. Se docs/operations.md."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        create = sub.add_parser("create", help="Skriv en säkerhetskopia till en ny fil.")
        create.add_argument("file")
        restore = sub.add_parser(
            "restore", help="Återställ en säkerhetskopia till en ny, migrerad databas."
        )
        restore.add_argument("file")
        for parser_ in (create, restore):
            parser_.add_argument(
                "--database",
                default=DEFAULT_DB_ALIAS,
                help="Vilken databasanslutning (standard: den i DATABASE_URL).",
            )

    def handle(self, *args, subcommand, file, database, **options):
        try:
            if subcommand == "create":
                header = backup.backup_create(file, using=database)
                total = sum(header["counts"].values())
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Säkerhetskopian är skriven till {file}: {total} rader i "
                        f"{len(header['counts'])} tabeller. Den innehåller personuppgifter: "
                        "förvara den krypterat och åtkomstbegränsat."
                    )
                )
                return
            result = backup.backup_restore(file, using=database)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        chain = result.chain
        summary = (
            f"Återställde {result.objects} rader i {len(result.counts)} tabeller från "
            f"{file} (gjord {result.header.get('created_at')}). Loggkedjan: "
            f"{chain.checked} loggrader, slut nr {chain.head_seq}, hash {chain.head_hash}, "
            f"ej inlänkade {chain.unsealed}."
        )
        for note in chain.notes:
            self.stdout.write(self.style.WARNING(note))
        if result.witnesses:
            summary += (
                f" Vittnena har fått veta var kedjan nu slutar: {', '.join(result.witnesses)}."
            )
        if not chain.ok:
            for problem in chain.problems:
                self.stderr.write(self.style.ERROR(problem.message))
            raise CommandError(
                f"{summary} Loggkedjan i säkerhetskopian är INTE hel: {len(chain.problems)} "
                "fel. Databasen är återställd som kopian var; utred felen."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary} Loggen är hel. Jämför kedjans slut med era sparade ankare."
            )
        )

import time

from django.core.management.base import BaseCommand, CommandError

from samverkan.audit import partitions, services, verify, witness


class Command(BaseCommand):
    help = (
        "Loggen: 'verify' kontrollerar hashkedjan mot sig själv och vittnena, 'seal' länkar "
        "nya rader in i kedjan, 'partitions' visar och skapar månadspartitionerna."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        check = sub.add_parser(
            "verify",
            help="Kontrollera att ingen loggrad ändrats eller raderats. Länkar aldrig in något.",
        )
        check.add_argument(
            "--workers",
            type=int,
            default=verify.default_workers(),
            help="Databasanslutningar som kontrollerar månader parallellt (PostgreSQL).",
        )
        check.add_argument(
            "--witness",
            action="append",
            default=[],
            metavar="FIL",
            help="Jämför också med detta vittne (t.ex. loggserverns kopia av syslog).",
        )
        check.add_argument(
            "--no-seal",
            action="store_true",
            help="Utan verkan: verify länkar aldrig in väntande rader (finns kvar för skript).",
        )
        seal = sub.add_parser("seal", help="Länka in väntande loggrader i hashkedjan.")
        seal.add_argument("--loop", action="store_true", help="Fortsätt tills processen stoppas.")
        seal.add_argument("--interval", type=float, default=2.0, help="Sekunder mellan varven.")
        sub.add_parser(
            "partitions",
            help="Visa loggens månadspartitioner (PostgreSQL) och skapa de som saknas.",
        )

    def handle(self, *args, subcommand, **options):
        try:
            if subcommand == "seal":
                self._seal(options["loop"], options["interval"])
            elif subcommand == "partitions":
                self._partitions()
            else:
                self._verify(options["workers"], options["witness"])
        except witness.WitnessError as exc:
            raise CommandError(str(exc)) from exc

    def _seal(self, loop: bool, interval: float):
        head = services.head_witness()  # a new witness learns the head at once
        if head:
            self.stdout.write(f"Vittnena har kedjans slut: nr {head[0]}.")
        while True:
            sealed = services.seal_pending()
            if sealed or not loop:
                self.stdout.write(f"Länkade in {sealed} loggrader.")
            if not loop:
                return
            time.sleep(interval)

    def _partitions(self):
        if not partitions.is_partitioned():
            self.stdout.write("Loggen är inte partitionerad (SQLite: en tabell).")
            return
        for table in partitions.ensure():
            self.stdout.write(f"Skapade {table}.")
        for part in partitions.partitions():
            size = part.bytes / 1024 / 1024
            rows = "?" if part.events < 0 else f"~{part.events}"
            self.stdout.write(f"{part.label}  {rows} rader  {size:.1f} MiB")
        self.stdout.write(f"Månader i förväg: {partitions.months_ahead()}.")

    def _verify(self, workers: int, extra: list[str]):
        witnesses = [w for w in witness.configured() if w.readable]
        witnesses += [witness.FileWitness(path) for path in extra]
        started = time.monotonic()
        result = services.chain_verify(workers=max(1, workers), witnesses=witnesses)
        seconds = time.monotonic() - started
        if not witness.configured() and not extra:
            result.notes.insert(
                0,
                "Inget vittne är inställt: kontrollen kan inte upptäcka att de senaste "
                "loggraderna raderats eller att hela kedjan skrivits om "
                "(docs/operations.md, Vittnen).",
            )
        for problem in result.problems:
            self.stderr.write(self.style.ERROR(problem.message))
        if result.more_problems:
            self.stderr.write(self.style.ERROR(f"… och {result.more_problems} fel till."))
        for note in result.notes:
            self.stdout.write(self.style.WARNING(note))
        rate = result.checked / seconds if seconds else 0
        rate_text = f"{rate:,.0f}".replace(",", "\u202f")
        witnessed = (
            f" Vittnen: {', '.join(result.witnesses)} (senast sedda länk: nr "
            f"{result.witnessed_seq})."
            if result.witnesses
            else ""
        )
        summary = (
            f"Kontrollerade {result.checked} loggrader. Kedjans slut: nr {result.head_seq}, "
            f"hash {result.head_hash}. Ej inlänkade: {result.unsealed}.{witnessed} "
            f"({seconds:.1f} s, {rate_text} rader/s)"
        )
        if not result.ok:
            raise CommandError(f"Loggen är manipulerad: {result.problem_count} fel. {summary}")
        self.stdout.write(self.style.SUCCESS(f"Loggen är hel. {summary}"))

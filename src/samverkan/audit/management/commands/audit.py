import time

from django.core.management.base import BaseCommand, CommandError

from samverkan.audit import services


class Command(BaseCommand):
    help = "Loggen: 'verify' kontrollerar hashkedjan, 'seal' länkar nya rader in i kedjan."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser(
            "verify", help="Kontrollera att ingen loggrad ändrats eller raderats."
        )
        verify.add_argument(
            "--no-seal", action="store_true", help="Länka inte in väntande rader först."
        )
        seal = sub.add_parser("seal", help="Länka in väntande loggrader i hashkedjan.")
        seal.add_argument("--loop", action="store_true", help="Fortsätt tills processen stoppas.")
        seal.add_argument("--interval", type=float, default=2.0, help="Sekunder mellan varven.")

    def handle(self, *args, subcommand, **options):
        if subcommand == "seal":
            self._seal(options["loop"], options["interval"])
        else:
            self._verify(seal_first=not options["no_seal"])

    def _seal(self, loop: bool, interval: float):
        while True:
            sealed = services.seal_pending()
            if sealed or not loop:
                self.stdout.write(f"Länkade in {sealed} loggrader.")
            if not loop:
                return
            time.sleep(interval)

    def _verify(self, seal_first: bool):
        if seal_first:
            services.seal_pending()
        result = services.chain_verify()
        for problem in result.problems:
            self.stderr.write(self.style.ERROR(problem.message))
        summary = (
            f"Kontrollerade {result.checked} loggrader. Kedjans slut: nr {result.head_seq}, "
            f"hash {result.head_hash}. Ej inlänkade: {result.unsealed}."
        )
        if not result.ok:
            raise CommandError(f"Loggen är manipulerad: {len(result.problems)} fel. {summary}")
        self.stdout.write(self.style.SUCCESS(f"Loggen är hel. {summary}"))

"""`samverkan sharing_grants rebuild|check`: the sharing grants (decision 0090)."""

import time

from django.core.management.base import BaseCommand, CommandError

from samverkan.consent import grants


class Command(BaseCommand):
    help = (
        "Delningsgrunder från samtycken: 'rebuild' räknar om alla (t.ex. efter ändrad "
        "SAMVERKAN_CONSENT_CHILD_OWN_AGE), 'check' jämför dem med samtyckesreglerna."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("rebuild", help="Räkna om delningsgrunderna för alla samtycken.")
        sub.add_parser(
            "check",
            help="Pröva varje samtycke med reglerna, nu och kring varje start och slut, "
            "och jämför med de lagrade delningsgrunderna.",
        )

    def handle(self, *args, subcommand, **options):
        started = time.monotonic()
        if subcommand == "rebuild":
            written = grants.rebuild()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Räknade om delningsgrunderna: {written} rader "
                    f"({time.monotonic() - started:.1f} s)."
                )
            )
            return
        stale = grants.stale_count()
        checked, mismatches = grants.check()
        for mismatch in mismatches[:50]:
            self.stderr.write(
                self.style.ERROR(
                    f"Samtycke {mismatch.consent_public_id} vid {mismatch.at.isoformat()}: "
                    f"reglerna säger {'gäller' if mismatch.rules_say else 'gäller inte'}, "
                    f"delningsgrunderna {'gäller' if mismatch.grants_say else 'gäller inte'}."
                )
            )
        summary = f"Prövade {checked} samtycken ({time.monotonic() - started:.1f} s)."
        if stale:
            summary += f" {stale} rader räknades med en annan åldersgräns."
        if mismatches or stale:
            raise CommandError(
                f"Delningsgrunderna stämmer inte med reglerna: {len(mismatches)} fel. {summary} "
                "Kör 'samverkan sharing_grants rebuild'."
            )
        self.stdout.write(self.style.SUCCESS(f"Delningsgrunderna stämmer. {summary}"))

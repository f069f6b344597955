"""`samverkan sweep`: the periodic work, meant to run every few minutes from cron or a
systemd timer (docs/operations.md). Safe to run concurrently and repeatedly."""

from django.core.management.base import BaseCommand

from samverkan.audit import services as audit
from samverkan.concerns import services as concerns
from samverkan.consent import services as consent
from samverkan.meetings import services as meetings
from samverkan.plans import services as plans


class Command(BaseCommand):
    help = "Periodiskt arbete: länka in loggrader, påminnelser och bevakning av samtycken."

    def handle(self, *args, **options):
        sealed = audit.seal_pending()
        counts = consent.consents_sweep()
        self.stdout.write(
            f"Loggrader inlänkade: {sealed}. Samtycken: {counts['expiry_reminder']} "
            f"påminnelser, {counts['expired']} utgångna, {counts['context_lapsed']} som "
            "måste förnyas efter ändrad karaktär."
        )
        plan_counts = plans.plans_sweep()
        self.stdout.write(f"SIP: {plan_counts['reminders']} påminnelser om uppföljning.")
        concern_counts = concerns.concerns_sweep()
        self.stdout.write(f"Orosanmälningar: {concern_counts['reminders']} påminnelser om frister.")
        meeting_counts = meetings.meetings_sweep()
        self.stdout.write(
            f"Samverkansforum: {meeting_counts['generated']} nya möten, "
            f"{meeting_counts['reminded']} påminnelser om åtgärder."
        )

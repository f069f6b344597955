"""`samverkan sweep`: the periodic work, run once by hand. `samverkan worker` runs the same
tasks on their schedules (web/tasks.py, decision 0190); this command stays for a manual
run, e.g. after a restore. Safe to run concurrently and repeatedly."""

from django.core.management.base import BaseCommand

from samverkan.audit import services as audit
from samverkan.web import tasks


class Command(BaseCommand):
    help = "Periodiskt arbete: länka in loggrader, påminnelser och bevakning av samtycken."

    def handle(self, *args, **options):
        sealed = audit.seal_pending()
        counts = tasks.consents()
        self.stdout.write(
            f"Loggrader inlänkade: {sealed}. Samtycken: {counts['expiry_reminder']} "
            f"påminnelser, {counts['expired']} utgångna, {counts['context_lapsed']} som "
            "måste förnyas efter ändrad karaktär."
        )
        plan_counts = tasks.plans_follow_ups()
        self.stdout.write(
            f"SIP: {plan_counts['reminders']} påminnelser om uppföljning, "
            f"{plan_counts['first_meeting_clocks']} frister för första mötet lagda."
        )
        concern_counts = tasks.concerns_deadlines()
        self.stdout.write(
            f"Orosanmälningar: {concern_counts['delivered']} frister lagda i inkorgen."
        )
        meeting_counts = tasks.meetings_cadence()
        self.stdout.write(
            f"Samverkansforum: {meeting_counts['generated']} nya möten, "
            f"{meeting_counts['reminded']} påminnelser om åtgärder."
        )
        clock_counts = tasks.inbox_clocks()
        self.stdout.write(
            f"Inkorg: {clock_counts['reminders']} påminnelser, "
            f"{clock_counts['escalations']} eskaleringar till chef."
        )
        sms_counts = tasks.sms_outbox()
        self.stdout.write(
            f"SMS: {sms_counts['sms_sent']} skickade, {sms_counts['sms_failed']} misslyckade."
        )

"""`samverkan worker`: the task runner (django-q2, decision 0190). Writes the periodic
schedules into the database (web/tasks.py) and runs the scheduled and queued tasks
until stopped (SIGTERM/SIGINT). Run one next to the web processes; more are safe."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from samverkan.web import tasks


class Command(BaseCommand):
    help = (
        "Kör bakgrundsjobben: påminnelser, frister, eskalering och e-post enligt "
        "schemat i databasen."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedules-only",
            action="store_true",
            help="Skriv bara in schemat i databasen och avsluta.",
        )

    def handle(self, *args, schedules_only=False, **options):
        count = tasks.schedules_ensure()
        self.stdout.write(f"Schemalagda jobb: {count}.")
        if schedules_only:
            return
        from django_q.cluster import Cluster

        Cluster().start()

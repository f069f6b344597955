"""`samverkan demo`: migrate a local SQLite database, load the demo world once, and
serve it on http://127.0.0.1:8000 with the audit sealer and the task worker (`samverkan
worker`: reminders, deadlines, escalation, e-mail) running alongside."""

import os
import signal
import subprocess  # nosec B404: starts this package's own worker, no user input
import sys
import threading
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from samverkan.audit import services as audit
from samverkan.demo import world


def _sealer(stop: threading.Event, interval: float) -> None:
    while not stop.wait(interval):
        try:
            audit.seal_pending()
        except Exception as exc:
            print(f"Loggkedjan kunde inte förseglas just nu: {exc}")
        finally:
            close_old_connections()
            connection.close()


class Command(BaseCommand):
    help = "Starta Samverkan med demodata på http://127.0.0.1:8000 (SQLite i mappen data/)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--no-serve", action="store_true", help="Förbered databasen men starta ingen server."
        )
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="Ladda demovärlden utan ett års genererad historik (webbläsartesterna).",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Starta ingen bakgrundsprocess för påminnelser och e-post.",
        )

    def handle(self, *args, port, host, no_serve, no_worker=False, no_history=False, **options):
        db = settings.DATABASES["default"]
        if db["ENGINE"].endswith("sqlite3"):
            Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
            self.stdout.write(f"Databas: {db['NAME']}")
        call_command("migrate", interactive=False, verbosity=0)
        if world.exists():
            self.stdout.write("Demovärlden finns redan i databasen.")
        else:
            self.stdout.write("Laddar demovärlden …")
            world.load(history=not no_history)
        sealed = audit.seal_pending()
        self.stdout.write(f"Loggkedjan: {sealed} nya rader inlänkade.")
        password = settings.SAMVERKAN.get("DEMO_PASSWORD")
        self.stdout.write(
            self.style.SUCCESS(
                f"\nSamverkan körs på http://{host}:{port}/\n"
                f"Logga in med till exempel 'frida' (rektor, Frejaskolan), 'karin' (kurator), "
                f"'sofia' (socialsekreterare), 'lena' (läkare, BUP) eller 'gustav' "
                f"(granskare).\nAlla demoanvändare har lösenordet '{password}'. "
                "Hela listan finns på inloggningssidan.\n"
            )
        )
        if no_serve:
            return
        stop = threading.Event()
        thread = threading.Thread(target=_sealer, args=(stop, 2.0), daemon=True)
        thread.start()
        worker = None
        # Stopped with SIGTERM (a service manager, the browser tests): leave through the
        # finally below, so the worker stops with the server.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        if not no_worker:
            # The same settings and database as this process (the environment is inherited).
            worker = subprocess.Popen(  # nosec B603: fixed arguments, this interpreter
                [sys.executable, "-m", "samverkan", "worker"], env=dict(os.environ)
            )
            self.stdout.write(f"Bakgrundsjobben körs (process {worker.pid}).")
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False, verbosity=1)
        finally:
            stop.set()
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    worker.kill()

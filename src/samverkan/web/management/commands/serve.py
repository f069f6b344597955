"""`samverkan serve`: the web processes, as one command (gunicorn with defaults from
the settings; docs/operations.md). The audit sealer runs next to it
(`samverkan audit seal --loop`), and later the task worker (`samverkan worker`)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Startar webbprocesserna (gunicorn) med inställningarna från miljön. Kör "
        "'samverkan audit seal --loop' bredvid."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        serve = settings.SAMVERKAN_SERVE
        parser.add_argument("--bind", default=serve["BIND"], help=f"Standard: {serve['BIND']}.")
        parser.add_argument("--workers", type=int, default=serve["WORKERS"])
        parser.add_argument("--threads", type=int, default=serve["THREADS"])
        parser.add_argument("--timeout", type=int, default=serve["TIMEOUT"])
        parser.add_argument(
            "--skip-checks",
            action="store_true",
            help="Starta utan att först kontrollera inställningar och migreringar.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Skriv ut gunicorn-kommandot och avsluta."
        )

    def handle(self, *args, **options):
        if settings.DEBUG:
            self.stderr.write(
                self.style.WARNING(
                    "Utvecklingsinställningar (DEBUG). I drift: "
                    "DJANGO_SETTINGS_MODULE=samverkan.config.settings.prod."
                )
            )
        if not options["skip_checks"]:
            call_command("check", deploy=not settings.DEBUG, fail_level="ERROR")
            try:
                call_command("migrate", check=True, plan=False, verbosity=0)
            except SystemExit as exc:
                raise CommandError(
                    "Databasen har migreringar som inte är körda. Kör 'samverkan migrate' "
                    "(med ägarrollen) först."
                ) from exc
        env = dict(os.environ)
        env["DJANGO_SETTINGS_MODULE"] = os.environ.get(
            "DJANGO_SETTINGS_MODULE", "samverkan.config.settings.prod"
        )
        env.setdefault(
            "PROMETHEUS_MULTIPROC_DIR",
            str(Path(tempfile.gettempdir()) / f"samverkan-metrics-{os.getuid()}"),
        )
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "samverkan.config.wsgi:application",
            "--config",
            "python:samverkan.web.gunicorn_conf",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--threads",
            str(options["threads"]),
            "--timeout",
            str(options["timeout"]),
            "--graceful-timeout",
            str(settings.SAMVERKAN_SERVE["GRACEFUL_TIMEOUT"]),
            "--forwarded-allow-ips",
            settings.SAMVERKAN_SERVE["FORWARDED_ALLOW_IPS"],
            "--name",
            "samverkan",
        ]
        tls = settings.SAMVERKAN_SERVE
        if tls["TLS_CERT"] or tls["TLS_KEY"]:
            if not (tls["TLS_CERT"] and tls["TLS_KEY"]):
                raise CommandError("Ange både SAMVERKAN_TLS_CERT och SAMVERKAN_TLS_KEY.")
            command += ["--certfile", tls["TLS_CERT"], "--keyfile", tls["TLS_KEY"]]
        if options["dry_run"]:
            self.stdout.write(" ".join(command))
            return
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(sys.executable, command, env)  # noqa: S606  # nosec B606

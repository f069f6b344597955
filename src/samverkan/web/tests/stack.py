"""The production stack on a scratch database, for the journey and browser tests:
`samverkan migrate`, `collectstatic`, `setup`, then `samverkan serve` (gunicorn, the
production settings, HTTPS with a self-signed certificate) and `samverkan audit seal
--loop`, as docs/operations.md says, plus the test OpenID provider. The database
follows ``DATABASE_URL``: a new SQLite file, or a new PostgreSQL database next to the
configured one (dropped afterwards). pytest-django's test database is not used."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import dj_database_url
import psycopg
import requests

from . import oidc

SAMVERKAN = [sys.executable, "-m", "samverkan"]


@dataclass
class Stack:
    base_url: str
    cert: str
    env: dict
    folder: Path
    provider: oidc.Provider
    processes: list = field(default_factory=list)

    def command(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603
            [*SAMVERKAN, *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=check,
            timeout=600,
        )

    def shell_json(self, code: str):
        """Run Python inside `samverkan shell` on the stack's database; its last line
        printed is JSON."""
        result = self.command("shell", "-c", code)
        return json.loads(result.stdout.strip().splitlines()[-1])

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _certificate(folder: Path) -> tuple[str, str]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(  # noqa: S603
        [
            shutil.which("openssl") or "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)


@contextlib.contextmanager
def _database(folder: Path, sqlite_template: Path | None) -> Iterator[str]:
    configured = os.environ.get("DATABASE_URL")
    if not configured:
        if sqlite_template is not None:
            shutil.copy(sqlite_template, folder / "samverkan.sqlite3")
        yield f"sqlite:///{folder / 'samverkan.sqlite3'}"
        return
    config = dj_database_url.parse(configured)
    name = f"samverkan_stack_{secrets.token_hex(4)}"
    admin = psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield configured.rsplit("/", 1)[0] + f"/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _wait(url: str, cert: str, processes, folder: Path) -> None:
    deadline = time.monotonic() + 300  # a busy machine boots workers slowly
    while time.monotonic() < deadline:
        for process, name in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{name} stopped:\n{(folder / f'{name}.log').read_text()}")
        try:
            if requests.get(f"{url}/healthz", verify=cert, timeout=5).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"samverkan serve did not answer:\n{(folder / 'web.log').read_text()}")


@contextlib.contextmanager
def production_stack(
    *,
    setup_args: list[str],
    accounts: dict[str, dict],
    static_root: Path | None = None,
    sqlite_template: Path | None = None,
) -> Iterator[Stack]:
    """``static_root``: a folder shared by several stacks of one test run, so that
    `collectstatic` (slow: it compresses every file) runs once. ``sqlite_template``: on
    SQLite, a migrated database file to start from (web/tests/scratch.py), so that the
    documented `migrate` finds nothing left to do instead of costing a migration per
    run; on PostgreSQL the stack's new database is migrated in full."""
    folder = Path(tempfile.mkdtemp(prefix="samverkan-stack-"))
    port = oidc.free_port()
    base_url = f"https://127.0.0.1:{port}"
    try:
        cert, key = _certificate(folder)
        with (
            _database(folder, sqlite_template) as database_url,
            oidc.running_provider(
                redirect_uris=[f"{base_url}/logga-in/e-legitimation/svar/"],
                post_logout_redirect_uris=[f"{base_url}/logga-in/"],
                accounts=accounts,
                backchannel_logout_uri=f"{base_url}/logga-in/e-legitimation/utloggning/",
                trust_certificate=cert,
            ) as provider,
        ):
            env = {
                **{k: v for k, v in os.environ.items() if not k.startswith("SAMVERKAN_")},
                "DJANGO_SETTINGS_MODULE": "samverkan.config.settings.prod",
                "SAMVERKAN_SECRET_KEY": secrets.token_urlsafe(64),
                "DATABASE_URL": database_url,
                "SAMVERKAN_DATA_DIR": str(folder / "data"),
                "SAMVERKAN_STATIC_ROOT": str(static_root or folder / "static"),
                "SAMVERKAN_ALLOWED_HOSTS": "127.0.0.1",
                "SAMVERKAN_BASE_URL": base_url,
                "SAMVERKAN_BIND": f"127.0.0.1:{port}",
                "SAMVERKAN_WEB_WORKERS": "2",
                # Importing 200 staff is one request; a busy test machine is slow.
                "SAMVERKAN_WEB_TIMEOUT": "300",
                "SAMVERKAN_TLS_CERT": cert,
                "SAMVERKAN_TLS_KEY": key,
                "SAMVERKAN_OIDC_ISSUER": provider.issuer,
                "SAMVERKAN_OIDC_CLIENT_ID": oidc.CLIENT_ID,
                "SAMVERKAN_OIDC_CLIENT_SECRET": oidc.CLIENT_SECRET,
                "SAMVERKAN_METRICS_TOKEN": "stack-metrics-token",
                "PROMETHEUS_MULTIPROC_DIR": str(folder / "metrics"),
            }
            stack = Stack(base_url, cert, env, folder, provider)
            stack.command("migrate", "--noinput")
            if static_root is None or not (static_root / "staticfiles.json").exists():
                stack.command("collectstatic", "--noinput")
            stack.command(*setup_args)
            for name, args in (("web", ["serve"]), ("sealer", ["audit", "seal", "--loop"])):
                with open(folder / f"{name}.log", "wb") as log:
                    process = subprocess.Popen(  # noqa: S603
                        [*SAMVERKAN, *args], env=env, stdout=log, stderr=subprocess.STDOUT
                    )
                stack.processes.append((process, name))
            try:
                _wait(base_url, cert, stack.processes, folder)
                yield stack
            finally:
                for process, _ in stack.processes:
                    process.terminate()
                for process, _ in stack.processes:
                    try:
                        process.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        process.kill()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

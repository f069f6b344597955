"""The real application on localhost for the browser tests.

``DemoTemplate`` prepares a database with the demo world once per test session, exactly
as a user would (``samverkan demo --no-serve``); on SQLite once per test run, shared by
the test workers (web/tests/scratch.py). ``DemoServer`` copies that database and
serves it with ``samverkan demo --port N`` (Django's development settings, the audit
sealer running alongside), so every test module starts from a fresh demo world.

The database follows ``DATABASE_URL``: without it (or with SQLite) each server gets its
own SQLite file in a temporary folder; with PostgreSQL the template is a database of its
own and every server a ``CREATE DATABASE ... TEMPLATE`` copy, all dropped afterwards.
The test database pytest-django creates is never touched.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import dj_database_url

from .. import scratch

SETTINGS = "samverkan.config.settings.dev"
# Generous: on a loaded machine the first request (migrations checked, templates
# compiled) can take over a minute; a healthy start answers in seconds.
START_TIMEOUT = 180.0


def _base_env() -> dict[str, str]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS
    env["PYTHONUNBUFFERED"] = "1"
    # The server logs each request; keep its log readable.
    env.setdefault("SAMVERKAN_LOG_LEVEL", "WARNING")
    # Log in with user name and password only (two-step verification is tested elsewhere).
    env["SAMVERKAN_REQUIRE_2FA"] = "0"
    return env


def _samverkan(*args: str) -> list[str]:
    return [sys.executable, "-m", "samverkan", *args]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Postgres:
    """Create and drop scratch databases next to the one DATABASE_URL names."""

    def __init__(self, url: str):
        self.url = url
        self.config = dj_database_url.parse(url)

    def _admin(self):
        import psycopg

        return psycopg.connect(
            dbname="postgres",
            user=self.config.get("USER") or None,
            password=self.config.get("PASSWORD") or None,
            host=self.config.get("HOST") or None,
            port=self.config.get("PORT") or None,
            autocommit=True,
        )

    def create(self, name: str, *, template: str | None = None) -> str:
        with self._admin() as conn:
            sql = f'CREATE DATABASE "{name}"'
            if template:
                sql += f' TEMPLATE "{template}"'
            conn.execute(sql)
        return self.url_for(name)

    def drop(self, name: str) -> None:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def url_for(self, name: str) -> str:
        base, _, _ = self.url.rpartition("/")
        return f"{base}/{name}"


def _postgres() -> _Postgres | None:
    url = os.environ.get("DATABASE_URL", "")
    return _Postgres(url) if url.startswith(("postgres://", "postgresql://")) else None


class DemoTemplate:
    """A database with the demo world, loaded once and copied for every server."""

    def __init__(self, workdir: Path, tmp_path_factory):
        self.workdir = workdir
        self.tmp_path_factory = tmp_path_factory
        self.pg = _postgres()
        self.name = f"samverkan_browser_{os.getpid()}_{secrets.token_hex(3)}"
        self.data_dir = workdir / "template"
        self._copies: list[str] = []

    def env(self) -> dict[str, str]:
        env = _base_env()
        env["SAMVERKAN_DATA_DIR"] = str(self.data_dir)
        if self.pg:
            env["DATABASE_URL"] = self.pg.url_for(self.name)
        else:
            env.pop("DATABASE_URL", None)
        return env

    def prepare(self) -> None:
        self.data_dir.mkdir(parents=True)
        (self.data_dir / "static").mkdir()
        if self.pg:
            self.pg.create(self.name)
            self._load_demo(self.env())
        else:
            # Once per run: from a copy of the run's migrated database, in a folder of
            # its own; every worker then copies the result.
            def make(folder: Path) -> None:
                scratch.copy_into(scratch.migrated(self.tmp_path_factory), folder)
                self._load_demo({**self.env(), "SAMVERKAN_DATA_DIR": str(folder)})

            shared = scratch.made_once(self.tmp_path_factory, "demo-world", make)
            scratch.copy_into(shared, self.data_dir)

    def _load_demo(self, env: dict[str, str]) -> None:
        # Without the year of history: the browser tests read the demo world as its
        # story tells it (docs/governance.md, Demo).
        scratch.run_command(["demo", "--no-serve", "--no-history"], env)

    def copy(self, label: str) -> dict[str, str]:
        """A fresh copy of the demo database; returns the environment to serve it."""
        data_dir = Path(tempfile.mkdtemp(prefix=f"{label}-", dir=self.workdir))
        (data_dir / "static").mkdir()
        env = _base_env()
        env["SAMVERKAN_DATA_DIR"] = str(data_dir)
        if self.pg:
            name = f"{self.name}_{len(self._copies)}"
            env["DATABASE_URL"] = self.pg.create(name, template=self.name)
            self._copies.append(name)
        else:
            env.pop("DATABASE_URL", None)
            shutil.copy(self.data_dir / "samverkan.sqlite3", data_dir / "samverkan.sqlite3")
        return env

    def cleanup(self) -> None:
        if self.pg:
            for name in [*self._copies, self.name]:
                try:
                    self.pg.drop(name)
                except Exception as exc:  # pragma: no cover - best effort at teardown
                    print(f"warning: could not drop {name}: {exc}", file=sys.stderr)


class DemoServer:
    """``samverkan demo --port N`` on a copy of the template; stopped by ``stop()``."""

    def __init__(
        self,
        template: DemoTemplate,
        label: str,
        *,
        worker: bool = False,
        env: dict[str, str] | None = None,
    ):
        self.env = {**template.copy(label), **(env or {})}
        # The task worker only where a module needs it (it is four processes).
        self.worker = worker
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(self.env["SAMVERKAN_DATA_DIR"]) / "server.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> DemoServer:
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            _samverkan(
                "demo",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                *([] if self.worker else ["--no-worker"]),
            ),
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the demo server exited early:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=2) as response:  # noqa: S310 - localhost
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the demo server did not answer within {START_TIMEOUT}s:\n{self.log()}")

    def log(self) -> str:
        try:
            return self.log_path.read_text()[-5000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "_log", None):
            self._log.close()

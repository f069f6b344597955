"""Shared fixtures.

The demo world (src/samverkan/demo/world.py) is loaded once per test session, right
after the test database is created, and every test runs inside a transaction that is
rolled back. ``world`` hands a test fresh handles to that data, so nothing a test does
(in the database or on the handles) leaks into the next test.

Do not use ``transactional_db`` / ``transaction=True``: it flushes the database after
the test and the demo world would be gone for the tests that follow.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.apps import apps
from django.test import Client
from django.utils import translation

from samverkan.demo import world as demo_world


def _configured_name() -> str:
    from django.conf import settings

    return _CONFIGURED.setdefault("default", settings.DATABASES["default"]["NAME"])


# The default database's name as configured, taken before any test database is made
# (pytest_configure below): a test database is in use exactly when the connection's name
# differs from it (``test_<name>`` on PostgreSQL, a shared in-memory name on SQLite).
_CONFIGURED: dict[str, str] = {}


def _test_database_in_use(connection) -> bool:
    return connection.settings_dict["NAME"] != _configured_name()


def pytest_configure(config):
    _configured_name()
    # WhiteNoise warns that STATIC_ROOT does not exist until collectstatic has run; the
    # tests serve no static files.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts and ends in the default language (Swedish). A request in English
    (a language cookie or Accept-Language) leaves English active in the thread, since
    LocaleMiddleware does not reset it, and the next test would read English messages."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache(monkeypatch):
    """Every test starts with an empty cache: the abuse limits count there
    (core/limits.py), so one test's requests must not use up the next one's. And
    django-ratelimit's clock stands still during a test: it counts in fixed windows by
    the wall clock (staggered per key), so a slow machine could let a test's requests
    straddle the end of a window and start counting afresh."""
    import time
    import types

    import django_ratelimit.core
    from django.core.cache import cache

    now = float(int(time.time()))
    monkeypatch.setattr(django_ratelimit.core, "time", types.SimpleNamespace(time=lambda: now))
    cache.clear()
    yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.db import connection

    if not _test_database_in_use(connection):
        return  # no chosen test uses ``db`` (e.g. only ``concurrent_db`` tests)
    with django_db_blocker.unblock():
        if not demo_world.exists():  # --reuse-db keeps it between runs
            demo_world.load()  # password: settings.SAMVERKAN['DEMO_PASSWORD']


def _world_from_db() -> demo_world.World:
    # Through the app registry: outside an app's tests/ nothing imports its models
    # (import-linter contracts in pyproject.toml).
    Organisation = apps.get_model("directory", "Organisation")
    Unit = apps.get_model("directory", "Unit")
    Membership = apps.get_model("directory", "Membership")
    Child = apps.get_model("people", "Child")
    loaded = demo_world.World()
    loaded.organisations = {o.name: o for o in Organisation.objects.select_related("principal")}
    loaded.units = {u.name: u for u in Unit.objects.select_related("organisation")}
    usernames = [row[0] for row in demo_world.STAFF]
    for membership in Membership.objects.select_related(
        "user", "organisation", "unit", "function"
    ).filter(user__username__in=usernames):
        loaded.users[membership.user.username] = membership.user
        loaded.memberships[membership.user.username] = membership
    loaded.children = {c.first_name.lower(): c for c in Child.objects.all()}
    return loaded


@pytest.fixture
def world(db) -> demo_world.World:
    """The demo world: ``world.users["frida"]``, ``world.children["melwin"]``,
    ``world.actor("sofia")`` ..."""
    return _world_from_db()


@pytest.fixture
def login(world) -> Callable[[str], Client]:
    """``login("frida")`` gives a test client with a session for that demo user."""

    def _login(username: str) -> Client:
        client = Client()
        client.force_login(world.users[username])
        return client

    return _login


@pytest.fixture
def api_token(world) -> Callable[[str], str]:
    """``api_token("frida")`` creates a bearer token for the user's demo membership."""
    from samverkan.directory.services import token_create

    def _token(username: str) -> str:
        _, token = token_create(actor=None, membership=world.memberships[username])
        return token

    return _token


@pytest.fixture
def api(api_token) -> Callable[[str | None], Client]:
    """``api("frida")`` gives a client that sends frida's bearer token; ``api(None)``
    one that sends none."""

    def _api(username: str | None) -> Client:
        if username is None:
            return Client()
        return Client(headers={"Authorization": f"Bearer {api_token(username)}"})

    return _api


_CSRF = re.compile(
    r'(name="csrfmiddlewaretoken" value=")[^"]+|("X-CSRFToken": ")[^"]+|(nonce=")[^"]+'
    r'|(name="submission_key" value=")[^"]+'
)


@pytest.fixture
def page_text() -> Callable:
    """``page_text(response)``: the rendered page with its per-request random parts
    (CSRF tokens, one-time form keys) blanked out, so that two responses can be
    compared for equality."""

    def _text(response) -> str:
        return _CSRF.sub(
            lambda m: (m.group(1) or m.group(2) or m.group(3) or m.group(4)) + "…", response.text
        )

    return _text


# Real concurrency ---------------------------------------------------------------------
# Requests that race need committed data and a connection each, which the test's own
# rolled-back transaction cannot give (and ``transaction=True`` would flush the demo
# world, see above). So on PostgreSQL the session clones the test database once, with the
# demo world, and ``concurrent_db`` points every connection (of every thread) at the
# clone for one test; the clone is dropped at the end. On SQLite the test database lives
# in memory, so the clone is a file (SQLite's backup, in WAL mode as in production):
# there one writer commits at a time (``transaction_mode`` IMMEDIATE), but the requests
# still overlap (reads, and each waits for the lock), so check-then-insert races show.


def _admin_sql(settings_dict: dict, *statements: str) -> None:
    import psycopg

    params = {
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "dbname": "postgres",
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


@pytest.fixture(scope="session")
def _concurrent_database(django_db_setup, django_db_blocker):
    from django.db import connection, connections
    from django.test.utils import setup_databases, teardown_databases

    if connection.vendor == "sqlite":
        yield from _sqlite_clone(django_db_blocker, setup_databases, teardown_databases)
        return

    with django_db_blocker.unblock():
        made = None
        if not _test_database_in_use(connection):
            # Only tests without ``db`` were chosen, so pytest-django made no test
            # database: make it here (migrated; the demo world is not needed).
            made = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        source = connection.settings_dict["NAME"]
        clone = f"{source}_concurrent"[:63]
        connections.close_all()
        _admin_sql(
            connection.settings_dict,
            f'DROP DATABASE IF EXISTS "{clone}" WITH (FORCE)',
            f'CREATE DATABASE "{clone}" TEMPLATE "{source}"',
        )
    yield clone
    with django_db_blocker.unblock():
        connections.close_all()
        _admin_sql(connection.settings_dict, f'DROP DATABASE IF EXISTS "{clone}" WITH (FORCE)')
        if made is not None:
            teardown_databases(made, verbosity=0)


def _sqlite_clone(django_db_blocker, setup_databases, teardown_databases):
    """The SQLite test database copied into a file (the backup API), which every thread
    opens on its own; a connection of our own keeps the in-memory original alive."""
    import sqlite3
    import tempfile
    from pathlib import Path

    from django.db import connection, connections

    with django_db_blocker.unblock():
        made = None
        if not _test_database_in_use(connection):
            made = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        connection.ensure_connection()
        source = connection.settings_dict["NAME"]
        keep = sqlite3.connect(source, uri=True) if connection.is_in_memory_db() else None
        folder = tempfile.TemporaryDirectory(prefix="samverkan-concurrent-")
        clone = str(Path(folder.name) / "concurrent.sqlite3")
        target = sqlite3.connect(clone)
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
        target.close()
    yield clone
    with django_db_blocker.unblock():
        connections.close_all()
        if keep is not None:
            keep.close()
        folder.cleanup()
        if made is not None:
            teardown_databases(made, verbosity=0)


@pytest.fixture
def concurrent_db(_concurrent_database, django_db_blocker):
    """Committed data and one connection per thread, on a clone of the test database.
    Use it instead of ``db``; build the test's world with the factories."""
    from django.db import connections

    aliases = [a for a in ("default", "replica") if a in connections.settings]
    with django_db_blocker.unblock():
        saved = {alias: connections.settings[alias]["NAME"] for alias in aliases}
        connections.close_all()
        for alias in aliases:
            connections.settings[alias]["NAME"] = _concurrent_database
            connections[alias].settings_dict["NAME"] = _concurrent_database
        # SQLite closes no connection to an in-memory database: now that the name is the
        # clone's, this closes the one to the original too.
        connections.close_all()
        try:
            yield
        finally:
            connections.close_all()
            for alias, name in saved.items():
                connections.settings[alias]["NAME"] = name
                connections[alias].settings_dict["NAME"] = name


@pytest.fixture
def race() -> Callable:
    """``race(n, fn)``: calls ``fn(i)`` in ``n`` threads released at the same moment;
    returns the results in order (an exception is returned, not raised). Fails when the
    calls did not overlap (at most one in flight at any moment: no race at all)."""
    import itertools
    import threading
    import time

    from django.db import connections

    def _race(n: int, fn: Callable) -> list:
        barrier = threading.Barrier(n)
        results: list = [None] * n
        spans: list = [None] * n

        def run(i: int) -> None:
            try:
                barrier.wait()
                started = time.monotonic()
                try:
                    results[i] = fn(i)
                finally:
                    spans[i] = (started, time.monotonic())
            except Exception as exc:  # reported to the test, which asserts on it
                results[i] = exc
            finally:
                connections.close_all()

        threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        done = sorted(span for span in spans if span is not None)
        overlapping = any(b[0] < a[1] for a, b in itertools.pairwise(done))
        assert n < 2 or overlapping, "the calls ran one after another: nothing raced"
        return results

    return _race

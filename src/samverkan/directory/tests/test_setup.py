"""`samverkan setup` asked at a terminal (the flags are walked by the production-stack
journey, web/tests/browser/test_production_stack.py): on a new, empty database the command asks its
questions, creates the first huvudman, organisation and system administrator, each in
the audit log, and a second run is refused. Run as a person would, in a terminal (a
pseudo-terminal), on a scratch SQLite file: a copy of the run's one migrated database
(web/tests/scratch.py), migrated again as the documented steps say (nothing to do)."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time

import pytest

from samverkan.directory.tests.factories import staff_personnummer
from samverkan.web.tests import scratch

# It does not use the configured database (a scratch SQLite file of its own,
# whatever DATABASE_URL says):
# CI runs it once (decision 0358).
pytestmark = pytest.mark.db_independent

SAMVERKAN = [sys.executable, "-m", "samverkan"]
PNR = staff_personnummer(141)


def _at_terminal(args: list[str], answers: list[str], env: dict) -> tuple[int, str]:
    """Run with a terminal as stdin and stdout; type ``answers`` one per question."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(  # noqa: S603
        [*SAMVERKAN, *args], stdin=follower, stdout=follower, stderr=follower, env=env
    )
    os.close(follower)
    output, pending = b"", list(answers)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed: the command ended
                break
            output += chunk
            # A question ends with ": " (and its default in brackets); answer it.
            if pending and output.rstrip(b" ").endswith((b":", b"]:")):
                os.write(leader, pending.pop(0).encode() + b"\n")
        elif process.poll() is not None:
            break
    process.wait(timeout=30)
    os.close(leader)
    return process.returncode, output.decode(errors="replace")


def test_setup_asks_at_the_terminal_and_creates_the_first_administrator(tmp_path, tmp_path_factory):
    env = scratch.command_env(tmp_path)
    scratch.copy_into(scratch.migrated(tmp_path_factory), tmp_path)
    subprocess.run([*SAMVERKAN, "migrate", "--noinput", "-v", "0"], env=env, check=True)  # noqa: S603
    answers = [
        "Provkommun",  # huvudman
        "",  # type: the default, kommun
        "Provkommunens IT-enhet",
        "",  # type: the default, annan
        "Petra",
        "Provsson",
        "petra",
        "petra@provkommun.example",
        PNR,
        "",  # HSA-id: none
    ]
    status, output = _at_terminal(["setup"], answers, env)
    assert status == 0, output
    assert "Huvudmannens namn" in output and "Typ av huvudman" in output
    assert "Klart. Petra Provsson (petra) är systemadministratör i Provkommunens IT-enhet" in output
    assert "med e-legitimation" in output

    summary = subprocess.run(  # noqa: S603
        [
            *SAMVERKAN,
            "shell",
            "-c",
            "import json\n"
            "from django.apps import apps\n"
            "m = apps.get_model('directory', 'Membership').objects.get()\n"
            "rows = apps.get_model('audit', 'AuditEvent').objects.filter(action='create')\n"
            "print(json.dumps({'function': m.function.code,"
            " 'kind': m.organisation.principal.kind, 'org_type': m.organisation.org_type,"
            " 'personnummer': m.user.staff_identity.personnummer,"
            " 'password': m.user.has_usable_password(),"
            " 'created': sorted(rows.values_list('resource_type', flat=True))}))",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    made = json.loads(summary.stdout.strip().splitlines()[-1])
    assert made == {
        "function": "systemadministrator",
        "kind": "kommun",
        "org_type": "annan",
        "personnummer": PNR,
        "password": False,  # e-legitimation only
        "created": ["auth.user", "directory.organisation", "directory.principal"],
    }

    again = subprocess.run(  # noqa: S603
        [*SAMVERKAN, "setup", "--no-input", "--principal", "Annan"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert again.returncode != 0
    assert "redan installerat" in again.stderr

"""SQLite databases made once per test run by the real commands, copied where needed.

Migrating a new SQLite file costs about 40 seconds of CPU, and loading the demo world
into it about as much again. The suite needs such files in several places: the setup
command's test and the production stack on SQLite need a migrated, empty database, and
the browser tests need the demo world, once in every test worker. Each file is made
once per run by the first worker that asks, under a lock the workers of one run share
(a folder beside their own temporary folders, named after pytest-xdist's run id); the
others wait for it and copy it. Without pytest-xdist the folder is in the run's own
temporary folder, so nothing is ever reused from an earlier run.

The files are made as a user would make them (``samverkan migrate``, ``samverkan demo
--no-serve``), so a test that starts from a copy starts from what the commands make.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

FILE = "samverkan.sqlite3"


def command_env(data_dir: Path) -> dict[str, str]:
    """The environment of a command on the SQLite database in ``data_dir``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAMVERKAN_")}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["SAMVERKAN_DATA_DIR"] = str(data_dir)
    return env


def run_command(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "-m", "samverkan", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"samverkan {' '.join(args)} failed:\n{result.stdout}{result.stderr}")


def _shared_folder(tmp_path_factory) -> Path:
    base = tmp_path_factory.getbasetemp()
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    folder = base.parent / f"shared-{run}" if run else base / "shared"
    folder.mkdir(exist_ok=True)
    return folder


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def made_once(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """The database file ``make(folder)`` writes into ``folder``, made once per run.

    ``make`` gets an empty data folder (with ``static/``) and must leave ``FILE`` in it.
    Only a finished folder is ever renamed into place, so a failed attempt is made again
    by the next caller instead of being copied half-made.
    """
    shared = _shared_folder(tmp_path_factory)
    done = shared / name
    with _locked(shared / f"{name}.lock"):
        if not (done / FILE).exists():
            work = shared / f"{name}.partial"
            shutil.rmtree(work, ignore_errors=True)
            (work / "static").mkdir(parents=True)
            make(work)
            work.rename(done)
    return done / FILE


def migrated(tmp_path_factory) -> Path:
    """A SQLite database with every migration applied and nothing else in it."""
    return made_once(
        tmp_path_factory,
        "migrated",
        lambda folder: run_command(["migrate", "--noinput", "-v", "0"], command_env(folder)),
    )


def copy_into(source: Path, folder: Path) -> Path:
    """Copy the database file ``source`` into the data folder ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(source, folder / FILE))

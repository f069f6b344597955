"""Witnesses of the chain head: places outside the database where the sealer writes
every new head of the audit chain, so that `samverkan audit verify` can tell a chain
that was cut short or rewritten (by someone who could drop the append-only triggers)
from the chain that was really sealed. See docs/operations.md#witnesses-of-the-chain-head
and decision 0101.

Two kinds, both configured in the environment (``SAMVERKAN["AUDIT_WITNESS_FILE"]``,
``SAMVERKAN["AUDIT_WITNESS_SYSLOG"]``):

- a **file**, opened with ``O_APPEND`` for every entry and synced to disk; put it on
  another volume than the database and make it append-only (``chattr +a``), so that
  neither the database's owner nor the application's own user can rewrite it;
- **syslog**, for a central log server that the database's administrators cannot
  change. ``verify`` reads the server's copy with ``--witness <file>``.

An entry is one line of JSON after the marker ``samverkan-audit-witness``::

    samverkan-audit-witness {"kind":"head","seq":1234,"hash":"48d0…","at":"2026-11-30T…Z"}

``kind`` is ``head`` (written by the sealer) or ``restore`` (written by ``samverkan
backup restore``: the database was replaced by a copy that ends at ``seq``; links the
witness saw after it were lost with the restore, and are reported as such).
"""

from __future__ import annotations

import datetime
import json
import os
import re
import syslog
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

MARKER = "samverkan-audit-witness"
_LINE = re.compile(re.escape(MARKER) + r"\s+(\{.*\})\s*$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Entry:
    """One line of a witness: the chain had link ``seq`` with ``hash`` at ``at``."""

    kind: str  # "head" or "restore"
    seq: int
    hash: str
    at: str
    line: int  # 1-based line number in the witness, for messages
    details: dict


class WitnessError(Exception):
    """A witness that cannot be written or read; the message says why, in Swedish."""


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _line(kind: str, seq: int, hash_: str, **details) -> str:
    entry = {"kind": kind, "seq": seq, "hash": hash_, "at": _now(), **details}
    return f"{MARKER} {json.dumps(entry, ensure_ascii=False, separators=(',', ':'))}\n"


class FileWitness:
    """An append-only file. Each entry is written with one ``write()`` on a descriptor
    opened with ``O_APPEND`` and synced before the call returns."""

    readable = True

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    @property
    def name(self) -> str:
        return f"filen {self.path}"

    def record(self, kind: str, seq: int, hash_: str, **details) -> None:
        data = _line(kind, seq, hash_, **details).encode("utf-8")
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        except OSError as exc:
            raise WitnessError(f"Vittnesfilen {self.path} kan inte öppnas: {exc}") from exc
        try:
            written = os.write(fd, data)
            if written != len(data):
                raise WitnessError(f"Vittnesfilen {self.path}: bara {written} byte skrevs.")
            os.fsync(fd)
        except OSError as exc:
            raise WitnessError(f"Vittnesfilen {self.path} kan inte skrivas: {exc}") from exc
        finally:
            os.close(fd)

    def exists(self) -> bool:
        return self.path.exists()

    def entries(self) -> Iterator[Entry | str]:
        """The entries in file order; a line that is not a valid entry is yielded as a
        message (str). Lines without the marker (other syslog traffic) are skipped."""
        try:
            stream = self.path.open("r", encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return
        except OSError as exc:
            raise WitnessError(f"Vittnesfilen {self.path} kan inte läsas: {exc}") from exc
        with stream:
            for number, text in enumerate(stream, start=1):
                if MARKER not in text:
                    continue
                parsed = _parse(text, number)
                if parsed is not None:
                    yield parsed


def _parse(text: str, number: int) -> Entry | str | None:
    match = _LINE.search(text)
    try:
        data = json.loads(match.group(1)) if match else None
    except json.JSONDecodeError:
        data = None
    if (
        not isinstance(data, dict)
        or data.get("kind") not in ("head", "restore")
        or not isinstance(data.get("seq"), int)
        or data["seq"] < 0
        or not isinstance(data.get("hash"), str)
        or not _HEX64.match(data["hash"])
    ):
        return f"rad {number} är ingen giltig post"
    details = {k: v for k, v in data.items() if k not in ("kind", "seq", "hash", "at")}
    return Entry(data["kind"], data["seq"], data["hash"], str(data.get("at", "")), number, details)


class SyslogWitness:
    """Entries sent to the local syslog daemon, which forwards them to a log server
    (configure that in rsyslog/journald). Not readable back from here: check the log
    server's copy with ``samverkan audit verify --witness <file>``."""

    readable = False

    def __init__(self, facility: str = "LOG_AUTHPRIV"):
        self.facility = getattr(syslog, facility, syslog.LOG_AUTHPRIV)

    @property
    def name(self) -> str:
        return "syslog"

    def record(self, kind: str, seq: int, hash_: str, **details) -> None:
        syslog.openlog("samverkan", syslog.LOG_PID, self.facility)
        syslog.syslog(syslog.LOG_NOTICE, _line(kind, seq, hash_, **details).rstrip("\n"))


def configured() -> list[FileWitness | SyslogWitness]:
    """The witnesses the settings name (none in the test settings unless a test sets
    one)."""
    conf = settings.SAMVERKAN
    witnesses: list[FileWitness | SyslogWitness] = []
    if conf.get("AUDIT_WITNESS_FILE"):
        witnesses.append(FileWitness(conf["AUDIT_WITNESS_FILE"]))
    if conf.get("AUDIT_WITNESS_SYSLOG"):
        witnesses.append(SyslogWitness(conf.get("AUDIT_WITNESS_SYSLOG_FACILITY", "LOG_AUTHPRIV")))
    return witnesses


def record_head(seq: int, hash_: str) -> None:
    """Write a new chain head to every configured witness. Raises WitnessError, so
    that a sealer whose witness is gone stops loudly instead of sealing unwitnessed."""
    for witness in configured():
        witness.record("head", seq, hash_)


def record_restore(seq: int, hash_: str, **details) -> list[str]:
    """After a restore: the chain now ends at ``seq``. Returns the witnesses written."""
    names = []
    for witness in configured():
        witness.record("restore", seq, hash_, **details)
        names.append(witness.name)
    return names

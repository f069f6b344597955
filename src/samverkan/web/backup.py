"""Backup and restore of the whole database as a portable logical dump: `samverkan
backup create <file>` and `samverkan backup restore <file>` (docs/operations.md).

The file is gzip-compressed JSON lines: a header (format, versions, the migrations the
database had, the number of rows per table), then every row of every table in Django's
serialisation format (``{"model", "pk", "fields"}``, primary keys kept, timestamps to the
microsecond), then a closing line. Being logical, it moves between SQLite and
PostgreSQL. The audit tables are copied row for row, so the hash chain stays valid.

A restore goes into a new database on which `samverkan migrate` has been run and
nothing else: the migrations must be the same as in the backup, and every table must
be empty except those that `migrate` fills by itself (``PRELOADED``), whose rows are
replaced by the backup's. Everything happens in one transaction: a restore that fails
leaves the database as it was. Afterwards the row counts are compared with the header,
the foreign keys checked and the audit chain verified.
"""

from __future__ import annotations

import datetime
import decimal
import getpass
import gzip
import json
import os
import socket
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model

import samverkan
from samverkan.audit import lag as audit_lag
from samverkan.audit import services as audit
from samverkan.audit import witness as audit_witness
from samverkan.audit.models import Action

FORMAT = "samverkan-backup"
VERSION = 1
RESOURCE = "database.backup"

# Not backed up: sessions and which provider login opened them (after a restore
# everyone logs in again), and the sealer's last pass (it describes the chain of the
# database it was written in; a restore removes it, decision 0371).
SKIPPED = frozenset({"sessions.session", "directory.providersession", "audit.sealerstate"})

# Tables that `samverkan migrate` fills in a new database: content types and
# permissions (after every migrate) and the data migrations' standard functions,
# information categories, purposes and knowledge catalogue. A restore replaces their
# rows with the backup's; every other table must be empty. A new data migration that
# fills another table adds it here (web/tests/test_backup.py checks the list against a
# freshly migrated database).
PRELOADED = frozenset(
    {
        "contenttypes.contenttype",
        "auth.permission",
        "directory.function",
        "consent.informationcategory",
        "consent.purpose",
        "knowledge.actorprofile",
        "knowledge.concept",
        "knowledge.factor",
        "knowledge.method",
        "knowledge.checklistsuggestion",
        "knowledge.entryversion",
        "knowledge.searchdocument",
        "legal.catalogueversion",
        "governance.survey",
        "governance.surveyquestion",
    }
)

BATCH = 1000


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, in Swedish."""


@dataclass
class RestoreResult:
    objects: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    header: dict = field(default_factory=dict)
    chain: audit.VerifyResult | None = None
    witnesses: list[str] = field(default_factory=list)  # told where the chain now ends


def label(model: type[Model]) -> str:
    return model._meta.label_lower


def backed_up_models() -> list[type[Model]]:
    """Every table the product has, in a stable order (the app registry's)."""
    return [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and label(model) not in SKIPPED
    ]


def applied_migrations(using: str) -> list[str]:
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


class _Encoder(json.JSONEncoder):
    """Like Django's JSON encoder, but keeps timestamps to the microsecond (Django's
    rounds to milliseconds, which would change the audit rows' hashes)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.date | datetime.time):
            return o.isoformat()
        if isinstance(o, datetime.timedelta):
            return o.total_seconds()
        if isinstance(o, decimal.Decimal | uuid.UUID):
            return str(o)
        if isinstance(o, bytes | memoryview):
            raise TypeError("binary fields are not supported")
        return super().default(o)


def _line(value: dict) -> bytes:
    return (json.dumps(value, cls=_Encoder, ensure_ascii=False) + "\n").encode("utf-8")


# Create ----------------------------------------------------------------------------------


def _rows(model: type[Model], using: str) -> Iterator[dict]:
    queryset = model._base_manager.using(using).order_by("pk")
    m2m = [
        f.name for f in model._meta.local_many_to_many if f.remote_field.through._meta.auto_created
    ]
    if m2m:
        queryset = queryset.prefetch_related(*m2m)
    chunk: list[Model] = []
    for obj in queryset.iterator(chunk_size=BATCH):
        chunk.append(obj)
        if len(chunk) >= BATCH:
            yield from serializers.serialize("python", chunk)
            chunk = []
    if chunk:
        yield from serializers.serialize("python", chunk)


def backup_create(path: str | os.PathLike, *, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Write the whole database to ``path`` (gzip-compressed JSON lines, readable only
    by the owner). Returns the header. The backup is an export of every record: it is
    written to the audit log first, so the backup holds its own row."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"Filen {path} finns redan. Välj ett nytt filnamn.")
    directory = path.resolve().parent
    if not directory.is_dir():
        raise BackupError(f"Mappen {directory} finns inte.")
    connection = connections[using]
    with transaction.atomic(using=using):
        audit.event_record(
            using=using,
            actor=None,
            action=Action.EXPORT,
            resource_type=RESOURCE,
            details={"file": path.name, "by": _who()},
        )
    if using == DEFAULT_DB_ALIAS:
        audit.seal_pending()  # so that the copy's chain ends with its own row
    models = backed_up_models()
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    tmp = Path(tmp_name)
    # Inside a transaction the caller opened (a test), the isolation level is fixed
    # already; only an outermost transaction of our own may set it.
    outermost = not connection.in_atomic_block
    try:
        os.chmod(tmp, 0o600)
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql" and outermost:
                # Every table as of the same moment, and nothing written meanwhile.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            header = {
                "format": FORMAT,
                "version": VERSION,
                "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
                "samverkan": samverkan.__version__,
                "django": django.get_version(),
                "database": connection.vendor,
                "migrations": applied_migrations(using),
                "counts": {
                    label(model): model._base_manager.using(using).count() for model in models
                },
            }
            total = 0
            with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb") as out:
                out.write(_line(header))
                for model in models:
                    for row in _rows(model, using):
                        out.write(_line(row))
                        total += 1
                out.write(_line({"end": True, "objects": total}))
        if total != sum(header["counts"].values()):
            raise BackupError("Antalet rader ändrades under säkerhetskopieringen. Försök igen.")
        tmp.rename(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return header


def _who() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "?"
    return f"{user}@{socket.gethostname()}"


# Restore ---------------------------------------------------------------------------------


def _read(path: Path) -> Iterator[dict]:
    try:
        with gzip.open(path, "rb") as stream:
            for raw in stream:
                if raw.strip():
                    yield json.loads(raw)
    except (OSError, EOFError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BackupError(
            f"Filen {path} är ingen hel säkerhetskopia från Samverkan ({exc})."
        ) from exc


def _check_header(header: dict, using: str) -> None:
    if header.get("format") != FORMAT:
        raise BackupError("Filen är ingen säkerhetskopia från Samverkan.")
    if header.get("version") != VERSION:
        raise BackupError(
            f"Säkerhetskopian har formatversion {header.get('version')}; den här versionen "
            f"av Samverkan läser version {VERSION}."
        )
    backup = set(header.get("migrations", []))
    here = set(applied_migrations(using))
    if not here:
        raise BackupError(
            "Databasen har inga tabeller. Kör 'samverkan migrate' först och återställ sedan."
        )
    if backup != here:
        missing = sorted(backup - here)
        extra = sorted(here - backup)
        raise BackupError(
            "Databasen har inte samma migreringar som säkerhetskopian. Återställ med samma "
            "version av Samverkan som gjorde kopian (och uppgradera efteråt). "
            f"Saknas i databasen: {', '.join(missing) or 'inga'}. "
            f"Finns bara i databasen: {', '.join(extra) or 'inga'}."
        )


def _check_empty(using: str) -> None:
    filled = [
        f"{model._meta.db_table} ({count} {'rad' if count == 1 else 'rader'})"
        for model in backed_up_models()
        if label(model) not in PRELOADED
        for count in [model._base_manager.using(using).count()]
        if count
    ]
    if filled:
        raise BackupError(
            "Databasen är inte tom, så inget återställdes: "
            + ", ".join(filled)
            + ". Återställ bara till en ny databas där enbart 'samverkan migrate' har körts."
        )


def _insert(model: type[Model], objects: list, using: str) -> None:
    """Insert rows as they are: primary keys and every value (auto_now timestamps too)
    kept, no save() or signals. ``raw=True`` is what Django's own loaddata uses."""
    fields = list(model._meta.local_concrete_fields)
    instances = [d.object for d in objects]
    if model._meta.label_lower == "audit.auditevent":
        audit.prepare_restore(using, instances)  # PostgreSQL: the months' partitions
    size = max(1, connections[using].ops.bulk_batch_size(fields, instances))
    manager = model._base_manager.using(using)
    for start in range(0, len(instances), size):
        manager._insert(instances[start : start + size], fields=fields, using=using, raw=True)
    for name in {n for d in objects for n in d.m2m_data}:
        m2m = model._meta.get_field(name)
        through = m2m.remote_field.through
        source = m2m.m2m_field_name()
        target = m2m.m2m_reverse_field_name()
        through._base_manager.using(using).bulk_create(
            [
                through(**{f"{source}_id": d.object.pk, f"{target}_id": pk})
                for d in objects
                for pk in d.m2m_data.get(name, [])
            ],
            batch_size=BATCH,
        )


def backup_restore(path: str | os.PathLike, *, using: str = DEFAULT_DB_ALIAS) -> RestoreResult:
    """Load a backup into a new, freshly migrated database (see the module's doc)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Filen {path} finns inte.")
    lines = _read(path)
    header = next(lines, None)
    if not isinstance(header, dict):
        raise BackupError("Filen är ingen säkerhetskopia från Samverkan.")
    _check_header(header, using)
    known = {label(model): model for model in backed_up_models()}
    unknown = sorted(set(header["counts"]) - set(known))
    if unknown:
        raise BackupError(f"Säkerhetskopian har tabeller som saknas här: {', '.join(unknown)}.")
    connection = connections[using]
    result = RestoreResult(header=header)
    with transaction.atomic(using=using):
        _check_empty(using)
        for name in PRELOADED & set(known):
            known[name]._base_manager.using(using).all().delete()
        pending: list = []
        pending_model: type[Model] | None = None
        end = None
        for row in lines:
            if row.get("end"):
                end = row
                break
            (obj,) = serializers.deserialize(
                "python", [row], using=using, handle_forward_references=True
            )
            model = type(obj.object)
            if pending and (model is not pending_model or len(pending) >= BATCH):
                _insert(pending_model, pending, using)
                pending = []
            pending_model = model
            pending.append(obj)
            result.objects += 1
        if pending:
            _insert(pending_model, pending, using)
        if end is None or end.get("objects") != result.objects:
            raise BackupError("Säkerhetskopian är ofullständig (filen slutar för tidigt).")
        for name, expected in header["counts"].items():
            count = known[name]._base_manager.using(using).count()
            result.counts[name] = count
            if count != expected:
                raise BackupError(
                    f"Fel antal rader i {known[name]._meta.db_table} efter återställningen: "
                    f"{count}, väntade {expected}."
                )
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(known.values())):
                cursor.execute(statement)
        # Foreign keys are checked at commit; check them now, for a clear error.
        connection.check_constraints()
        # Links the witnesses saw after the copy was made are lost with the restore:
        # reported as a note; a link the copy has but with another hash is a problem.
        result.chain = audit.chain_verify(using=using, restoring=True)
        # The sealer's row (from the migration, or a pass before the restore) describes
        # another chain: /healthz computes the lag from the tables until the next pass.
        audit_lag.forget_pass(using)
        audit.event_record(
            using=using,
            actor=None,
            action=Action.RESTORE,
            resource_type=RESOURCE,
            details={
                "file": path.name,
                "by": _who(),
                "backup_created_at": header.get("created_at"),
                "objects": result.objects,
                "chain_ok": result.chain.ok,
                "chain_head": [result.chain.head_seq, result.chain.head_hash],
            },
        )
    apps.get_model("contenttypes", "ContentType").objects.clear_cache()
    # Committed: the database's chain now ends where the copy's did. The witnesses
    # learn it, so that verify reports later links they saw as lost with this restore.
    try:
        result.witnesses = audit.restore_witness(
            result.chain, file=path.name, backup_created_at=header.get("created_at")
        )
    except audit_witness.WitnessError as exc:
        raise BackupError(
            f"Databasen är återställd, men loggens vittne kunde inte få veta det: {exc}"
        ) from exc
    return result

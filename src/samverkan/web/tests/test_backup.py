"""Backup and restore (`samverkan backup create|restore`): a restore into a new,
migrated database brings back every record with its primary key, keeps the audit chain
valid, and refuses a database that is not empty. Runs on SQLite and on PostgreSQL
(whichever the suite runs on); the second database is the "restore" alias of the test
settings."""

from __future__ import annotations

import gzip
import json
import stat

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.forms.models import model_to_dict

from samverkan.audit import services as audit
from samverkan.web import backup

pytestmark = pytest.mark.django_db(databases=["default", "restore"])

TARGET = "restore"


@pytest.fixture(autouse=True)
def _fresh_content_type_cache():
    yield
    apps.get_model("contenttypes", "ContentType").objects.clear_cache()


def _counts(using: str) -> dict[str, int]:
    return {
        backup.label(model): model._base_manager.using(using).count()
        for model in backup.backed_up_models()
    }


def _rows(model_label: str, using: str) -> dict:
    model = apps.get_model(model_label)
    return {
        obj.pk: model_to_dict(obj, fields=[f.name for f in model._meta.concrete_fields])
        for obj in model._base_manager.using(using).order_by("pk")
    }


@pytest.fixture
def made(world, tmp_path):
    """A backup of the test database (the demo world plus what the test added)."""
    path = tmp_path / "samverkan.jsonl.gz"
    header = backup.backup_create(path)
    return path, header


def test_a_freshly_migrated_database_holds_only_the_preloaded_tables():
    filled = {name for name, count in _counts(TARGET).items() if count}
    assert filled <= backup.PRELOADED, (
        f"migrate fills {sorted(filled - backup.PRELOADED)}: add them to "
        "samverkan.web.backup.PRELOADED"
    )


def test_restore_brings_back_every_record(made):
    path, header = made
    source = _counts("default")
    assert sum(source.values()) > 1000
    assert header["counts"] == source

    result = backup.backup_restore(path, using=TARGET)

    restored = _counts(TARGET)
    audit_label = "audit.auditevent"
    # Everything is back; the restore added one audit row of its own.
    assert {**restored, audit_label: restored[audit_label] - 1} == source
    assert result.objects == sum(source.values())
    # A sample of rows, field by field, primary keys included: people, consents, the
    # directory, users (password hashes), knowledge with its history, and the log.
    for model_label in (
        "people.child",
        "people.guardian",
        "people.involvement",
        "consent.consent",
        "directory.membership",
        "directory.function",
        "auth.user",
        "knowledge.concept",
        "knowledge.entryversion",
        "audit.auditseal",
        "contenttypes.contenttype",
    ):
        assert _rows(model_label, TARGET) == _rows(model_label, "default"), model_label
    events = _rows("audit.auditevent", TARGET)
    original = _rows("audit.auditevent", "default")
    assert {pk: events[pk] for pk in original} == original


def test_the_audit_chain_is_valid_after_a_restore(made):
    path, _ = made
    before = audit.chain_verify()
    assert before.ok
    result = backup.backup_restore(path, using=TARGET)
    assert result.chain.ok
    after = audit.chain_verify(using=TARGET)
    assert after.ok, [p.message for p in after.problems]
    assert (after.head_seq, after.head_hash) == (before.head_seq, before.head_hash)
    # The backup and the restore are in the log.
    AuditEvent = apps.get_model("audit", "AuditEvent")
    restore_row = AuditEvent.objects.using(TARGET).latest("id")
    assert (restore_row.action, restore_row.resource_type) == ("restore", "database.backup")
    assert restore_row.details["chain_ok"] is True
    assert AuditEvent.objects.filter(action="export", resource_type="database.backup").exists()


def test_a_restore_leaves_no_sealer_row_about_another_chain(made):
    """The migrated target's row says the chain is empty; the restored one is not. The
    row is removed, so /healthz computes the lag from the tables until the sealer's next
    pass there (decision 0371)."""
    path, _ = made
    SealerState = apps.get_model("audit", "SealerState")
    assert SealerState.objects.using(TARGET).get().head_seq == 0  # from the migration
    backup.backup_restore(path, using=TARGET)
    assert not SealerState.objects.using(TARGET).exists()


def test_new_rows_after_a_restore_get_fresh_keys(made, world):
    path, _ = made
    backup.backup_restore(path, using=TARGET)
    Principal = apps.get_model("directory", "Principal")
    highest = Principal.objects.using(TARGET).order_by("-pk").first().pk
    created = Principal.objects.using(TARGET).create(name="Ny huvudman", kind="kommun")
    assert created.pk > highest


def test_a_database_that_is_not_empty_is_refused(made):
    path, _ = made
    backup.backup_restore(path, using=TARGET)
    before = _counts(TARGET)
    with pytest.raises(backup.BackupError, match="Databasen är inte tom") as error:
        backup.backup_restore(path, using=TARGET)
    assert "auth_user" in str(error.value)
    assert _counts(TARGET) == before


def test_the_command_creates_and_restores(world, tmp_path, capsys):
    path = tmp_path / "kopia.jsonl.gz"
    call_command("backup", "create", str(path))
    assert "Säkerhetskopian är skriven" in capsys.readouterr().out
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it holds personal data
    call_command("backup", "restore", str(path), "--database", TARGET)
    out = capsys.readouterr().out
    assert "Loggen är hel." in out
    with pytest.raises(CommandError, match="Databasen är inte tom"):
        call_command("backup", "restore", str(path), "--database", TARGET)
    with pytest.raises(CommandError, match="finns redan"):
        call_command("backup", "create", str(path))


def test_the_file_is_portable_json_lines(made):
    path, _ = made
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        lines = [json.loads(line) for line in stream]
    assert lines[0]["format"] == "samverkan-backup"
    assert lines[0]["database"] == connections["default"].vendor
    assert lines[-1] == {"end": True, "objects": len(lines) - 2}
    audit_rows = [row for row in lines if row.get("model") == "audit.auditevent"]
    # Timestamps to the microsecond (the audit hashes depend on them).
    assert any(len(row["fields"]["occurred_at"].split(".")[-1]) > 9 for row in audit_rows)


def test_a_truncated_file_is_refused_and_nothing_is_restored(made, tmp_path):
    path, _ = made
    with gzip.open(path, "rb") as stream:
        lines = stream.readlines()
    cut = tmp_path / "cut.jsonl.gz"
    with gzip.open(cut, "wb") as stream:
        stream.writelines(lines[: len(lines) // 2])
    before = _counts(TARGET)
    with pytest.raises(backup.BackupError, match="ofullständig"):
        backup.backup_restore(cut, using=TARGET)
    assert _counts(TARGET) == before


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    other = tmp_path / "annan.gz"
    other.write_bytes(b"not gzip at all")
    with pytest.raises(backup.BackupError, match="ingen hel säkerhetskopia"):
        backup.backup_restore(other, using=TARGET)


def test_a_backup_of_other_migrations_is_refused(made, tmp_path):
    path, _ = made
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        lines = stream.readlines()
    header = json.loads(lines[0])
    header["migrations"].append("people.9999_from_the_future")
    edited = tmp_path / "framtid.jsonl.gz"
    with gzip.open(edited, "wt", encoding="utf-8") as stream:
        stream.write(json.dumps(header) + "\n")
        stream.writelines(lines[1:])
    with pytest.raises(backup.BackupError, match=r"people\.9999_from_the_future"):
        backup.backup_restore(edited, using=TARGET)


def test_an_agreements_attachment_survives_a_restore_byte_for_byte(world, tmp_path):
    """Attachments keep their bytes in the database (a BinaryField): the backup carries
    them (base64 in the JSON lines) and a restore gives back the same file."""
    from samverkan.governance import attachments, selectors

    greta = world.actor("greta")
    agreement = selectors.agreement_list(greta)[0]
    content = b"%PDF-1.7\n" + bytes(range(256)) * 40
    made = attachments.attachment_add(
        actor=greta, agreement_id=agreement.public_id, filename="bilaga.pdf", content=content
    )
    path = tmp_path / "samverkan.jsonl.gz"
    backup.backup_create(path)
    backup.backup_restore(path, using=TARGET)

    model = apps.get_model("governance.agreementattachment")
    restored = model.objects.using(TARGET).get(pk=made.pk)
    assert bytes(restored.content) == content
    assert (restored.sha256, restored.size, restored.filename) == (
        made.sha256,
        len(content),
        "bilaga.pdf",
    )

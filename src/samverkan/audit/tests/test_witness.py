"""The witness of the chain head (issue 13 item 18): someone with the database owner's
rights drops the append-only triggers and then (a) deletes the newest rows together with
their links, or (b) alters a row and recomputes every later link. The chain is then
consistent with itself, so only a record of the head kept outside the database can tell.
Runs on SQLite and on PostgreSQL (whichever the suite runs on)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from samverkan.audit import services, witness
from samverkan.audit.models import AuditSeal

from .attacks import delete_newest, drop_append_only_triggers, rewrite_from


@pytest.fixture
def witness_file(settings, tmp_path):
    path = tmp_path / "witness" / "chain.log"
    path.parent.mkdir()
    settings.SAMVERKAN = {**settings.SAMVERKAN, "AUDIT_WITNESS_FILE": str(path)}
    return path


def entries(path) -> list[witness.Entry]:
    return [e for e in witness.FileWitness(path).entries() if isinstance(e, witness.Entry)]


@pytest.fixture
def witnessed(world, witness_file):
    """The demo world's rows sealed in several batches, each head written down."""
    services.seal_pending(batch_size=25)
    return list(AuditSeal.objects.order_by("seq"))


def messages(result) -> list[str]:
    return [problem.message for problem in result.problems]


def test_the_sealer_writes_every_new_head_to_the_witness(witnessed, witness_file):
    written = entries(witness_file)
    assert len(written) == -(-len(witnessed) // 25)  # one per batch
    assert [e.seq for e in written] == sorted(e.seq for e in written)
    head = witnessed[-1]
    assert (written[-1].kind, written[-1].seq, written[-1].hash) == (
        "head",
        head.seq,
        head.chain_hash,
    )
    for entry in written:  # each one a link of the chain as it is
        assert AuditSeal.objects.get(seq=entry.seq).chain_hash == entry.hash
    result = services.chain_verify()
    assert result.ok, messages(result)
    assert result.witnessed_seq == head.seq
    assert result.witnesses == [f"filen {witness_file}"]


def test_the_witness_is_appended_to_never_rewritten(witnessed, witness_file):
    before = witness_file.read_bytes()
    services.event_record(actor=None, action="read", resource_type="test.thing")
    services.seal_pending()
    after = witness_file.read_bytes()
    assert after.startswith(before) and len(after) > len(before)


def test_deleting_the_newest_rows_is_reported_as_truncation(witnessed):
    drop_append_only_triggers()
    delete_newest(3)
    # The chain alone cannot tell: what is left is a valid, shorter chain.
    assert services.chain_verify(witnesses=[]).ok
    result = services.chain_verify()
    head = witnessed[-1].seq
    assert messages(result) == [
        f"Loggen slutar vid nr {head - 3}, men vittnet (filen {result.witnesses[0][6:]}) "
        f"såg kedjan till nr {head} ({entries(result.witnesses[0][6:])[-1].at}): "
        f"loggrader nr {head - 2}–{head} har raderats i slutet av loggen."
    ]


def test_altering_a_row_and_recomputing_later_links_is_reported_as_rewriting(witnessed):
    middle = witnessed[len(witnessed) // 2]
    drop_append_only_triggers()
    rewrite_from(middle.seq, actor_username="someone_else", reason="Inget att se här.")
    assert services.chain_verify(witnesses=[]).ok  # consistent with itself
    result = services.chain_verify()
    assert not result.ok
    (problem,) = result.problems
    # The first witnessed head at or after the altered row no longer matches.
    first_after = min(e.seq for e in entries(result.witnesses[0][6:]) if e.seq >= middle.seq)
    assert problem.seq == first_after
    assert problem.message.startswith(f"Länk {first_after} har hashen ")
    assert f"loggen har skrivits om till och med nr {first_after}" in problem.message


def test_a_forged_head_appended_to_the_witness_does_not_hide_a_rewrite(witnessed, witness_file):
    """Someone who can also append to the witness (but, chattr +a, not rewrite it)
    writes the head of the rewritten chain: the earlier entries still disagree."""
    drop_append_only_triggers()
    rewrite_from(witnessed[5].seq, actor_username="someone_else")
    forged = AuditSeal.objects.order_by("-seq").first()
    witness.FileWitness(witness_file).record("head", forged.seq, forged.chain_hash)
    result = services.chain_verify()
    assert not result.ok
    assert "loggen har skrivits om" in messages(result)[0]


def test_a_witness_entry_that_goes_backwards_is_reported(witnessed, witness_file):
    witness.FileWitness(witness_file).record("head", 1, witnessed[0].chain_hash)
    result = services.chain_verify()
    assert any("Ett vittne går aldrig bakåt" in m for m in messages(result))


def test_a_witness_emptied_while_the_chain_has_links_is_reported(witnessed, witness_file):
    witness_file.unlink()
    result = services.chain_verify()
    assert any("har inga poster, men loggen har" in m for m in messages(result))
    # A new witness learns the head from the sealer command.
    call_command("audit", "seal", stdout=io.StringIO())
    assert services.chain_verify().ok


def test_a_line_that_is_not_an_entry_is_reported(witnessed, witness_file):
    with witness_file.open("a") as stream:
        stream.write(f'{witness.MARKER} {{"kind": "head", "seq": "x"}}\n')
    result = services.chain_verify()
    assert any("är ingen giltig post" in m for m in messages(result))


def test_verify_reads_a_log_servers_copy_of_syslog(witnessed, tmp_path, settings):
    """Syslog lines carry the same entry after the marker; verify reads the log
    server's file with --witness."""
    settings.SAMVERKAN = {**settings.SAMVERKAN, "AUDIT_WITNESS_FILE": ""}
    exported = tmp_path / "messages"
    head = witnessed[-1]
    entry = {"kind": "head", "seq": head.seq, "hash": head.chain_hash, "at": "2026-11-30T10:00Z"}
    exported.write_text(
        "Nov 30 10:00:00 app1 sshd[1]: unrelated line\n"
        f"Nov 30 10:00:01 app1 samverkan[42]: {witness.MARKER} {json.dumps(entry)}\n"
    )
    out = io.StringIO()
    call_command("audit", "verify", "--witness", str(exported), stdout=out)
    assert f"senast sedda länk: nr {head.seq}" in out.getvalue()
    drop_append_only_triggers()
    delete_newest(1)
    err = io.StringIO()
    with pytest.raises(CommandError, match="Loggen är manipulerad: 1 fel"):
        call_command(
            "audit", "verify", "--witness", str(exported), stdout=io.StringIO(), stderr=err
        )
    assert "har raderats i slutet av loggen" in err.getvalue()


def test_verify_command_fails_on_truncation(witnessed):
    drop_append_only_triggers()
    delete_newest(1)
    err = io.StringIO()
    with pytest.raises(CommandError, match="Loggen är manipulerad: 1 fel"):
        call_command("audit", "verify", stdout=io.StringIO(), stderr=err)
    assert "har raderats i slutet av loggen" in err.getvalue()


def test_a_sealer_whose_witness_cannot_be_written_stops_loudly(world, settings, tmp_path):
    settings.SAMVERKAN = {
        **settings.SAMVERKAN,
        "AUDIT_WITNESS_FILE": str(tmp_path / "missing-volume" / "chain.log"),
    }
    with pytest.raises(witness.WitnessError, match="kan inte öppnas"):
        services.seal_pending()
    with pytest.raises(CommandError, match="Vittnesfilen"):
        call_command("audit", "seal", stdout=io.StringIO())


def test_no_witness_is_said_out_loud(world):
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "Inget vittne är inställt" in out.getvalue()


@pytest.mark.django_db(databases=["default", "restore"])
def test_a_restore_tells_the_witness_where_the_chain_now_ends(witnessed, witness_file, tmp_path):
    """A database restored from a copy lacks the links sealed after the copy was made.
    The restore writes a marker to the witness, so verify reports those links as lost
    with the restore rather than deleted, and compares everything up to the copy."""
    from samverkan.web import backup

    path = tmp_path / "copy.jsonl.gz"
    backup.backup_create(path)
    at_copy = AuditSeal.objects.order_by("-seq").first()
    services.event_record(actor=None, action="read", resource_type="test.thing")
    services.seal_pending()
    after_copy = AuditSeal.objects.order_by("-seq").first()
    assert after_copy.seq == at_copy.seq + 1

    result = backup.backup_restore(path, using="restore")
    assert result.chain.ok, messages(result.chain)
    assert result.witnesses == [f"filen {witness_file}"]
    assert f"Säkerhetskopian slutar vid nr {at_copy.seq}" in result.chain.notes[0]
    marker = entries(witness_file)[-1]
    assert (marker.kind, marker.seq, marker.hash) == ("restore", at_copy.seq, at_copy.chain_hash)

    restored = services.chain_verify(using="restore")
    assert restored.ok, messages(restored)
    assert restored.notes == [
        f"Vittnet (filen {witness_file}) såg länkarna nr {after_copy.seq}–{after_copy.seq} "
        "före en återställning från säkerhetskopia; de fanns inte i kopian och förlorades "
        "med återställningen."
    ]


@pytest.mark.django_db(databases=["default", "restore"])
def test_a_restore_into_a_new_installation_starts_its_witness(world, tmp_path, settings):
    """A new installation restored from a copy: its (new, empty) witness is told where
    the chain ends, and verify then passes."""
    from samverkan.web import backup

    services.seal_pending()
    path = tmp_path / "copy.jsonl.gz"
    backup.backup_create(path)
    fresh = tmp_path / "new-witness.log"
    settings.SAMVERKAN = {**settings.SAMVERKAN, "AUDIT_WITNESS_FILE": str(fresh)}
    result = backup.backup_restore(path, using="restore")
    assert result.chain.ok, messages(result.chain)
    (marker,) = entries(fresh)
    assert (marker.kind, marker.seq) == ("restore", result.chain.head_seq)
    assert services.chain_verify(using="restore").ok

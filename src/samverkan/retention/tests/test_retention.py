"""Retention (gallring): the run removes exactly what has passed its time under a rule
of the schedule, nothing under a legal hold, and leaves an audit row per record naming
the rule; an archive copy that must be kept is written and validated first."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from pypdf import PdfReader

from samverkan.audit import partitions
from samverkan.audit.models import AuditEvent
from samverkan.concerns import services as concern_services
from samverkan.concerns.models import Entry, Handling, Report
from samverkan.concerns.tests.factories import report_world
from samverkan.core.errors import ValidationFailed
from samverkan.directory.models import Function
from samverkan.directory.tests.factories import MembershipFactory, actor_of
from samverkan.knowledge.models import FactorTag
from samverkan.meetings.models import AgendaItem, Forum, Meeting
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory
from samverkan.retention import archive, docs, schedule, services
from samverkan.retention.models import LegalHold

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def _years_ago(years: int, days: int = 0) -> datetime.datetime:
    return NOW.replace(year=NOW.year - years) - datetime.timedelta(days=days)


class _World:
    """A school and social services; three children reported by the school, each
    report decided "no investigation": one 6 years ago (past its time), one 4 years ago
    (not yet), and one 6 years ago whose investigation was opened (kept)."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch
        self.w = report_world()
        self.handler = MembershipFactory(
            code="socialsekreterare",
            organisation=self.w.social,
            valid_from=datetime.date(NOW.year - 10, 1, 1),
        )
        self.old = self._report(_years_ago(6), "not_open", "Gammal")
        self.recent = self._report(_years_ago(4), "not_open", "Ny")
        self.investigated = self._report(_years_ago(6, 3), "open", "Utredd")
        monkeypatch.setattr(timezone, "now", lambda: NOW)

    def _report(self, when, decision, name) -> Report:
        # A database in use for six years has the audit log's months from back then
        # (PostgreSQL: monthly partitions; a month long past is never created on write).
        partitions.ensure_for("default", [when])
        self.monkeypatch.setattr(timezone, "now", lambda: when)
        child = ChildFactory(first_name=name)
        InvolvementFactory(child=child, organisation=self.w.school)
        report = concern_services.report_submit(
            actor=actor_of(self.w.teacher),
            child=child,
            worry=f"{name} är ofta hungrig.",
            urgency="soon",
            guardians_informed="yes",
            reporter_phone="0123-456 11",
            factor_codes=["barn-utagerande"],
        )
        concern_services.handling_assign(
            actor=actor_of(self.w.intake), report=report, handler_membership_id=self.handler.pk
        )
        concern_services.preliminary_decide(
            actor=actor_of(self.handler), report=report, decision=decision
        )
        return report


def _deletes(**filters):
    return AuditEvent.objects.filter(action="delete", **filters)


def test_removes_exactly_what_has_passed_its_time_with_an_audit_row_each(monkeypatch):
    world = _World(monkeypatch)
    old_id = str(world.old.public_id)
    assert Entry.objects.filter(report=world.old).exists()
    assert FactorTag.objects.filter(target_id=world.old.public_id).exists()

    result = services.retention_run()

    rule = next(r for r in result.rules if r.rule.record_type == "concerns.report_not_investigated")
    assert old_id in rule.removed
    assert str(world.recent.public_id) not in rule.removed
    assert not Report.objects.filter(pk=world.old.pk).exists()
    assert not Handling.objects.filter(report_id=world.old.pk).exists()
    assert not Entry.objects.filter(report_id=world.old.pk).exists()
    assert not FactorTag.objects.filter(target_id=world.old.public_id).exists()
    assert FactorTag.objects.filter(target_id=world.recent.public_id).exists()
    assert Report.objects.filter(pk=world.recent.pk).exists()  # 4 years: not yet
    assert Report.objects.filter(pk=world.investigated.pk).exists()  # investigated: kept
    # Everything the run removed is a report older than five years without investigation.
    for public_id in rule.removed:
        assert not Report.objects.filter(public_id=public_id).exists()
    row = _deletes(resource_id=old_id).get()
    assert row.resource_type == "concerns.report_not_investigated"
    assert row.subject_id == str(world.old.child.public_id)
    assert (row.ground_code, row.ground_reference) == ("retention", "orosanmalan-utan-utredning")
    assert row.details["schedule_version"] == schedule.load().version
    assert "12 kap. 1 §" in row.reason
    assert _deletes(resource_type="retention.run").exists()
    # A second run finds nothing more of ours.
    again = services.retention_run()
    again_rule = next(r for r in again.rules if r.rule.code == rule.rule.code)
    assert old_id not in again_rule.removed


def test_nothing_under_a_legal_hold_is_removed_until_it_is_released(monkeypatch):
    world = _World(monkeypatch)
    hold = services.hold_place(
        placed_by="Anna Jurist, kommunjurist",
        reason="Överklagande pågår i förvaltningsrätten.",
        personal_number=world.old.child.personal_number,
        reference="SN 2026/77",
    )
    # Placing the same hold twice places it once.
    assert (
        services.hold_place(
            placed_by="Anna Jurist, kommunjurist",
            reason="Överklagande pågår i förvaltningsrätten.",
            personal_number=world.old.child.personal_number,
        )
        == hold
    )
    result = services.retention_run()
    rule = next(r for r in result.rules if r.rule.code == "orosanmalan-utan-utredning")
    assert str(world.old.public_id) in rule.held
    assert Report.objects.filter(pk=world.old.pk).exists()
    assert not _deletes(resource_id=str(world.old.public_id)).exists()
    assert AuditEvent.objects.filter(resource_type="retention.hold", action="create").exists()

    services.hold_release(
        public_id=hold.public_id, released_by="Anna Jurist", reason="Domen har vunnit laga kraft."
    )
    services.retention_run()
    assert not Report.objects.filter(pk=world.old.pk).exists()


def test_a_hold_on_a_record_type_stops_the_whole_rule(monkeypatch):
    world = _World(monkeypatch)
    services.hold_place(
        placed_by="IVO-samordnare",
        reason="Tillsyn av IVO.",
        record_type="concerns.report_not_investigated",
    )
    services.retention_run()
    assert Report.objects.filter(pk=world.old.pk).exists()


def test_a_hold_needs_a_reason_and_a_known_child_or_type():
    with pytest.raises(ValidationFailed, match="skälet"):
        services.hold_place(placed_by="X", reason=" ", record_type="meetings.identified_item")
    with pytest.raises(ValidationFailed, match="gallringsplanen"):
        services.hold_place(placed_by="X", reason="Y", record_type="okänd.typ")
    with pytest.raises(ValidationFailed):
        services.hold_place(placed_by="X", reason="Y")
    assert not LegalHold.objects.exists()


def test_dry_run_removes_nothing(monkeypatch):
    world = _World(monkeypatch)
    before = AuditEvent.objects.count()
    result = services.retention_run(dry_run=True)
    rule = next(r for r in result.rules if r.rule.code == "orosanmalan-utan-utredning")
    assert str(world.old.public_id) in rule.due
    assert Report.objects.filter(pk=world.old.pk).exists()
    assert AuditEvent.objects.count() == before


def _meeting_with_items(monkeypatch, when):
    w = report_world()
    forum = Forum.objects.create(
        name="Testforum för arkivet",
        level="basniva",
        purpose="Samverkan kring elever.",
        cadence="monthly",
        convener_organisation=w.school,
        convener_function=Function.objects.get(code="rektor"),
    )
    meeting = Meeting.objects.create(
        forum=forum, starts_at=when, ends_at=when + datetime.timedelta(hours=1)
    )
    child = ChildFactory(first_name="Arkivia")
    named = AgendaItem.objects.create(
        meeting=meeting,
        kind="identified",
        title="Arkivias skolgång",
        text="Frånvaro sedan höstlovet.",
        decision="Kuratorn kallar till SIP.",
        author_organisation=w.school,
        author_name="Rektor",
        child=child,
        category="skolsituation",
        consent_reference="samtycke-1",
    )
    anonymous = AgendaItem.objects.create(
        meeting=meeting,
        kind="anonymised",
        title="Pojke i årskurs 3",
        author_organisation=w.school,
        author_name="Rektor",
    )
    return named, anonymous


def test_items_that_must_be_kept_are_archived_and_validated_before_removal(monkeypatch, tmp_path):
    named, anonymous = _meeting_with_items(monkeypatch, _years_ago(3))
    result = services.retention_run(archive_dir=tmp_path)
    rule = next(r for r in result.rules if r.rule.code == "samverkansmote-arende-med-namn")
    assert str(named.public_id) in rule.removed
    assert not AgendaItem.objects.filter(pk__in=[named.pk, anonymous.pk]).exists()

    document = json.loads(rule.archive.json_path.read_text(encoding="utf-8"))
    assert archive.errors(document) == []
    record = next(r for r in document["records"] if r["id"] == str(named.public_id))
    values = {f["key"]: f["value"] for f in record["fields"]}
    assert values["decision"] == "Kuratorn kallar till SIP."
    assert values["child_personal_number"] == named.child.personal_number
    text = "".join(page.extract_text() for page in PdfReader(rule.archive.pdf_path).pages)
    assert "Arkivias skolgång" in text
    row = _deletes(resource_id=str(named.public_id)).get()
    assert row.details["archive"] == rule.archive.json_path.name
    assert len(row.details["archive_sha256"]) == 64
    # The anonymised item's rule keeps no archive.
    assert _deletes(resource_id=str(anonymous.public_id)).get().details["archive"] == ""


def test_without_an_archive_directory_nothing_that_must_be_archived_is_removed(monkeypatch):
    named, _ = _meeting_with_items(monkeypatch, _years_ago(3))
    result = services.retention_run()
    rule = next(r for r in result.rules if r.rule.code == "samverkansmote-arende-med-namn")
    assert rule.status == "archive_failed"
    assert AgendaItem.objects.filter(pk=named.pk).exists()
    assert not _deletes(resource_id=str(named.public_id)).exists()
    with pytest.raises(CommandError):
        call_command("retention", "run", "--archive-dir", "")


def test_an_invalid_archive_document_is_refused():
    with pytest.raises(archive.ArchiveInvalid):
        archive.validate({"format": "samverkan-arkiv/1", "records": []})


def test_nothing_is_removed_without_a_rule(monkeypatch):
    """A rule's record type must be registered to remove anything, and a registered
    record type is used only through a rule of the schedule."""
    from samverkan.retention import registry

    plan = schedule.load()
    thin_types = {r.record_type for r in plan.rules if r.action == schedule.THIN}
    assert set(registry.codes()) <= thin_types
    for rule in plan.rules:
        assert rule.decision.strip(), rule.code


def test_schedule_rejects_a_rule_without_a_decision():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="decision"):
        schedule.parse(
            {
                "schedule": "x",
                "version": "1",
                "rules": [
                    {
                        "code": "a",
                        "record_type": "b",
                        "title": "c",
                        "action": "thin",
                        "keep_years": 1,
                        "counted_from": "d",
                    }
                ],
            }
        )


def test_the_audit_log_is_never_thinned_row_by_row():
    rule = next(r for r in schedule.load().rules if r.record_type == "audit.event")
    assert rule.action == schedule.PARTITION


def test_docs_legal_md_matches_the_schedule():
    text = docs.LEGAL_MD.read_text(encoding="utf-8")
    assert docs.current(text) == docs.section(), (
        "docs/legal.md differs from the retention schedule: run `samverkan retention doc --write`"
    )
    call_command("retention", "doc", "--check")


def _client(membership):
    from django.test import Client

    client = Client()
    client.force_login(membership.user)
    return client


def test_the_system_administrator_holds_and_releases_a_record_type_on_the_page(monkeypatch):
    world = _World(monkeypatch)
    admin = MembershipFactory(code="systemadministrator", organisation=world.w.school)
    client = _client(admin)
    page = client.get("/administration/gallring/")
    assert page.status_code == 200
    assert "Orosanmälan som inte ledde till utredning" in page.text
    response = client.post(
        "/administration/gallring/",
        {
            "record_type": "concerns.report_not_investigated",
            "reason": "Tillsyn av IVO.",
            "reference": "IVO 3.5.1-2026",
        },
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert hold.placed_by.startswith(admin.user.first_name)
    services.retention_run()
    assert Report.objects.filter(pk=world.old.pk).exists()

    refused = client.post(f"/administration/gallring/sparr/{hold.public_id}/hav/", {"reason": ""})
    # Refused at the field, on the page as sent (not a redirect that empties the form).
    assert refused.status_code == 422
    assert f'id="release-{hold.public_id}-reason-error"' in refused.text
    assert LegalHold.objects.get().released_at is None
    client.post(
        f"/administration/gallring/sparr/{hold.public_id}/hav/", {"reason": "Tillsynen är klar."}
    )
    assert LegalHold.objects.get().released_at is not None
    assert AuditEvent.objects.filter(resource_type="retention.hold", action="change").exists()
    services.retention_run()
    assert not Report.objects.filter(pk=world.old.pk).exists()


def test_the_retention_page_is_only_for_the_system_administrator(monkeypatch):
    world = _World(monkeypatch)
    for membership in (world.w.rektor, world.handler, world.w.intake):
        client = _client(membership)
        assert client.get("/administration/gallring/").status_code == 404
        response = client.post(
            "/administration/gallring/",
            {"record_type": "concerns.report_not_investigated", "reason": "x"},
        )
        assert response.status_code == 404
    assert not LegalHold.objects.exists()

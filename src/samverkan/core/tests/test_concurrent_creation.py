"""Requests that race (issue 13 items 2 and 3): twenty identical creations at once,
with a connection per thread (the ``concurrent_db`` fixture: real parallel transactions
on PostgreSQL; on SQLite one writer commits at a time while the requests overlap), end
in one record and no server error."""

from __future__ import annotations

import pytest
from django.test import Client

from samverkan.concerns.tests.factories import report_world
from samverkan.directory.services import token_create
from samverkan.people.models import Involvement
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory

N = 20

pytestmark = pytest.mark.usefixtures("concurrent_db")


def _api(membership) -> Client:
    _, token = token_create(actor=None, membership=membership)
    return Client(headers={"Authorization": f"Bearer {token}"}, raise_request_exception=False)


def _statuses(results) -> list:
    return [r if isinstance(r, Exception) else r.status_code for r in results]


def test_twenty_reports_about_one_child_at_once_open_one_matter_and_no_500(race):
    world = report_world()
    child = ChildFactory()
    InvolvementFactory(child=child, organisation=world.school)
    clients = [_api(world.teacher) for _ in range(N)]

    results = race(
        N,
        lambda i: clients[i].post(
            "/api/concerns",
            {
                "child_id": str(child.public_id),
                "worry": f"Oro nummer {i}.",
                "reporter_phone": "0123-456 78",
            },
            content_type="application/json",
        ),
    )

    statuses = _statuses(results)
    assert all(s == 201 for s in statuses), statuses
    assert (
        Involvement.objects.filter(
            child=child, organisation=world.social, ended_at__isnull=True
        ).count()
        == 1
    )


# Twenty identical creations at once: the same form (one key, as a double click sends
# it) or the same API call with one Idempotency-Key.
KEY = "samma-nyckel-20-ganger"


def _session(membership) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(membership.user)
    return client


def _twenty_times(race, client, path, data, *, api=False):
    if api:
        return _statuses(
            race(
                N,
                lambda i: client.post(
                    path, data, content_type="application/json", headers={"Idempotency-Key": KEY}
                ),
            )
        )
    return _statuses(race(N, lambda i: client.post(path, {**data, "submission_key": KEY})))


def _twenty_keys(race, client, path, data, answers=None) -> list:
    """The same data twenty times at once, each with its own key (twenty tabs, two
    administrators): what a person does once by nature must still happen once. The
    statuses, none of them a 5xx (and the responses in ``answers``, when given)."""
    results = race(N, lambda i: client.post(path, {**data, "submission_key": f"flik-{i:04d}"}))
    statuses = _statuses(results)
    assert all(isinstance(s, int) and s < 500 for s in statuses), statuses
    if answers is not None:
        answers.extend(results)
    return statuses


def test_twenty_identical_reports_from_the_form_file_one(race):
    from samverkan.concerns.models import Report

    world = report_world()
    child = ChildFactory()
    InvolvementFactory(child=child, organisation=world.school)
    data = {
        "personal_number": child.personal_number,
        "worry": "Barnet säger att hen inte vågar gå hem.",
        "urgency": "soon",
        "guardians_informed": "no",
        "reporter_phone": "0123-456 78",
    }
    statuses = _twenty_times(race, _session(world.teacher), "/anmalan/ny/", data)
    assert set(statuses) == {302}, statuses
    assert Report.objects.filter(child=child).count() == 1


def test_twenty_identical_reports_from_the_api_file_one(race):
    from samverkan.concerns.models import Report

    world = report_world()
    child = ChildFactory()
    InvolvementFactory(child=child, organisation=world.school)
    data = {"child_id": str(child.public_id), "worry": "Oro.", "reporter_phone": "0123-45"}
    statuses = _twenty_times(race, _api(world.teacher), "/api/concerns", data, api=True)
    assert set(statuses) == {201}, statuses
    assert Report.objects.filter(child=child).count() == 1


def test_twenty_identical_checklist_items_make_one(race):
    from samverkan.directory.tests.factories import MembershipFactory
    from samverkan.knowledge.models import ChecklistItem

    member = MembershipFactory(code="larare")
    statuses = _twenty_times(
        race, _session(member), "/kunskap/checklista/punkt/", {"text": "Ring elevhälsan."}
    )
    assert set(statuses) == {302}, statuses
    assert ChecklistItem.objects.filter(checklist__owner=member.user).count() == 1


def _meeting():
    from samverkan.meetings.tests.factories import ForumFactory, MeetingFactory, convener_of

    forum = ForumFactory()
    return convener_of(forum), MeetingFactory(forum=forum)


def test_twenty_identical_agenda_items_from_the_form_make_one(race):
    from samverkan.meetings.models import AgendaItem

    convener, meeting = _meeting()
    data = {"kind": "general", "title": "Rutin för frånvaro", "text": "Hur gör vi?"}
    statuses = _twenty_times(
        race, _session(convener), f"/forum/mote/{meeting.public_id}/punkt/", data
    )
    assert set(statuses) == {302}, statuses
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1


def test_twenty_identical_agenda_items_from_the_api_make_one(race):
    from samverkan.meetings.models import AgendaItem

    convener, meeting = _meeting()
    data = {"kind": "general", "title": "Rutin för frånvaro", "text": "Hur gör vi?"}
    statuses = _twenty_times(
        race, _api(convener), f"/api/meetings/{meeting.public_id}/items", data, api=True
    )
    assert set(statuses) == {201}, statuses
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1


# Create endpoints merged later (issue 13, "Done when"): an agreement's attachment, a
# handover packet, the family's words to a SIP in the portal.


def test_twenty_identical_attachments_make_one(race):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from samverkan.governance.models import AgreementAttachment
    from samverkan.governance.tests.factories import Setting, agreement

    setting = Setting()
    a = agreement(setting)
    client = _session(setting.owner)
    path = f"/avtal/{a.public_id}/bilagor/"
    statuses = _statuses(
        race(
            N,
            lambda i: client.post(
                path,
                {
                    "file": SimpleUploadedFile("Avtal.pdf", b"%PDF-1.7\n" + b"x" * 100),
                    "submission_key": KEY,
                },
            ),
        )
    )
    assert set(statuses) == {302}, statuses
    assert AgreementAttachment.objects.filter(agreement=a).count() == 1


def test_twenty_identical_handover_packets_make_one(race):
    from django.utils import timezone

    from samverkan.directory.tests.factories import (
        MembershipFactory,
        OrganisationFactory,
        PrincipalFactory,
    )
    from samverkan.handover.models import Handover
    from samverkan.legal import catalogue

    school = OrganisationFactory(org_type="skola")
    new_school = OrganisationFactory(principal=PrincipalFactory(), org_type="skola")
    rektor = MembershipFactory(code="rektor", organisation=school)
    child = ChildFactory(date_of_birth=timezone.localdate().replace(year=2014))
    InvolvementFactory(child=child, organisation=school)
    conditions = catalogue.load().get("school_transition").conditions
    query = f"till={new_school.pk}&slag=school_to_school&grund=school_transition"
    path = f"/overlamningar/barn/{child.public_id}/ny/?{query}"
    data = {
        "item_skolsituation": "Läser med stöd av bildstöd.",
        "conditions": [str(i) for i in range(len(conditions))],
        "guardian_notice": "informed",
    }
    statuses = _twenty_times(race, _session(rektor), path, data)
    assert set(statuses) == {302}, statuses
    assert Handover.objects.filter(child=child).count() == 1


def test_twenty_identical_words_from_the_family_portal_make_one(race):
    import datetime

    from django.utils import timezone

    from samverkan.directory.tests.factories import MembershipFactory, OrganisationFactory
    from samverkan.plans.models import FamilyStatement
    from samverkan.plans.tests.factories import PlanFactory, PlanOrganisationFactory
    from samverkan.portal.tests.conftest import portal_client
    from samverkan.portal.tests.factories import FamilyAccountFactory

    school = OrganisationFactory(org_type="skola")
    bup = OrganisationFactory(org_type="bup", principal=school.principal)
    kurator = MembershipFactory(code="kurator", organisation=school)
    today = timezone.localdate()
    child = ChildFactory(date_of_birth=today.replace(year=today.year - 15))
    InvolvementFactory(child=child, organisation=school)
    plan = PlanFactory(
        child=child,
        started_by_organisation=school,
        started_by=kurator.user,
        meeting_at=timezone.now() + datetime.timedelta(days=7),
    )
    PlanOrganisationFactory(plan=plan, organisation=school, is_starter=True)
    PlanOrganisationFactory(plan=plan, organisation=bup)
    young = FamilyAccountFactory(personal_number=child.personal_number, display_name="Ung")
    client = portal_client(young)
    client.raise_request_exception = False
    path = f"/familj/plan/{plan.public_id}/viktigt/"
    statuses = _twenty_times(race, client, path, {"important-text": "Att få vara med."})
    assert set(statuses) == {302}, statuses
    assert FamilyStatement.objects.filter(plan=plan).count() == 1

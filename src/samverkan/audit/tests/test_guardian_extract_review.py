"""A log extract for a child or a guardian is a draft until the auditor function has
made a recorded secrecy review (OSL): rows that would reveal a report the guardians
must not be told about, or where a child with protected identity is, are withheld
with a note for the reviewer; only a reviewed extract can be printed (issue 11,
defect 6). The personnummer travels in a POST body, never in the URL."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from samverkan.audit import services as audit_services
from samverkan.audit.models import AuditEvent, GuardianExtract
from samverkan.concerns import services as concern_services
from samverkan.concerns.tests.factories import report_world
from samverkan.directory.models import Unit
from samverkan.directory.tests.factories import MembershipFactory, actor_of
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory

pytestmark = pytest.mark.django_db


class _World:
    """Nova, 10: her school and social services' family centre (voluntary support the
    parents asked for) have matters. Ten days ago the family centre read her record.
    Today her teacher reported a concern that the guardians must not be told about,
    and social services' intake read her record."""

    def __init__(self, *, protected: bool = False):
        self.w = report_world()
        self.family_centre = Unit.objects.get(organisation=self.w.social, name__startswith="Famil")
        self.social_worker = MembershipFactory(
            code="socialsekreterare", organisation=self.w.social, unit=self.family_centre
        )
        self.auditor = MembershipFactory(code="granskare", organisation=self.w.social)
        today = timezone.localdate()
        self.child = ChildFactory(
            date_of_birth=today.replace(year=today.year - 10), protected_identity=protected
        )
        InvolvementFactory(child=self.child, organisation=self.w.school)
        InvolvementFactory(
            child=self.child,
            organisation=self.w.social,
            context="voluntary_support",
            unit=self.family_centre,
        )
        audit_services.event_record(
            actor=actor_of(self.social_worker),
            action="read",
            resource_type="people.child",
            resource_id=str(self.child.public_id),
            subject_id=str(self.child.public_id),
            occurred_at=timezone.now() - datetime.timedelta(days=10),
        )
        self.report = concern_services.report_submit(
            actor=actor_of(self.w.teacher),
            child=self.child,
            worry="Nova säger att hon är rädd för pappa.",
            urgency="soon",
            guardians_informed="no",
            do_not_inform_guardians=True,
            do_not_inform_reason="Misstanke om våld av en vårdnadshavare.",
            reporter_phone="0123-456 11",
        )
        self.intake_unit = Unit.objects.get(organisation=self.w.social, name="Mottagningen")
        intake = MembershipFactory(
            code="mottagningssekreterare", organisation=self.w.social, unit=self.intake_unit
        )
        audit_services.event_record(
            actor=actor_of(intake),
            action="read",
            resource_type="people.child",
            resource_id=str(self.child.public_id),
            subject_id=str(self.child.public_id),
        )

    def client(self, membership) -> Client:
        client = Client()
        client.force_login(membership.user)
        return client


def _draft(world: _World, client: Client) -> str:
    response = client.post("/logg/utdrag/", {"personnummer": world.child.personal_number})
    assert response.status_code == 302
    return response["Location"]


def test_the_old_query_string_extract_prints_nothing():
    world = _World()
    response = world.client(world.auditor).get(
        "/logg/utdrag/", {"personnummer": world.child.personal_number}
    )
    assert "Mottagningen" not in response.text
    assert not AuditEvent.objects.filter(action="print", subject_id=str(world.child.public_id))


def test_a_draft_is_not_printable_and_flags_the_rows_that_would_reveal_the_report():
    world = _World()
    client = world.client(world.auditor)
    review = _draft(world, client)
    assert _draft(world, client) == review  # asking twice gives the same draft
    assert GuardianExtract.objects.filter(subject_id=str(world.child.public_id)).count() == 1

    printed = client.get(review + "utskrift/", follow=True)
    assert "måste sekretessprövas" in printed.text
    assert not AuditEvent.objects.filter(action="print", resource_type="audit.extract")

    listing = client.get("/logg/utdrag/")
    assert world.child.full_name in listing.text  # the reviewer's queue names the child
    assert AuditEvent.objects.filter(
        resource_type="audit.extract", details__subjects=[str(world.child.public_id)]
    ).exists()

    page = client.get(review).text
    assert "Mottagningen" in page  # the reviewer sees every row ...
    assert "inte får veta" in page  # ... and why one is withheld
    assert world.report.reference in page


def test_only_a_reviewed_extract_is_printed_without_the_withheld_rows():
    world = _World()
    client = world.client(world.auditor)
    review = _draft(world, client)
    refused = client.post(review, {"reason": ""})
    assert refused.status_code == 422  # shown again as sent, the reason missing
    assert "Skriv skälen för prövningen: vad som undantas" in refused.text
    assert GuardianExtract.objects.get().status == "draft"

    extract = GuardianExtract.objects.get()
    flagged = [int(i) for i in extract.flags]
    assert len(flagged) == 1
    response = client.post(
        review,
        {
            "reason": "Anmälan får inte röjas för vårdnadshavarna (OSL 12 kap. 3 §).",
            "withhold": [str(i) for i in flagged],
        },
    )
    assert response.status_code == 302
    extract.refresh_from_db()
    assert extract.status == "reviewed"
    assert extract.reviewed_by_name
    assert set(extract.withheld) == {str(i) for i in flagged}
    decision = AuditEvent.objects.get(resource_type="audit.extract", action="change")
    assert decision.details["withheld"] == flagged
    assert "OSL 12 kap. 3 §" in decision.reason

    printed = client.get(review + "utskrift/")
    assert printed.status_code == 200
    assert "Familjecentralen 0–12" in printed.text
    assert "Mottagningen" not in printed.text
    assert "Sekretessprövat" in printed.text
    assert "sekretess" not in printed.text.replace("Sekretessprövat", "")  # nothing hints
    assert AuditEvent.objects.filter(
        action="print", resource_type="audit.extract", subject_id=str(world.child.public_id)
    ).exists()
    # A reviewed extract is not reviewed again.
    again = client.post(review, {"reason": "Ny prövning."}, follow=True)
    assert "redan sekretessprövat" in again.text


def test_protected_identity_flags_every_row_for_the_reviewer():
    world = _World(protected=True)
    client = world.client(world.auditor)
    _draft(world, client)
    extract = GuardianExtract.objects.get()
    assert len(extract.flags) == len(extract.row_ids) == 2
    assert any("skyddade personuppgifter" in " ".join(n) for n in extract.flags.values())


def test_staff_without_the_auditor_function_cannot_draft_or_review():
    world = _World()
    assert (
        world.client(world.w.teacher)
        .post("/logg/utdrag/", {"personnummer": world.child.personal_number})
        .status_code
        == 403  # the function has no loggkontroll: 403 with the reason (docs/security.md)
    )
    review = _draft(world, world.client(world.auditor))
    assert world.client(world.social_worker).get(review).status_code == 403
    assert world.client(world.social_worker).post(review, {"reason": "x"}).status_code == 403
    assert GuardianExtract.objects.get().status == "draft"

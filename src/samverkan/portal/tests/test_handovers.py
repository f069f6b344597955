"""Handovers in the family portal: the guardians see that the school handed the child
over (from which school to which, when, on which ground, which kinds of records), never
the packet's texts; nothing of a handover to or from an organisation under
do-not-inform, one the guardians were not to be told of, or about a child with
protected identity. Each handover shown is an audit row with the family member as
actor."""

from __future__ import annotations

import pytest
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.concerns.models import Report
from samverkan.directory.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PrincipalFactory,
    actor_of,
)
from samverkan.handover import services as handover
from samverkan.legal import catalogue
from samverkan.people import selectors as people

from .conftest import portal_client

pytestmark = pytest.mark.django_db

TEXT = "PAKETTEXT-5521"


def _send(
    family,
    to,
    *,
    membership=None,
    kind="school_to_school",
    ground="school_transition",
    category="skolsituation",
    **extra,
):
    actor = actor_of(membership or MembershipFactory(code="rektor", organisation=family.school))
    return handover.handover_send(
        actor=actor,
        child_view=people.child_get(actor, family.child.public_id),
        to_organisation_id=to.pk,
        kind_code=kind,
        ground_code=ground,
        items=[handover.Item(category, TEXT)],
        confirmed=list(range(len(catalogue.load().get(ground).conditions))),
        guardian_notice=extra.pop("guardian_notice", "informed"),
        **extra,
    )


def _page(family, account=0) -> str:
    client = portal_client(family.accounts[account])
    return client.get(f"/familj/barn/{family.child.public_id}/").content.decode()


def test_the_guardian_sees_the_handover_but_not_its_texts(family):
    new_school = OrganisationFactory(
        principal=PrincipalFactory(), org_type="skola", name="Ekbackeskolan"
    )
    sent = _send(family, new_school)
    page = _page(family)
    assert "Lärkskolan → Ekbackeskolan" in page
    assert "Överlämning när ett barn börjar i en ny skola" in page  # the ground
    assert "Skolsituation" in page or "skolsituation" in page.casefold()
    assert TEXT not in page
    row = AuditEvent.objects.get(
        resource_type="handover.handover", action="read", resource_id=str(sent.public_id)
    )
    assert row.actor_organisation_id is None and row.subject_id == str(family.child.public_id)


def test_nothing_of_a_handover_to_a_do_not_inform_organisation(family):
    new_school = OrganisationFactory(
        principal=PrincipalFactory(), org_type="skola", name="Hemliga skolan"
    )
    _send(family, new_school)
    Report.objects.create(
        reference="OA-TEST-18",
        source="professional",
        channel="written",
        child=family.child,
        reporter_organisation=family.school,
        reporter_name="Rektor Test",
        receiving_organisation=new_school,
        worry="Oro",
        urgency="normal",
        guardians_informed="no",
        do_not_inform_guardians=True,
        do_not_inform_reason="Risk för barnet.",
        received_at=timezone.now(),
    )
    page = _page(family)
    assert "Hemliga skolan" not in page and "Ingen överlämning om barnet." in page


def test_nothing_of_a_handover_the_guardians_were_not_to_be_told_of(family):
    social = family.social
    from samverkan.people.tests.factories import InvolvementFactory

    InvolvementFactory(child=family.child, organisation=social, context="investigation")
    other = OrganisationFactory(
        principal=PrincipalFactory(), org_type="socialtjanst", name="Socialtjänsten Söder"
    )
    _send(
        family,
        other,
        membership=MembershipFactory(code="socialsekreterare", organisation=social),
        kind="municipality_move",
        ground="social_services_move",
        category="social_situation",
        guardian_notice="withheld",
        guardian_notice_note="Skulle skada barnet.",
    )
    page = _page(family)
    assert "Socialtjänsten Söder" not in page and "Ingen överlämning om barnet." in page


def test_nothing_of_handovers_of_a_child_with_protected_identity(family):
    new_school = OrganisationFactory(
        principal=PrincipalFactory(), org_type="skola", name="Ekbackeskolan"
    )
    _send(family, new_school)
    family.child.protected_identity = True
    family.child.save(update_fields=["protected_identity"])
    page = _page(family)
    assert "Ekbackeskolan" not in page
    assert not AuditEvent.objects.filter(resource_type="handover.handover", action="read").exists()

"""When guardians must not be told, nothing about the report reaches them: the
family portal leaves out the organisation that received it, and no three-party meeting
(which includes the family) can be booked."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from samverkan.concerns import family, selectors, services
from samverkan.consent import services as consent_services
from samverkan.core.errors import PermissionDenied, ValidationFailed
from samverkan.people import selectors as people

from .conftest import SOCIAL, make_report


def test_the_family_portal_leaves_out_the_organisation_of_a_secret_report(world):
    """The portal's one read about reports (``concerns.family``) names the receiving
    organisation of a report the guardians must not be told about, so the portal leaves
    it out; an ordinary report changes nothing. (No read hands the guardians a report's
    status: social services' internal status is not for them.)"""
    noah = world.children["noah"]
    make_report(world)
    assert family.organisations_not_to_name(noah) == frozenset()
    make_report(
        world,
        username="frida",
        guardians_informed="no",
        do_not_inform_guardians=True,
        do_not_inform_reason="Misstanke om våld av en vårdnadshavare.",
    )
    assert family.organisations_not_to_name(noah) == {world.organisations[SOCIAL].pk}
    assert not hasattr(selectors, "reports_for_guardians")


def test_no_meeting_with_the_family_when_guardians_must_not_know(world):
    secret = make_report(
        world, do_not_inform_guardians=True, do_not_inform_reason="Risk för betydande men."
    )
    start = timezone.now() + datetime.timedelta(days=2)
    with pytest.raises(ValidationFailed):
        services.meeting_book(
            actor=world.actor("maria"),
            report=secret,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
            place="Familjecentralen",
        )


def test_cannot_say_both_informed_and_not_to_be_told(world):
    with pytest.raises(ValidationFailed):
        make_report(
            world,
            guardians_informed="yes",
            do_not_inform_guardians=True,
            do_not_inform_reason="x",
        )


def _meeting_consent(world):
    noah = world.children["noah"]
    return consent_services.consent_give(
        actor=world.actor("frida"),
        child=noah,
        party_ids=[world.organisations[SOCIAL].pk],
        category_codes=["social_situation"],
        purpose_codes=["trepartssamtal"],
        form="written",
        context="report_investigation",
        givers=[
            consent_services.GiverInput(kind="guardian", guardian_id=str(c.guardian.public_id))
            for c in people.system_custodies(noah, world.organisations["Frejaskolan"].pk)
        ],
    )


def test_three_party_meeting_needs_consent_and_gives_an_ics(world, login, assigned):
    start = (timezone.now() + datetime.timedelta(days=3)).replace(microsecond=0)
    kwargs = {
        "actor": world.actor("olof"),
        "report": assigned,
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=1),
        "place": "Frejaskolan, rum 12",
    }
    with pytest.raises(PermissionDenied) as err:
        services.meeting_book(**kwargs)
    assert "Samtycke saknas" in err.value.message
    _meeting_consent(world)
    meeting = services.meeting_book(**kwargs)
    assert meeting.report_id == assigned.pk
    response = login("mats").get(f"/anmalan/{assigned.public_id}/mote/{meeting.public_id}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and "Frejaskolan\\, rum 12" in body
    assert "Noah" not in body  # the invitation names no child
    assert (
        login("lena").get(f"/anmalan/{assigned.public_id}/mote/{meeting.public_id}.ics").status_code
        == 404
    )

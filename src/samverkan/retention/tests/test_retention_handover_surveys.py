"""Retention of handover packets and of who was asked and who answered a survey: the
run removes exactly what has passed its time, nothing under a legal hold, and leaves an
audit row per record naming the rule; an open survey's "has answered" stays."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.directory.tests.factories import MembershipFactory, OrganisationFactory
from samverkan.governance.survey_models import (
    Survey,
    SurveyAudience,
    SurveyInvitation,
    SurveyParticipation,
    SurveyStatus,
)
from samverkan.handover.models import Handover, HandoverItem, Status
from samverkan.people.tests.factories import ChildFactory
from samverkan.retention import services

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def _ago(years: int, days: int = 0) -> datetime.datetime:
    return NOW.replace(year=NOW.year - years) - datetime.timedelta(days=days)


def _handover(child, status, sent, answered=None) -> Handover:
    old = OrganisationFactory(org_type="skola")
    new = OrganisationFactory(org_type="skola")
    extra = {}
    if status == Status.RECEIVED:
        extra = {"received_at": answered, "received_by_name": "Rektor"}
    elif status == Status.REFUSED:
        extra = {"refused_at": answered, "refused_by_name": "Rektor", "refusal_reason": "Fel."}
    handover = Handover.objects.create(
        child=child,
        kind="school_to_school",
        from_organisation=old,
        to_organisation=new,
        ground_code="school_transition",
        catalogue_version="2026-12-01",
        guardian_notice="informed",
        status=status,
        sent_at=sent,
        sent_by_name="Rektor",
        **extra,
    )
    HandoverItem.objects.create(handover=handover, category="skolsituation", text="Läser bra.")
    return handover


def test_handover_packets_are_thinned_after_their_time_but_not_under_a_hold(tmp_path):
    received_long_ago = _handover(ChildFactory(), Status.RECEIVED, _ago(4), _ago(3))
    # Sent long ago but refused within two years: the clock runs from the refusal.
    refused_lately = _handover(ChildFactory(), Status.REFUSED, _ago(4), _ago(1))
    never_answered = _handover(ChildFactory(), Status.SENT, _ago(3))
    held_child = ChildFactory()
    held = _handover(held_child, Status.REFUSED, _ago(5), _ago(3))
    services.hold_place(
        placed_by="Kommunjuristen",
        reason="Tvist om skolplacering.",
        personal_number=held_child.personal_number,
    )
    result = services.retention_run(now=NOW, archive_dir=tmp_path)
    rule = next(r for r in result.rules if r.rule.code == "overlamning")
    assert set(rule.removed) == {str(received_long_ago.public_id), str(never_answered.public_id)}
    assert rule.held == [str(held.public_id)]
    assert set(Handover.objects.values_list("pk", flat=True)) == {refused_lately.pk, held.pk}
    assert HandoverItem.objects.filter(handover_id=received_long_ago.pk).count() == 0
    # The packet is archived before removal, and each removal is audited under the rule.
    assert rule.archive is not None and rule.archive.json_path.exists()
    assert str(received_long_ago.public_id) in rule.archive.json_path.read_text()
    rows = AuditEvent.objects.filter(resource_type="handover.handover", action="delete")
    assert {r.resource_id for r in rows} == set(rule.removed)
    assert {r.ground_reference for r in rows} == {"overlamning"}


def test_without_an_archive_directory_no_packet_is_removed():
    _handover(ChildFactory(), Status.RECEIVED, _ago(4), _ago(3))
    result = services.retention_run(now=NOW)
    rule = next(r for r in result.rules if r.rule.code == "overlamning")
    assert rule.status == "archive_failed" and Handover.objects.count() == 1


def _survey(title, status) -> Survey:
    return Survey.objects.create(title=title, audience=SurveyAudience.AFTER_MEETING, status=status)


def test_survey_invitations_and_participations_are_thinned_but_an_open_surveys_answerers_stay():
    member = MembershipFactory(code="rektor")
    user, org = member.user, member.organisation
    open_survey = _survey("Efter mötet", SurveyStatus.OPEN)
    closed_survey = _survey("Klimatet 2024", SurveyStatus.CLOSED)

    def invite(occasion, when):
        invitation = SurveyInvitation.objects.create(
            survey=open_survey,
            user=user,
            organisation=org,
            organisation_type=org.org_type,
            occasion=occasion,
            label=occasion,
        )
        SurveyInvitation.objects.filter(pk=invitation.pk).update(created_at=when)
        return invitation

    old_invitation = invite("mote:1", _ago(2))
    new_invitation = invite("mote:2", _ago(0, 30))

    def took_part(survey, occasion, years, days=0):
        return SurveyParticipation.objects.create(
            survey=survey, user=user, occasion=occasion, answered_on=_ago(years, days).date()
        )

    old_occasion = took_part(open_survey, "mote:1", 2)
    old_open_whole = took_part(open_survey, "", 2)  # stops a second answer: stays
    old_closed_whole = took_part(closed_survey, "", 2)
    recent = took_part(closed_survey, "mote:3", 0, 30)

    result = services.retention_run(now=NOW)
    by_code = {r.rule.code: r for r in result.rules}
    assert by_code["enkat-inbjudan"].removed == [str(old_invitation.public_id)]
    assert set(by_code["enkat-deltagande"].removed) == {
        str(old_occasion.pk),
        str(old_closed_whole.pk),
    }
    mine = SurveyInvitation.objects.filter(user=user)
    assert list(mine.values_list("pk", flat=True)) == [new_invitation.pk]
    assert set(SurveyParticipation.objects.filter(user=user).values_list("pk", flat=True)) == {
        old_open_whole.pk,
        recent.pk,
    }
    audited = AuditEvent.objects.filter(action="delete", ground_reference="enkat-deltagande")
    assert {a.resource_id for a in audited} == {str(old_occasion.pk), str(old_closed_whole.pk)}


def test_a_hold_on_survey_participations_stops_their_rule():
    member = MembershipFactory(code="rektor")
    survey = _survey("Klimatet 2023", SurveyStatus.CLOSED)
    SurveyParticipation.objects.create(
        survey=survey, user=member.user, occasion="", answered_on=_ago(3).date()
    )
    services.hold_place(
        placed_by="Arkivarien",
        reason="Granskning av enkäten.",
        record_type="governance.surveyparticipation",
    )
    result = services.retention_run(now=NOW)
    rule = next(r for r in result.rules if r.rule.code == "enkat-deltagande")
    assert rule.removed == [] and len(rule.held) >= 1
    assert SurveyParticipation.objects.filter(survey=survey).count() == 1

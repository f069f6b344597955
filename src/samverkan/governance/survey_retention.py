"""Who was asked and who answered a survey, as record types of the retention schedule
(retention/data/schedule.yaml, rules ``enkat-inbjudan`` and ``enkat-deltagande``). Both
name a member of staff and hold no answers; the anonymous answers are statistics and
are kept with the survey.

- ``governance.surveyinvitation``: counted from the day the invitation was made (after
  a meeting or a closed matter). Once it is gone, that occasion can no longer be answered.
- ``governance.surveyparticipation``: counted from the day the person answered. A
  participation in a survey as a whole (no occasion) is thinned only once the survey is
  no longer open, since it is what stops a second answer.

Registered from ``GovernanceConfig.ready()``; the retention app decides when and writes
the audit rows."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db.models import Q

from samverkan.retention import registry

from .survey_models import SurveyInvitation, SurveyParticipation, SurveyStatus

INVITATION = "governance.surveyinvitation"
PARTICIPATION = "governance.surveyparticipation"


def _invitations(cutoff: datetime.datetime) -> list[registry.Candidate]:
    rows = SurveyInvitation.objects.filter(created_at__lt=cutoff).order_by("created_at", "pk")
    return [registry.Candidate(str(i.public_id), "", i.created_at) for i in rows]


def _invitation_archive(ids: Sequence[str]) -> list[dict]:
    return [
        {
            "id": str(i.public_id),
            "title": i.label,
            "fields": [
                ("survey", "Enkät", i.survey.title),
                ("occasion", "Tillfälle", i.label),
                ("organisation", "Verksamhet", i.organisation.name),
                ("created_at", "Inbjuden", i.created_at.isoformat()),
            ],
        }
        for i in SurveyInvitation.objects.filter(public_id__in=ids).select_related(
            "survey", "organisation"
        )
    ]


def _invitations_remove(ids: Sequence[str]) -> int:
    deleted, _ = SurveyInvitation.objects.filter(public_id__in=ids).delete()
    return deleted


def _clock(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


def _participations(cutoff: datetime.datetime) -> list[registry.Candidate]:
    rows = (
        SurveyParticipation.objects.filter(answered_on__lt=cutoff.date())
        .filter(~Q(occasion="") | ~Q(survey__status=SurveyStatus.OPEN))
        .order_by("answered_on", "pk")
    )
    # A participation has no public id; its primary key names it in the audit row.
    return [registry.Candidate(str(p.pk), "", _clock(p.answered_on)) for p in rows]


def _participation_archive(ids: Sequence[str]) -> list[dict]:
    return [
        {
            "id": str(p.pk),
            "title": p.survey.title,
            "fields": [
                ("survey", "Enkät", p.survey.title),
                ("occasion", "Tillfälle", p.occasion),
                ("answered_on", "Svarade", p.answered_on.isoformat()),
            ],
        }
        for p in SurveyParticipation.objects.filter(pk__in=ids).select_related("survey")
    ]


def _participations_remove(ids: Sequence[str]) -> int:
    deleted, _ = SurveyParticipation.objects.filter(pk__in=[int(i) for i in ids]).delete()
    return deleted


def register() -> None:
    registry.register(
        registry.RecordType(
            code=INVITATION,
            label="Inbjudan till enkät",
            candidates=_invitations,
            archive=_invitation_archive,
            remove=_invitations_remove,
        )
    )
    registry.register(
        registry.RecordType(
            code=PARTICIPATION,
            label="Deltagande i enkät",
            candidates=_participations,
            archive=_participation_archive,
            remove=_participations_remove,
        )
    )

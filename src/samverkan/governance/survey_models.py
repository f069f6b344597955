"""Evaluation surveys (enkäter): a climate survey of the collaboration
("temperaturmätning"), evaluations after meetings and after closed cases, and any survey
the strategy group builds (yes/no, 1-5 scales, free text).

Answers are anonymous by construction: a ``SurveyResponse`` keeps the answers with the
respondent's organisation type and the month only — never the person, the
organisation, the meeting or the case. Who has answered (so that each answers once) is
kept apart in ``SurveyParticipation``, which holds no answers. Results are shown for a
group only when it has at least ``min_group`` responses (survey_results.py).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from samverkan.core import bounds
from samverkan.core.models import BaseModel

# The smallest group size a survey may be set to show (the default is 5).
MIN_GROUP_FLOOR = 3


class SurveyAudience(models.TextChoices):
    FORUM = "forum", gettext_lazy("Medlemmarna i ett samverkansforum")
    ORG_TYPES = "verksamheter", gettext_lazy("Personal i valda sorters verksamheter")
    AFTER_MEETING = "efter_mote", gettext_lazy("Deltagarna efter ett samverkansmöte")
    AFTER_CASE = "efter_arende", gettext_lazy("Båda sidor efter ett avslutat ärende")


class SurveyStatus(models.TextChoices):
    DRAFT = "utkast", gettext_lazy("Utkast")
    OPEN = "oppen", gettext_lazy("Öppen för svar")
    CLOSED = "stangd", gettext_lazy("Stängd")


class QuestionKind(models.TextChoices):
    YES_NO = "janej", gettext_lazy("Ja eller nej")
    SCALE5 = "skala5", gettext_lazy("Skala 1–5")
    # Kinds of the evaluations folded in from meetings and cases (kept as answered).
    SCALE4 = "skala4", gettext_lazy("Skala 1–4 (nej, inte alls – ja, helt)")
    YES_PARTLY_NO = "jadelvisnej", gettext_lazy("Ja, delvis eller nej")
    TEXT = "fritext", gettext_lazy("Fritext")


class Survey(BaseModel):
    title = models.CharField(max_length=bounds.TEXT_NAME, unique=True)
    introduction = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    audience = models.CharField(max_length=20, choices=SurveyAudience.choices)
    forum = models.ForeignKey(
        "meetings.Forum", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # For SurveyAudience.ORG_TYPES: the organisation type codes asked. For a survey the
    # strategy group binds to meetings or closed matters: only people of these types are
    # asked (empty: every type).
    org_types = models.JSONField(default=list, blank=True)
    # For a builder survey after meetings: the forum levels whose meetings trigger it.
    forum_levels = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    closes_on = models.DateField(null=True, blank=True)
    min_group = models.PositiveSmallIntegerField(default=5)
    # The built-in evaluations after a meeting and after a closed case ("mote", "arende").
    system_code = models.CharField(max_length=20, blank=True)
    created_by_name = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_group__gte=MIN_GROUP_FLOOR), name="survey_min_group_floor"
            ),
            models.CheckConstraint(
                condition=~Q(audience="forum") | Q(forum__isnull=False),
                name="survey_forum_audience_has_forum",
            ),
            models.UniqueConstraint(
                fields=["system_code"],
                condition=~Q(system_code=""),
                name="survey_system_code_once",
            ),
        ]

    def __str__(self):
        return self.title


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=QuestionKind.choices)
    text = models.CharField(max_length=bounds.TEXT_LINE)
    # For the folded evaluations: the answer key in the old evaluation ("purpose", ...).
    code = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "position"], name="survey_question_position_once"
            ),
        ]

    def __str__(self):
        return self.text


class SurveyParticipation(models.Model):
    """That a person has answered (for one occasion: a meeting or a case, or the survey
    itself). Holds no answers, so the answers cannot be traced to the person."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    occasion = models.CharField(max_length=80, blank=True)
    answered_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user", "occasion"], name="survey_participation_once"
            ),
        ]

    def __str__(self):
        return f"{self.survey_id}: {self.answered_on}"


class SurveyResponse(models.Model):
    """One anonymous set of answers: the respondent's organisation type and the month.
    Its key is random, so the order of the rows does not match the order of the
    participations either."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    organisation_type = models.CharField(max_length=20)
    month = models.DateField()  # the first day of the month

    class Meta:
        indexes = [models.Index(fields=["survey", "month", "organisation_type"])]

    def __str__(self):
        return f"{self.survey_id}: {self.organisation_type} {self.month:%Y-%m}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="survey_answer_once_per_question"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(text=""), name="survey_answer_not_empty"
            ),
        ]

    def __str__(self):
        return f"{self.response_id}: {self.question_id}"


class SurveyInvitation(models.Model):
    """A person asked to answer a survey after one occasion (a meeting held, a matter
    closed): at most one per person, survey and occasion however often the occasion is
    reported. It reaches the person's inbox and lets them answer once; it holds no
    answers (the participation and the anonymous response are written apart)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The organisation the person took part for (they answer as its organisation type).
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    organisation_type = models.CharField(max_length=20)
    occasion = models.CharField(max_length=80)
    # What the occasion was, without personal data ("Forum X 2026-11-30", a reference).
    label = models.CharField(max_length=bounds.TEXT_LINE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user", "occasion"], name="survey_invitation_once"
            ),
        ]
        indexes = [models.Index(fields=["user", "survey"])]

    def __str__(self):
        return f"{self.survey_id}: {self.occasion}"

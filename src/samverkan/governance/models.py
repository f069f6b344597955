"""Steering and follow-up: written agreements and routines (överenskommelser, rutiner,
riktlinjer, metodhandböcker, samverkansformer), each with a document owner, a decision
body, revisions and readers' comments and change proposals.

None of this is personal data about children: agreements are about how organisations
work together, never about a child. Comments keep who wrote them (staff), as any
document's history does.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from samverkan.core import bounds
from samverkan.core.models import BaseModel


class AgreementKind(models.TextChoices):
    AGREEMENT = "overenskommelse", gettext_lazy("Överenskommelse")
    ROUTINE = "rutin", gettext_lazy("Rutin")
    GUIDELINE = "riktlinje", gettext_lazy("Riktlinje")
    HANDBOOK = "metodhandbok", gettext_lazy("Metodhandbok")
    FORM = "samverkansform", gettext_lazy("Samverkansform")


class AgreementStatus(models.TextChoices):
    DRAFT = "utkast", gettext_lazy("Utkast")
    IN_FORCE = "gallande", gettext_lazy("Gällande")
    UNDER_REVISION = "revideras", gettext_lazy("Under revidering")
    EXPIRED = "upphord", gettext_lazy("Upphört")


class Agreement(BaseModel):
    """One agreement or routine. ``version`` (from BaseModel) counts the saved versions;
    each leaves an ``AgreementRevision`` with the whole text and its facts."""

    title = models.CharField(max_length=bounds.TEXT_NAME, unique=True)
    kind = models.CharField(max_length=20, choices=AgreementKind.choices)
    status = models.CharField(
        max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    summary = models.CharField(max_length=bounds.TEXT_LINE, blank=True)
    body = models.TextField(max_length=bounds.TEXT_DOCUMENT, blank=True)
    decision_forum = models.ForeignKey(
        "meetings.Forum", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    # Empty: valid until further notice ("tills vidare").
    valid_until = models.DateField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)
    owner_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    owner_function = models.ForeignKey(
        "directory.Function", on_delete=models.PROTECT, related_name="+"
    )
    forums = models.ManyToManyField("meetings.Forum", related_name="+", blank=True)
    # Links to the shared knowledge: ["concept:aterkoppling", "method:sip", ...].
    knowledge_links = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["kind", "title"]
        indexes = [models.Index(fields=["owner_organisation", "owner_function", "review_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(decided_on__isnull=True)
                | Q(valid_until__gte=models.F("decided_on")),
                name="agreement_validity_ordered",
            ),
        ]

    def __str__(self):
        return self.title


class AgreementParty(models.Model):
    """An organisation that is party to an agreement; its staff may read it."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"], name="agreement_party_once"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "agreement"])]

    def __str__(self):
        return f"{self.agreement_id} – {self.organisation_id}"


class AgreementAttachment(BaseModel):
    """A file attached to an agreement (a signed PDF, a form, a chart). The bytes live in
    the database, so backups and restores carry them. Removing one keeps the row (marked
    ``removed_at``) as the agreement's history."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=bounds.TEXT_NAME)
    content_type = models.CharField(max_length=bounds.TEXT_NAME)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by_name = models.CharField(max_length=bounds.TEXT_NAME)
    uploaded_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by_name = models.CharField(max_length=bounds.TEXT_NAME, blank=True)

    class Meta:
        ordering = ["agreement", "uploaded_at"]

    def __str__(self):
        return self.filename


class AgreementRevision(models.Model):
    """One saved version: the whole text and facts, who saved it, when and why. Never
    updated or deleted; any two can be compared."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    changed_fields = models.JSONField(default=list, blank=True)
    comment = models.CharField(max_length=bounds.TEXT_LINE, blank=True)
    created_at = models.DateTimeField()
    author_user_id = models.BigIntegerField(null=True, blank=True)
    author_name = models.CharField(max_length=300, blank=True)
    author_organisation = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="agreement_revision_unique_number"
            ),
        ]

    def __str__(self):
        return f"{self.agreement_id} v{self.number}"


class CommentKind(models.TextChoices):
    COMMENT = "kommentar", gettext_lazy("Kommentar")
    PROPOSAL = "forslag", gettext_lazy("Ändringsförslag")


class CommentStatus(models.TextChoices):
    OPEN = "oppen", gettext_lazy("Väntar på dokumentägaren")
    ACCEPTED = "godtagen", gettext_lazy("Godtagen")
    REJECTED = "avslagen", gettext_lazy("Avslagen")


class AgreementComment(BaseModel):
    """A reader's comment or change proposal. The document owner (or the strategy
    group) accepts it — a proposal's text then becomes a new version — or rejects it
    with a reason."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="comments")
    kind = models.CharField(max_length=20, choices=CommentKind.choices)
    text = models.TextField(max_length=bounds.TEXT_PARAGRAPH)
    proposed_body = models.TextField(max_length=bounds.TEXT_DOCUMENT, blank=True)
    base_version = models.PositiveIntegerField()
    status = models.CharField(
        max_length=20, choices=CommentStatus.choices, default=CommentStatus.OPEN
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField(max_length=300)
    author_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by_name = models.CharField(max_length=300, blank=True)
    decision_note = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    resulting_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="kommentar") | ~Q(proposed_body=""),
                name="agreement_proposal_has_text",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.public_id}"


# The strategy plan -----------------------------------------------------------------------
class StrategyPlan(BaseModel):
    """A strategy plan for collaboration (e.g. 2025-2027): goals, focus areas with
    activities, and indicators followed up in interim and annual reports."""

    title = models.CharField(max_length=bounds.TEXT_NAME, unique=True)
    summary = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    period_start = models.DateField()
    period_end = models.DateField()
    decision_forum = models.ForeignKey(
        "meetings.Forum", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreement = models.ForeignKey(
        Agreement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")),
                name="strategy_plan_period_ordered",
            ),
        ]

    def __str__(self):
        return self.title


class Goal(BaseModel):
    plan = models.ForeignKey(StrategyPlan, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=bounds.TEXT_LINE)
    description = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class FocusArea(BaseModel):
    plan = models.ForeignKey(StrategyPlan, on_delete=models.CASCADE, related_name="focus_areas")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=bounds.TEXT_LINE)
    description = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class ActivityStatus(models.TextChoices):
    PLANNED = "planerad", gettext_lazy("Planerad")
    ONGOING = "pagar", gettext_lazy("Pågår")
    DONE = "klar", gettext_lazy("Genomförd")
    CANCELLED = "installd", gettext_lazy("Inställd")


class Activity(BaseModel):
    focus_area = models.ForeignKey(FocusArea, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(max_length=bounds.TEXT_LINE)
    description = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    owner_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    owner_function = models.ForeignKey(
        "directory.Function", on_delete=models.PROTECT, related_name="+"
    )
    due = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )

    class Meta:
        ordering = ["due", "title"]

    def __str__(self):
        return self.title


class PlanChange(models.Model):
    """The history of the plan's goals, focus areas and activities: each change or
    removal with the fields before and after, who made it and when. Never updated."""

    plan = models.ForeignKey(StrategyPlan, on_delete=models.CASCADE, related_name="changes")
    item_kind = models.CharField(max_length=20)  # "goal", "focus_area", "activity"
    item_id = models.UUIDField()
    item_title = models.CharField(max_length=bounds.TEXT_LINE)
    action = models.CharField(max_length=10)  # "change" or "remove"
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict, blank=True)
    changed_at = models.DateTimeField()
    author_name = models.CharField(max_length=300)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.item_kind} {self.action} {self.changed_at:%Y-%m-%d}"


class Indicator(BaseModel):
    """An indicator of the plan: computed from the product's own data (``definition``,
    a code of the registry in indicators.py) or entered by hand (``definition`` empty,
    values in ``IndicatorValue``). Baseline and target are in the indicator's unit
    (a count per month, or per cent)."""

    plan = models.ForeignKey(StrategyPlan, on_delete=models.CASCADE, related_name="indicators")
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators"
    )
    name = models.CharField(max_length=bounds.TEXT_NAME)
    definition = models.CharField(max_length=80, blank=True)
    description = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    # "count" or "share"; "days" (a median number of days) only for computed ones.
    unit = models.CharField(max_length=10, default="count")
    baseline = models.DecimalField(max_digits=9, decimal_places=1, null=True, blank=True)
    baseline_label = models.CharField(max_length=bounds.TEXT_LINE, blank=True)
    target = models.DecimalField(max_digits=9, decimal_places=1, null=True, blank=True)
    target_label = models.CharField(max_length=bounds.TEXT_LINE, blank=True)
    period_start = models.DateField()
    period_end = models.DateField()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="indicator_unique_name"),
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")),
                name="indicator_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(unit__in=["count", "share", "days"]), name="indicator_known_unit"
            ),
        ]

    def __str__(self):
        return self.name


class IndicatorValue(models.Model):
    """A value entered by hand for one month of a manual indicator."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    month = models.DateField()  # the first day of the month
    value = models.DecimalField(max_digits=9, decimal_places=1)
    note = models.CharField(max_length=bounds.TEXT_LINE, blank=True)
    entered_at = models.DateTimeField()
    entered_by_name = models.CharField(max_length=300)

    class Meta:
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "month"], name="indicator_value_once"),
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.month}: {self.value}"


class ReportKind(models.TextChoices):
    INTERIM = "delar", gettext_lazy("Delårsrapport")
    ANNUAL = "ar", gettext_lazy("Årsrapport")
    SITUATION = "lagesanalys", gettext_lazy("Lägesanalys")


class FollowUpReport(BaseModel):
    """An interim or annual report, or the annual situation analysis (lägesanalys):
    written analysis plus the plan's figures for a period, frozen when the report is
    written (``figures``: every indicator's table as shown, suppression included), so
    the report says the same thing later whatever is recorded afterwards."""

    plan = models.ForeignKey(StrategyPlan, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    title = models.CharField(max_length=bounds.TEXT_NAME)
    period_start = models.DateField()
    period_end = models.DateField()
    analysis = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    figures = models.JSONField(default=list)
    frozen_at = models.DateTimeField()
    author_name = models.CharField(max_length=300)

    class Meta:
        ordering = ["-period_end", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "title"], name="followup_report_unique_title"),
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")),
                name="followup_report_period_ordered",
            ),
        ]

    def __str__(self):
        return self.title


# Evaluation surveys (their own module; imported here so Django finds them).
from .survey_models import (  # noqa: E402, F401
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyAudience,
    SurveyInvitation,
    SurveyParticipation,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)

"""Reports of concern (orosanmälan): the submitted report, social services' handling of
it, the append-only timeline (additions, questions, assessments, feedback), notices,
three-party meetings and the evaluation after closure.

A submitted ``Report`` and every ``Entry`` are never changed: the database refuses
UPDATE on both tables (migration 0002). Corrections and additions are new entries.
Everything that moves (assignment, deadlines, decisions, closure) is on ``Handling``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from samverkan.core import bounds
from samverkan.core.models import BaseModel


class Source(models.TextChoices):
    PROFESSIONAL = "professional", gettext_lazy("Yrkesverksam (anmälningsskyldig)")
    PRIVATE = "private", gettext_lazy("Privatperson")


class Channel(models.TextChoices):
    WRITTEN = "written", gettext_lazy("Skriftlig")
    ORAL = "oral", gettext_lazy("Muntlig (akut)")


class Urgency(models.TextChoices):
    ACUTE = "acute", gettext_lazy("Akut – barnet kan vara i fara nu")
    SOON = "soon", gettext_lazy("Brådskande")
    NORMAL = "normal", gettext_lazy("Inte akut")


class GuardiansInformed(models.TextChoices):
    YES = "yes", gettext_lazy("Ja, vårdnadshavarna vet att anmälan görs")
    NO = "no", gettext_lazy("Nej")
    UNKNOWN = "unknown", gettext_lazy("Vet inte")


class Report(BaseModel):
    """One submitted report. Immutable: the database refuses every UPDATE except
    linking a report that has no child to the child, once (intake identifies it)."""

    reference = models.CharField(max_length=16, unique=True)
    source = models.CharField(max_length=20, choices=Source.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What a private person knows about the child (name, age, school, address).
    child_details = models.TextField(max_length=bounds.TEXT_DOCUMENT, blank=True)
    # A professional reporting a child who is not in their organisation's register: the
    # personnummer and name they gave travel with the report (the duty to report), and
    # social services' intake links the report to the child (``child``).
    reported_personal_number = models.CharField(max_length=12, blank=True)
    reported_first_name = models.CharField(max_length=100, blank=True)
    reported_last_name = models.CharField(max_length=100, blank=True)
    reporter_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reporter_name = models.CharField(max_length=200, blank=True)
    reporter_function = models.CharField(max_length=200, blank=True)
    reporter_phone = models.CharField(max_length=40, blank=True)
    reporter_email = models.EmailField(blank=True)
    receiving_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    routed_unit = models.ForeignKey(
        "directory.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    worry = models.TextField(max_length=bounds.TEXT_DOCUMENT)
    observations = models.TextField(max_length=bounds.TEXT_DOCUMENT, blank=True)
    child_words = models.TextField(max_length=bounds.TEXT_DOCUMENT, blank=True)
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    guardians_informed = models.CharField(max_length=10, choices=GuardiansInformed.choices)
    do_not_inform_guardians = models.BooleanField(default=False)
    do_not_inform_reason = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    # A written report that completes an earlier oral one.
    completes = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="completions"
    )
    received_at = models.DateTimeField()
    # For an oral report: who in social services took the call.
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["receiving_organisation", "received_at"]),
            models.Index(fields=["reporter_organisation", "received_at"]),
            models.Index(fields=["child", "received_at"]),
        ]
        constraints = [
            # Professionals cannot be anonymous.
            models.CheckConstraint(
                condition=~Q(source="professional")
                | (Q(reporter_organisation__isnull=False) & ~Q(reporter_name="")),
                name="concern_professional_named",
            ),
            models.CheckConstraint(
                condition=Q(child__isnull=False)
                | ~Q(child_details="")
                | ~Q(reported_personal_number=""),
                name="concern_child_identified",
            ),
            models.CheckConstraint(
                condition=~Q(channel="oral") | Q(received_by__isnull=False),
                name="concern_oral_has_receiver",
            ),
            models.CheckConstraint(
                condition=Q(do_not_inform_guardians=False) | ~Q(do_not_inform_reason=""),
                name="concern_no_inform_reason",
            ),
            models.CheckConstraint(
                condition=~Q(worry=""),
                name="concern_worry_given",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def reported_child(self) -> str:
        """The child as the reporter gave them, when not (yet) linked: name, number."""
        if not self.reported_personal_number:
            return ""
        number = self.reported_personal_number
        return f"{self.reported_first_name} {self.reported_last_name}, {number[:8]}-{number[8:]}"

    @property
    def is_anonymous(self) -> bool:
        return self.source == Source.PRIVATE and not self.reporter_name


class PreliminaryDecision(models.TextChoices):
    OPEN = "open", gettext_lazy("Utredning inleds")
    NOT_OPEN = "not_open", gettext_lazy("Utredning inleds inte")
    ONGOING = "ongoing", gettext_lazy("Utredning pågår redan")


class Outcome(models.TextChoices):
    NO_INVESTIGATION = "no_investigation", gettext_lazy("Avslutad utan utredning")
    NO_INTERVENTION = "no_intervention", gettext_lazy("Utredning avslutad utan insats")
    INTERVENTION = "intervention", gettext_lazy("Utredning avslutad med insats")
    REFERRED = "referred", gettext_lazy("Överlämnad till annan kommun eller myndighet")


class Handling(BaseModel):
    """Social services' handling of one report: who handles it, the deadlines and the
    decisions. Changed only by the services (each change also adds an Entry)."""

    report = models.OneToOneField(Report, on_delete=models.PROTECT, related_name="handling")
    handler = models.ForeignKey(
        "directory.Membership", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    written_due = models.DateField(null=True, blank=True)
    written_received_at = models.DateTimeField(null=True, blank=True)
    protection_assessed_at = models.DateTimeField(null=True, blank=True)
    preliminary_due = models.DateField()
    preliminary_decision = models.CharField(
        max_length=10, choices=PreliminaryDecision.choices, blank=True
    )
    preliminary_decided_at = models.DateTimeField(null=True, blank=True)
    investigation_started_on = models.DateField(null=True, blank=True)
    investigation_due = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    # Pre-aggregated for the follow-up figures (concerns/statistics.py, decision 0261):
    # the report's arrival and whether it completes an earlier oral report (copied from
    # the immutable report), its first receipt and first feedback. Written by the
    # database (triggers, migration 0008) whoever inserts the rows; never by a save.
    report_received_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_completion = models.BooleanField(default=False, editable=False)
    first_receipt_at = models.DateTimeField(null=True, blank=True, editable=False)
    first_feedback_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The intake's order (decision 0361, concerns/intake_order.py): the receiving
    # organisation (copied from the immutable report) and the earliest due day of the
    # deadlines the intake shows (None: none), written by the services in the same
    # transaction as every change to their inputs. Today decides only the labels.
    intake_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        db_index=False,
    )
    intake_due = models.DateField(null=True, blank=True, editable=False)

    # The columns only the database writes: a save of a stale copy must not erase them.
    DATABASE_WRITTEN = (
        "report_received_at",
        "is_completion",
        "first_receipt_at",
        "first_feedback_at",
    )

    class Meta:
        # The intake starts from its open (and recently closed) handlings (decision 0342).
        indexes = [
            models.Index(fields=["closed_at", "report"], name="handling_closed_report"),
            # The intake's page of open reports in its order, read by index (decision
            # 0361): "ORDER BY intake_due, report_received_at, report LIMIT 26".
            models.Index(
                fields=["intake_organisation", "intake_due", "report_received_at", "report"],
                condition=Q(closed_at__isnull=True),
                name="handling_intake_open",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(preliminary_decision="") | Q(preliminary_decided_at__isnull=False),
                name="handling_decision_dated",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | ~Q(outcome=""),
                name="handling_closed_with_outcome",
            ),
            models.CheckConstraint(
                condition=Q(investigation_started_on__isnull=True)
                | Q(investigation_due__isnull=False),
                name="handling_investigation_has_due",
            ),
        ]

    def save(self, *args, update_fields=None, **kwargs):
        if self.pk is not None and not self._state.adding and update_fields is None:
            update_fields = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in self.DATABASE_WRITTEN
            ]
        elif update_fields is not None:
            update_fields = [f for f in update_fields if f not in self.DATABASE_WRITTEN]
        super().save(*args, update_fields=update_fields, **kwargs)


class EntryKind(models.TextChoices):
    RECEIPT = "receipt", gettext_lazy("Mottagningsbekräftelse")
    ADDITION = "addition", gettext_lazy("Tillägg från anmälaren")
    CORRECTION = "correction", gettext_lazy("Rättelse från anmälaren")
    QUESTION = "question", gettext_lazy("Fråga från anmälaren")
    ANSWER = "answer", gettext_lazy("Svar från handläggaren")
    WRITTEN_RECEIVED = "written_received", gettext_lazy("Skriftlig anmälan har kommit in")
    ASSIGNED = "assigned", gettext_lazy("Handläggare utsedd")
    PROTECTION = "protection", gettext_lazy("Skyddsbedömning")
    PRELIMINARY = "preliminary", gettext_lazy("Beslut efter förhandsbedömning")
    PRELIMINARY_EXTENDED = "preliminary_extended", gettext_lazy("Förhandsbedömningen förlängd")
    INVESTIGATION_EXTENDED = "investigation_extended", gettext_lazy("Utredningstiden förlängd")
    CLOSED = "closed", gettext_lazy("Ärendet avslutat")
    FEEDBACK = "feedback", gettext_lazy("Återkoppling")
    NOTE = "note", gettext_lazy("Anteckning")
    IDENTIFIED = "identified", gettext_lazy("Barnet identifierat")


class Entry(models.Model):
    """One line of a report's timeline. Immutable (UPDATE is refused by the database)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=30, choices=EntryKind.choices)
    # For feedback: the code of the statement in the feedback catalogue
    # (data/feedback.yaml, feedback.py); codes never change, so history stays readable.
    statement = models.CharField(max_length=40, blank=True)
    text = models.TextField(max_length=bounds.TEXT_DOCUMENT, blank=True)
    # Shown to the reporting side (receipt, assignment, feedback, their own additions).
    to_reporter = models.BooleanField(default=False)
    # For feedback: the ground it passed on (whitelist path or consent).
    ground_code = models.CharField(max_length=50, blank=True)
    ground_label = models.CharField(max_length=300, blank=True)
    ground_reference = models.CharField(max_length=100, blank=True)
    in_reply_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies"
    )
    due_before = models.DateField(null=True, blank=True)
    due_after = models.DateField(null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(max_length=300, blank=True)
    author_organisation_name = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="feedback") | ~Q(ground_code=""),
                name="entry_feedback_has_ground",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["preliminary_extended", "investigation_extended"])
                | ~Q(text=""),
                name="entry_extension_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d})"


class Meeting(BaseModel):
    """A three-party meeting (trepartssamtal): the family, the reporter and the social
    worker."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=200)
    agenda = models.TextField(max_length=bounds.TEXT_DOCUMENT, blank=True)
    family_invited = models.BooleanField(default=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_by_name = models.CharField(max_length=300)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
        ]


class Evaluation(models.Model):
    """The cooperation evaluated after closure, once per side (reporting organisation
    and social services). Kept for follow-up."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="evaluations")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    organisation_type = models.CharField(max_length=20)
    answers = models.JSONField(default=dict)
    comment = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "organisation"], name="evaluation_once_per_organisation"
            ),
        ]

    def __str__(self):
        return f"{self.report_id}: {self.organisation_type}"

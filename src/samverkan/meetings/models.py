"""Collaboration forums (samverkansforum) and their meetings: attendance, agenda items
of three kinds, minutes with decisions and appended corrections, action items,
evaluations, escalations of disagreements (gråzon), and calendar feed tokens.

Whether an identified item may be shown is decided at read time (consent.sharing), never
stored as a flag: the item keeps only the child and the consent it was raised under."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.core import bounds
from samverkan.core.models import BaseModel


class Level(models.TextChoices):
    POLITICAL = "politisk", gettext_lazy("Politisk nivå")
    ADMINISTRATION = "forvaltning", gettext_lazy("Förvaltningsnivå")
    UNIT_MANAGER = "enhetschef", gettext_lazy("Enhetschefsnivå")
    BASE = "basniva", gettext_lazy("Basnivå")


class Cadence(models.TextChoices):
    WEEKLY = "weekly", gettext_lazy("Varje vecka")
    MONTHLY = "monthly", gettext_lazy("Varje månad")
    TERMLY = "termly", gettext_lazy("En gång per termin")
    YEARLY = "yearly", gettext_lazy("En gång per år")


class Forum(BaseModel):
    name = models.CharField(max_length=200, unique=True)
    level = models.CharField(max_length=20, choices=Level.choices)
    cadence = models.CharField(max_length=20, choices=Cadence.choices)
    # The organisation and function that call the meetings (function, not person).
    convener_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    convener_function = models.ForeignKey(
        "directory.Function", on_delete=models.PROTECT, related_name="+"
    )
    organisations = models.ManyToManyField(
        "directory.Organisation", through="ForumOrganisation", related_name="+"
    )
    functions = models.ManyToManyField("directory.Function", related_name="+", blank=True)
    purpose = models.TextField(max_length=bounds.TEXT_PARAGRAPH)
    goals = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    target_group = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    min_age = models.PositiveSmallIntegerField(null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(null=True, blank=True)
    way_of_working = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    # Weekday (0 = Monday) and time of the meetings the cadence generates.
    weekday = models.PositiveSmallIntegerField(default=1)
    start_time = models.TimeField(default="13:00")
    duration_minutes = models.PositiveSmallIntegerField(default=90)
    location = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__lte=6), name="meetings_forum_weekday_valid"
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(max_age__gte=models.F("min_age")),
                name="meetings_forum_age_band_ordered",
            ),
        ]

    def __str__(self):
        return self.name


class ForumOrganisation(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "organisation"], name="meetings_forum_member_once"
            ),
        ]

    def __str__(self):
        return f"{self.forum_id}: {self.organisation_id}"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", gettext_lazy("Planerat")
    HELD = "held", gettext_lazy("Genomfört")
    CANCELLED = "cancelled", gettext_lazy("Inställt")


class Meeting(BaseModel):
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    # Generated from the forum's cadence (counts as planned in the follow-up) or booked.
    from_cadence = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    minutes = models.TextField(max_length=bounds.TEXT_DOCUMENT, blank=True)
    minutes_approved_at = models.DateTimeField(null=True, blank=True)
    minutes_approved_by = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["forum", "starts_at"], name="meetings_meeting_once_per_time"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="meetings_meeting_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(minutes_approved_at__isnull=True) | Q(status="held"),
                name="meetings_meeting_minutes_approved_when_held",
            ),
        ]

    def __str__(self):
        return f"{self.forum.name} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_locked(self) -> bool:
        return self.minutes_approved_at is not None

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()


class Attendance(models.Model):
    """An organisation taking part in a meeting, with the functions it sends. Identified
    items are checked against every attending organisation."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    participants = models.CharField(max_length=300, blank=True)  # functions, e.g. "Kurator"
    present = models.BooleanField(null=True)  # None = invited, not yet recorded

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organisation"], name="meetings_attendance_once"
            ),
        ]

    def __str__(self):
        return f"{self.meeting_id}: {self.organisation_id}"


class ItemKind(models.TextChoices):
    GENERAL = "general", gettext_lazy("Allmän fråga")
    ANONYMISED = "anonymised", gettext_lazy("Avidentifierad ärendekonsultation")
    IDENTIFIED = "identified", gettext_lazy("Ärende med namn (samtycke)")


class AgendaItem(BaseModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20, choices=ItemKind.choices)
    title = models.CharField(max_length=200)
    text = models.TextField(max_length=bounds.TEXT_DOCUMENT, blank=True)
    author_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    author_name = models.CharField(max_length=300)
    # Identified items only: the child, the information category, and the consent it
    # was raised under (a reference for the log; coverage is decided at every read).
    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    category = models.CharField(max_length=50, blank=True)
    consent_reference = models.CharField(max_length=100, blank=True)
    decision = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="identified") & Q(child__isnull=False) & ~Q(category=""))
                | (~Q(kind="identified") & Q(child__isnull=True)),
                name="meetings_agenda_item_child_only_when_identified",
            ),
        ]


class MinutesCorrection(models.Model):
    """A correction appended to approved (locked) minutes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="corrections")
    text = models.TextField(max_length=bounds.TEXT_DOCUMENT)
    author_name = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return _("Rättelse %(pk)s till möte %(meeting_id)s") % {
            "pk": self.pk,
            "meeting_id": self.meeting_id,
        }


class ActionStatus(models.TextChoices):
    OPEN = "open", gettext_lazy("Pågår")
    DONE = "done", gettext_lazy("Klar")
    CANCELLED = "cancelled", gettext_lazy("Struken")


class ActionItem(BaseModel):
    """A task decided at a meeting. Open tasks carry over to the forum's next meetings
    until they are done or struck."""

    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="actions")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    text = models.TextField(max_length=bounds.TEXT_PARAGRAPH)
    responsible_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    responsible_function = models.ForeignKey(
        "directory.Function", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responsible_person = models.CharField(max_length=200, blank=True)
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default="open")
    done_on = models.DateField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(responsible_function__isnull=False) | ~Q(responsible_person=""),
                name="meetings_action_has_responsible",
            ),
            models.CheckConstraint(
                condition=Q(status="done", done_on__isnull=False)
                | (~Q(status="done") & Q(done_on__isnull=True)),
                name="meetings_action_done_has_date",
            ),
        ]


class Evaluation(models.Model):
    """A participant's short evaluation after a meeting (a yes/no scale), kept for the
    forum's follow-up. Answers: {question code: 1..4}."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="evaluations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    answers = models.JSONField(default=dict)
    comment = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"], name="meetings_evaluation_once_per_user"
            ),
        ]

    def __str__(self):
        return _("Utvärdering %(pk)s av möte %(meeting_id)s") % {
            "pk": self.pk,
            "meeting_id": self.meeting_id,
        }


class EscalationStatus(models.TextChoices):
    OPEN = "open", gettext_lazy("Pågår")
    RESOLVED = "resolved", gettext_lazy("Avgjord")


class Escalation(BaseModel):
    """A disagreement about who is responsible for a need (gråzon), taken step by step
    up a chain of forums. Anonymised (checked text) or about a named child under a
    consent that covers the organisations involved."""

    title = models.CharField(max_length=200)
    description = models.TextField(max_length=bounds.TEXT_PARAGRAPH)
    raised_by_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    raised_by_name = models.CharField(max_length=300)
    counterpart_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    consent_reference = models.CharField(max_length=100, blank=True)
    status = models.CharField(
        max_length=20, choices=EscalationStatus.choices, default=EscalationStatus.OPEN
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(raised_by_organisation=models.F("counterpart_organisation")),
                name="meetings_escalation_between_two_organisations",
            ),
        ]


class EscalationStep(models.Model):
    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    # The step's owner: the forum that handles it (its convener is asked to act).
    forum = models.ForeignKey(
        Forum, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField()
    # Each party's view, as recorded.
    positions = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    decision = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField()

    class Meta:
        ordering = ["escalation", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["escalation", "position"], name="meetings_step_position_once"
            ),
        ]

    def __str__(self):
        return f"{self.escalation_id}: {self.position} {self.name}"


class CalendarToken(models.Model):
    """The secret in a user's calendar feed URL. Only a hash is stored; revoking it
    stops every feed URL that carries it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    membership_id = models.BigIntegerField()
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One working link per user: a new one revokes the one before (decision 0356).
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="meetings_one_active_calendar_token",
            )
        ]

    def __str__(self):
        return f"Kalendernyckel {self.pk}"

"""SIP — samordnad individuell plan (old SoL 2 kap. 7 §, HSL 16 kap. 4 §, new SoL 10 kap.
8-9 §§). A plan is started by one participating organisation, which calls the others;
its content lives in immutable versions (``PlanVersion``): every save makes a new one,
with who and when, and the plan row only points at the latest number (``version``).
Whether another organisation may see the plan is decided at read time from the consent
(consent.sharing), never stored here."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from samverkan.core import bounds
from samverkan.core.models import BaseModel


class PlanStatus(models.TextChoices):
    CALLED = "called", gettext_lazy("Kallad – planen är inte upprättad än")
    ACTIVE = "active", gettext_lazy("Upprättad – följs upp")
    CLOSED = "closed", gettext_lazy("Avslutad")


class Plan(BaseModel):
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    # The organisation that noticed the need and called the others; it holds the plan.
    started_by_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default="called")
    # The call (kallelse).
    purpose = models.TextField(max_length=bounds.TEXT_PARAGRAPH)
    question = models.TextField(
        max_length=bounds.TEXT_PARAGRAPH,
        help_text=gettext_lazy("Frågan som mötet ska besvara, med den enskildes ord."),
    )
    long_term_goal = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    meeting_at = models.DateTimeField(null=True, blank=True)
    meeting_place = models.CharField(max_length=300, blank=True)
    video_link = models.URLField(blank=True)
    # Preparation with the child and guardians: "vad är viktigt för dig?"
    important_to_child = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    important_to_guardians = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    prepared_at = models.DateTimeField(null=True, blank=True)
    # Mirrors of the latest version, for lists, reminders and the start page.
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    coordinator_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    follow_up_on = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["coordinator", "status", "follow_up_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False)
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="plan_closed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(follow_up_on__isnull=False),
                name="plan_active_has_follow_up",
            ),
        ]

    def __str__(self):
        return f"SIP {self.short_id}"

    @property
    def short_id(self) -> str:
        return str(self.public_id)[:8]


class PlanOrganisation(models.Model):
    """An organisation taking part: the one that started the plan and those called
    (obliged to take part). Each called organisation acknowledges the call, and may pass
    it to the right unit inside its own organisation."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="organisations")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    is_starter = models.BooleanField(default=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by_name = models.CharField(max_length=300, blank=True)
    unit = models.ForeignKey(
        "directory.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    forwarded_note = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)

    class Meta:
        ordering = ["-is_starter", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "organisation"], name="plan_organisation_once"),
            models.UniqueConstraint(
                fields=["plan"], condition=Q(is_starter=True), name="plan_one_starter"
            ),
        ]

    def __str__(self):
        return f"{self.plan_id}: {self.organisation_id}"


class InvitedActor(models.Model):
    """Someone invited who is not obliged to take part and has no account here
    (Försäkringskassan, Arbetsförmedlingen, an NGO, a relative): free text only."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="invited")
    name = models.CharField(max_length=300)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name


class PlanVersion(models.Model):
    """One immutable version of the plan's content (see ``content.py`` for its keys)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    author_name = models.CharField(max_length=300)
    author_organisation_name = models.CharField(max_length=300)
    comment = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_once"),
        ]

    def __str__(self):
        return f"{self.plan_id} v{self.number}"


class FollowUp(models.Model):
    """A follow-up meeting: each effort assessed; the next date set."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="follow_ups")
    held_on = models.DateField()
    note = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    next_follow_up_on = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by_name = models.CharField(max_length=300)
    version_number = models.PositiveIntegerField()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.plan_id} {self.held_on}"


class EffortStatus(models.TextChoices):
    NOT_STARTED = "not_started", gettext_lazy("Inte påbörjad")
    ONGOING = "ongoing", gettext_lazy("Pågår")
    DONE = "done", gettext_lazy("Genomförd")


class EffortAssessment(models.Model):
    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="assessments")
    effort_key = models.CharField(max_length=40)
    effort_title = models.CharField(max_length=300)
    status = models.CharField(max_length=20, choices=EffortStatus.choices)
    effect = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["follow_up", "effort_key"], name="plan_assessment_once"
            ),
        ]

    def __str__(self):
        return f"{self.effort_title}: {self.status}"


class Reminder(models.Model):
    """A reminder to the coordinator before a follow-up date, recorded once by the
    sweep for each (plan, date)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reminders")
    follow_up_on = models.DateField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "follow_up_on"], name="plan_reminder_once"),
        ]

    def __str__(self):
        return f"{self.plan_id} {self.follow_up_on}"


class OtherPlanKind(models.TextChoices):
    ATGARDSPROGRAM = "atgardsprogram", gettext_lazy("Åtgärdsprogram (skolan)")
    VARDPLAN = "vardplan", gettext_lazy("Vårdplan (hälso- och sjukvården)")
    GENOMFORANDEPLAN = "genomforandeplan", gettext_lazy("Genomförandeplan (socialtjänsten)")
    VARDPLAN_SOL = "vardplan_sol", gettext_lazy("Vårdplan enligt SoL/LVU (socialtjänsten)")
    HABILITERINGSPLAN = "habiliteringsplan", gettext_lazy("Habiliteringsplan")
    OTHER = "other", gettext_lazy("Annan plan")


class OtherPlan(BaseModel):
    """Another plan the child has in one organisation, recorded so the participants see
    how the plans fit together. Its existence is the owning organisation's information."""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=OtherPlanKind.choices)
    purpose = models.TextField(max_length=bounds.TEXT_PARAGRAPH)
    valid_until = models.DateField(null=True, blank=True)
    created_by_name = models.CharField(max_length=300)

    class Meta:
        ordering = ["kind", "-created_at"]

    def __str__(self):
        return self.get_kind_display()


class FollowUpMeeting(models.Model):
    """The time and place of the next follow-up meeting, set by the coordinator (decision
    0336). Never changed: a moved meeting is a new row, the newest counts and the earlier
    ones are its history (the family's answers are to one row, so a moved meeting asks
    again)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="follow_up_meetings")
    meeting_at = models.DateTimeField()
    place = models.CharField(max_length=bounds.TEXT_LABEL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_by_name = models.CharField(max_length=bounds.TEXT_NAME)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.plan_id} {self.meeting_at:%Y-%m-%d %H:%M}"


# The family's side of the plan (issue 17, decision 0270) ---------------------------------


class FamilyAuthor(models.TextChoices):
    CHILD = "child", gettext_lazy("Barnet själv")
    GUARDIAN = "guardian", gettext_lazy("Vårdnadshavare")


class FamilyTopic(models.TextChoices):
    IMPORTANT = "important", gettext_lazy("Vad är viktigt för dig?")
    OWN_WORDS = "own_words", gettext_lazy("Barnets egna ord och mål")


class FamilyStatement(models.Model):
    """What a guardian or the young person wrote about a plan in the family portal, for
    the coordinator to take in. Never changed: a new statement is shown in place of the
    author's earlier one on the same topic, and the earlier one is kept. The author is
    their portal account (``familj-<account id>``, a reference: the plans app does not
    know the portal's accounts) and their name."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="family_statements")
    topic = models.CharField(max_length=20, choices=FamilyTopic.choices)
    author_kind = models.CharField(max_length=10, choices=FamilyAuthor.choices)
    author_ref = models.CharField(max_length=40)
    author_name = models.CharField(max_length=bounds.TEXT_NAME)
    text = models.TextField(max_length=bounds.TEXT_NOTE)
    created_at = models.DateTimeField()
    follow_up_meeting = models.ForeignKey(
        FollowUpMeeting, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )  # set when written for a follow-up meeting (decision 0336), else the first meeting

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["plan", "author_ref"], name="plan_family_statement")]

    def __str__(self):
        return f"{self.plan_id} {self.topic} {self.author_kind}"


class MeetingReply(models.TextChoices):
    ACCEPT = "accept", gettext_lazy("Jag kommer")
    DECLINE = "decline", gettext_lazy("Jag kan inte komma")
    PROPOSE = "propose", gettext_lazy("Jag föreslår en annan tid")


class MeetingAnswer(models.Model):
    """A family member's answer to the call to the SIP meeting, for the meeting time
    they were shown (``meeting_at``): a moved meeting asks again. Never changed; the
    newest answer of an author counts."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="meeting_answers")
    author_kind = models.CharField(max_length=10, choices=FamilyAuthor.choices)
    author_ref = models.CharField(max_length=40)
    author_name = models.CharField(max_length=bounds.TEXT_NAME)
    meeting_at = models.DateTimeField()
    reply = models.CharField(max_length=10, choices=MeetingReply.choices)
    proposed_at = models.DateTimeField(null=True, blank=True)
    message = models.TextField(max_length=bounds.TEXT_NOTE, blank=True)
    created_at = models.DateTimeField()
    follow_up_meeting = models.ForeignKey(
        FollowUpMeeting, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )  # set when written for a follow-up meeting (decision 0336), else the first meeting

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["plan", "author_ref"], name="plan_meeting_answer")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reply="propose") | Q(proposed_at__isnull=False),
                name="plan_answer_proposal_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.plan_id} {self.reply}"

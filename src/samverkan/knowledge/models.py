"""Shared knowledge: the actor catalogue, shared concepts, risk and protective factors,
methods and checklist suggestions (shared content, versioned), plus each user's own
checklist, factor tags on other apps' records, training events and competence plans.

Shared content is not personal data. Factor tags are: they say something about a child,
so they are only ever read for targets the caller has already been allowed to see.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from samverkan.core import bounds
from samverkan.core.models import BaseModel


class ContentEntry(BaseModel):
    """What every piece of shared content has: a stable code (used in links and in the
    catalogue loader), sources, an order and whether it is in use. ``version`` (from
    BaseModel) counts the edits; each edit leaves an ``EntryVersion``."""

    code = models.SlugField(max_length=80, unique=True)
    sources = models.TextField(
        max_length=bounds.TEXT_PARAGRAPH, blank=True, help_text=gettext_lazy("En källa per rad.")
    )
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        abstract = True


class ActorProfile(ContentEntry):
    """One kind of actor (barnhälsovård, BUP, skola, ...): mission and legal duties."""

    name = models.CharField(max_length=200)
    # A directory organisation type (directory.OrganisationType), to show this
    # municipality's organisations and contact functions; blank when none applies.
    directory_type = models.CharField(max_length=20, blank=True)
    principal = models.CharField(max_length=200, blank=True)
    mission = models.TextField(max_length=bounds.TEXT_DOCUMENT)
    laws = models.TextField(max_length=bounds.TEXT_DOCUMENT, blank=True)
    duty_report = models.TextField(max_length=bounds.TEXT_DOCUMENT, blank=True)
    duty_sip = models.TextField(max_length=bounds.TEXT_DOCUMENT, blank=True)
    duty_collaborate = models.TextField(max_length=bounds.TEXT_DOCUMENT, blank=True)
    secrecy = models.TextField(max_length=bounds.TEXT_DOCUMENT, blank=True)
    contributes = models.TextField(max_length=bounds.TEXT_DOCUMENT, blank=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Concept(ContentEntry):
    """A shared concept (gemensamt begrepp) of the glossary."""

    term = models.CharField(max_length=120, unique=True)
    abbreviation = models.CharField(max_length=30, blank=True)
    definition = models.TextField(max_length=bounds.TEXT_DOCUMENT)
    explanation = models.TextField(max_length=bounds.TEXT_DOCUMENT, blank=True)
    synonyms = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["term"]

    def __str__(self):
        return self.term


class FactorDomain(models.TextChoices):
    CHILD = "barn", gettext_lazy("Barnet")
    FAMILY = "familj", gettext_lazy("Familjen")
    SCHOOL = "skola", gettext_lazy("Förskola och skola")
    SOCIETY = "samhalle", gettext_lazy("Kamrater, fritid och samhälle")


class FactorKind(models.TextChoices):
    RISK = "risk", gettext_lazy("Riskfaktor")
    PROTECTIVE = "skydd", gettext_lazy("Skyddsfaktor")


class Factor(ContentEntry):
    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=10, choices=FactorDomain.choices)
    kind = models.CharField(max_length=10, choices=FactorKind.choices)
    description = models.TextField(max_length=bounds.TEXT_DOCUMENT)
    signs = models.TextField(max_length=bounds.TEXT_DOCUMENT, blank=True)

    class Meta:
        ordering = ["domain", "kind", "position", "name"]

    def __str__(self):
        return self.name


class Method(ContentEntry):
    name = models.CharField(max_length=200)
    abbreviation = models.CharField(max_length=30, blank=True)
    description = models.TextField(max_length=bounds.TEXT_DOCUMENT)
    target_group = models.TextField(max_length=bounds.TEXT_DOCUMENT, blank=True)
    used_by = models.TextField(max_length=bounds.TEXT_DOCUMENT, blank=True)
    # Matched against the directory's contact function titles for the viewer's
    # organisation, e.g. "Kontaktsocialsekreterare".
    contact_function = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class ChecklistSuggestion(ContentEntry):
    """One of the "Vad kan jag göra?" suggestions a user can pick for their checklist."""

    text = models.CharField(max_length=300)
    explanation = models.TextField(max_length=bounds.TEXT_DOCUMENT, blank=True)

    class Meta:
        ordering = ["position", "text"]

    def __str__(self):
        return self.text


class EntryVersion(models.Model):
    """One saved state of a content entry: who, when, what changed and why. Never
    updated or deleted; the history page shows them with differences."""

    entry_type = models.CharField(max_length=30)
    entry_id = models.UUIDField()
    number = models.PositiveIntegerField()
    data = models.JSONField()
    changed_fields = models.JSONField(default=list, blank=True)
    comment = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    author_user_id = models.BigIntegerField(null=True, blank=True)
    author_name = models.CharField(max_length=300, blank=True)
    author_organisation = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["entry_type", "entry_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry_type", "entry_id", "number"], name="entry_version_unique_number"
            ),
        ]

    def __str__(self):
        return f"{self.entry_type} {self.entry_id} v{self.number}"


class SearchDocument(models.Model):
    """The search form of one entry: Swedish roots as a space-delimited string (see
    text.py), matched with LIKE so that SQLite and PostgreSQL behave identically."""

    entry_type = models.CharField(max_length=30)
    entry_id = models.UUIDField()
    code = models.CharField(max_length=80)
    title = models.CharField(max_length=300)
    summary = models.TextField(max_length=bounds.TEXT_INDEX, blank=True)
    title_roots = models.TextField(max_length=bounds.TEXT_INDEX, blank=True)
    roots = models.TextField(max_length=bounds.TEXT_INDEX, blank=True)
    roots_folded = models.TextField(max_length=bounds.TEXT_INDEX, blank=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["entry_type", "entry_id"], name="search_doc_unique"),
        ]

    def __str__(self):
        return f"{self.entry_type}: {self.title}"


class FactorTag(models.Model):
    """A risk or protective factor attached to another app's record (a report of
    concern, a SIP need, ...), always about one child. The tagging organisation is
    kept so the tag can be shown as "noted by"."""

    target_type = models.CharField(max_length=60)
    target_id = models.UUIDField()
    child_id = models.UUIDField(db_index=True)
    factor = models.ForeignKey(Factor, on_delete=models.PROTECT, related_name="tags")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["factor__domain", "factor__kind", "factor__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id", "factor"], name="factor_tag_unique"
            ),
        ]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.target_type}:{self.target_id} {self.factor_id}"


class Checklist(BaseModel):
    """A user's own "Vad kan jag göra?" checklist. Only its owner sees it."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="knowledge_checklist"
    )

    def __str__(self):
        return f"Checklista {self.owner_id}"


class ChecklistItem(BaseModel):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    suggestion = models.ForeignKey(
        ChecklistSuggestion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.CharField(max_length=300, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["checklist", "suggestion"],
                condition=Q(suggestion__isnull=False),
                name="checklist_item_suggestion_once",
            ),
            models.CheckConstraint(
                condition=Q(suggestion__isnull=False) | ~Q(text=""),
                name="checklist_item_has_text",
            ),
        ]

    def __str__(self):
        return self.text or str(self.suggestion_id)


class EventKind(models.TextChoices):
    MEETING_PLACE = "motesplats", gettext_lazy("Mötesplats")
    TRAINING = "utbildning", gettext_lazy("Gemensam utbildning")
    METHOD_DAY = "metoddag", gettext_lazy("Metoddag")
    SEMINAR = "seminarium", gettext_lazy("Seminarium")


class Event(BaseModel):
    """A shared training or meeting place (mötesplats) for staff of several
    organisations."""

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    description = models.TextField(max_length=bounds.TEXT_DOCUMENT, blank=True)
    programme = models.TextField(
        max_length=bounds.TEXT_DOCUMENT,
        blank=True,
        help_text=gettext_lazy("En punkt per rad, t.ex. 13.00 Inledning"),
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    organiser = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    capacity = models.PositiveIntegerField(null=True, blank=True)
    evaluation_url = models.URLField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="event_period_ordered"
            ),
        ]

    def __str__(self):
        return self.title


class EventInvitation(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "organisation"], name="event_invite_once"),
        ]

    def __str__(self):
        return f"{self.event_id} → {self.organisation_id}"


class EventRegistration(BaseModel):
    """A person's place at an event. Cancelling keeps the row (cancelled_at)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    function_name = models.CharField(max_length=100, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="event_registration_once"),
        ]

    def __str__(self):
        return f"{self.event_id}: {self.user_id}"


class CompetencePlan(BaseModel):
    """An organisation's plan for shared competence development, per period."""

    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(max_length=40, help_text=gettext_lazy("T.ex. 2025/2026"))
    goal = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)

    class Meta:
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "period"], name="competence_plan_one_per_period"
            ),
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.period}"


class CompetenceItemStatus(models.TextChoices):
    PLANNED = "planerad", gettext_lazy("Planerad")
    ONGOING = "pagar", gettext_lazy("Pågår")
    DONE = "klar", gettext_lazy("Genomförd")


class CompetencePlanItem(BaseModel):
    plan = models.ForeignKey(CompetencePlan, on_delete=models.CASCADE, related_name="items")
    topic = models.CharField(max_length=200)
    target_group = models.CharField(max_length=200, blank=True)
    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=CompetenceItemStatus.choices, default=CompetenceItemStatus.PLANNED
    )

    class Meta:
        ordering = ["due", "topic"]

    def __str__(self):
        return self.topic

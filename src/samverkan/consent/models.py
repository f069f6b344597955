"""Consent (samtycke) as its own record: who gave it, between which organisations
information may pass, which categories, for which purposes, what it must not cover,
in which context, for how long — and its full history. Whether a consent covers a
sharing is decided at the moment of sharing (sharing.py), never stored as a flag."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy, gettext_noop

from samverkan.core import bounds
from samverkan.core.models import BaseModel


class InformationCategory(models.Model):
    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name_plural = "information categories"

    def __str__(self):
        return self.name


class Purpose(models.Model):
    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


# The standard categories' and purposes' names (migration 0002) in the English catalogue:
# the pages show a name through gettext ({% translate name %}); a name an administrator
# adds is shown as written.
STANDARD_NAMES = (
    gettext_noop("Skolsituation och närvaro"),
    gettext_noop("Hälsa"),
    gettext_noop("Social situation och familj"),
    gettext_noop("Insatser"),
    gettext_noop("Samverkansträff"),
    gettext_noop("Samordnad individuell plan (SIP)"),
    gettext_noop("Återkoppling efter anmälan"),
    gettext_noop("Trepartssamtal"),
    gettext_noop("Allmän samverkan"),
)


class ConsentForm(models.TextChoices):
    WRITTEN = "written", gettext_lazy("Skriftligt, undertecknat formulär")
    ORAL = "oral", gettext_lazy("Muntligt, dokumenterat")
    DIGITAL = "digital", gettext_lazy("Digitalt")


class ConsentContext(models.TextChoices):
    """The character of the matter when consent was given (Åmål: consent given for
    voluntary support does not carry over to a report or an investigation)."""

    VOLUNTARY = "voluntary", gettext_lazy("Frivilliga råd- och stödinsatser")
    REPORT_INVESTIGATION = "report_investigation", gettext_lazy("Anmälan eller utredning")


class Consent(BaseModel):
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    # The organisation that registered the consent (holds the signed original).
    registered_by_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    parties = models.ManyToManyField(
        "directory.Organisation", through="ConsentParty", related_name="+"
    )
    categories = models.ManyToManyField(InformationCategory, related_name="consents")
    purposes = models.ManyToManyField(Purpose, related_name="consents")
    exclusions = models.TextField(
        max_length=bounds.TEXT_PARAGRAPH,
        blank=True,
        help_text=gettext_lazy("Vad samtycket inte omfattar, med den enskildes egna ord."),
    )
    form = models.CharField(max_length=20, choices=ConsentForm.choices)
    context = models.CharField(max_length=30, choices=ConsentContext.choices)
    valid_from = models.DateField()
    valid_until = models.DateField()
    child_views = models.TextField(
        max_length=bounds.TEXT_PARAGRAPH,
        blank=True,
        help_text=gettext_lazy("Barnets egna synpunkter (dokumenteras från ca 12 år)."),
    )
    renews = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="renewals"
    )
    note = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)

    class Meta:
        ordering = ["-valid_from", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="consent_period_ordered",
            ),
        ]

    def __str__(self):
        return f"Samtycke {str(self.public_id)[:8]}"

    @property
    def short_id(self) -> str:
        return str(self.public_id)[:8]


class ConsentParty(models.Model):
    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="party_links")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consent", "organisation"], name="consent_party_once"),
        ]

    def __str__(self):
        return f"{self.consent_id}: {self.organisation_id}"


class GiverKind(models.TextChoices):
    GUARDIAN = "guardian", gettext_lazy("Vårdnadshavare")
    CHILD = "child", gettext_lazy("Barnet/den unge")


class ConsentGiver(models.Model):
    """One person's consent. Signed records are never edited: revocation is recorded
    alongside (revoked_at), and the earlier state stays visible in the history."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="givers")
    kind = models.CharField(max_length=10, choices=GiverKind.choices)
    guardian = models.ForeignKey(
        "people.Guardian", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200)
    given_at = models.DateTimeField()
    method = models.CharField(max_length=20, choices=ConsentForm.choices)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_note = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["consent", "guardian"],
                condition=Q(guardian__isnull=False),
                name="consent_guardian_once",
            ),
            models.UniqueConstraint(
                fields=["consent"], condition=Q(kind="child"), name="consent_child_once"
            ),
            models.CheckConstraint(
                condition=Q(kind="child", guardian__isnull=True)
                | Q(kind="guardian", guardian__isnull=False),
                name="consent_giver_kind_matches",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


class EventKind(models.TextChoices):
    REGISTERED = "registered", gettext_lazy("Registrerat")
    SIGNED = "signed", gettext_lazy("Underskrift registrerad")
    REVOKED = "revoked", gettext_lazy("Återkallat")
    RENEWED = "renewed", gettext_lazy("Förnyat")
    CONTEXT_LAPSED = (
        "context_lapsed",
        gettext_lazy("Täcker inte längre – ärendet har ändrat karaktär"),
    )
    EXPIRY_REMINDER = "expiry_reminder", gettext_lazy("Påminnelse om att samtycket snart går ut")
    EXPIRED = "expired", gettext_lazy("Har gått ut")
    PRINTED = "printed", gettext_lazy("Formulär utskrivet")


class ConsentEvent(models.Model):
    """The consent's history, in order. Also the notices shown to the organisations
    that hold the consent (e.g. "must be renewed")."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    occurred_at = models.DateTimeField()
    actor_name = models.CharField(max_length=300, blank=True)
    actor_organisation_name = models.CharField(max_length=300, blank=True)
    text = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]
        constraints = [
            # The sweep records each reminder/expiry/lapse once per consent.
            models.UniqueConstraint(
                fields=["consent", "kind"],
                condition=Q(kind__in=["expiry_reminder", "expired", "context_lapsed"]),
                name="consent_event_once",
            ),
        ]

    def __str__(self):
        return f"{self.consent_id} {self.kind} {self.occurred_at:%Y-%m-%d}"


class Disclosure(models.Model):
    """Something that passed from one organisation to another about the child, and
    the ground it passed on. Written at read time by the feature that showed it."""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="disclosures"
    )
    ground_code = models.CharField(max_length=50)
    ground_label = models.CharField(max_length=300)
    # The version of the catalogue of legal grounds (legal/data/grounds.yaml) the ground
    # was read from: "which rule applied on that day?" (legal.history).
    ground_version = models.CharField(max_length=40, blank=True)
    from_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    to_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(InformationCategory, on_delete=models.PROTECT, related_name="+")
    purpose = models.ForeignKey(
        Purpose, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    what = models.CharField(max_length=300)
    occurred_at = models.DateTimeField()
    actor_name = models.CharField(max_length=300)

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["child", "occurred_at"])]

    def __str__(self):
        return f"{self.what} ({self.occurred_at:%Y-%m-%d})"


class SharingGrant(models.Model):
    """A period during which a consent covers sharing, for one of its party
    organisations: derived from the consent, its givers, the child's custody, matters
    and date of birth by ``consent.grants`` after every change of one of them, in the
    same transaction (decision 0090). Lets the database answer "may organisation B see
    child X now" with an index. Never edited by hand; ``samverkan consent_grants
    rebuild`` recomputes every row.

    ``valid_until`` is exclusive. A consent covers in at most two periods (the young
    person's own consent may come after the birthday from which it is needed), so a
    party has at most two rows per consent. ``own_age`` is the age threshold
    (SAMVERKAN["CONSENT_CHILD_OWN_AGE"]) the row was computed with: rows computed with
    another threshold are ignored until they are rebuilt."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="grants")
    child = models.ForeignKey(
        "people.Child", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField()
    own_age = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [
            # visible() and decide(): this organisation, this child (or every child), now.
            models.Index(
                fields=["organisation", "child", "valid_until"], name="consent_grant_org_child"
            ),
            # Recomputing one child's grants.
            models.Index(fields=["child"], name="consent_grant_child"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("valid_from")),
                name="consent_grant_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.consent_id} → {self.organisation_id} [{self.valid_from}, {self.valid_until})"

"""Children, guardians and custody, school enrolment, and each organisation's
involvement with a child. Every organisation sees a child only through its own
involvement or another recorded ground (see policies.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from samverkan.core import bounds
from samverkan.core.models import BaseModel, ChoiceLabels


class NumberKind(models.TextChoices):
    PERSONNUMMER = "personnummer", gettext_lazy("Personnummer")
    SAMORDNINGSNUMMER = "samordningsnummer", gettext_lazy("Samordningsnummer")


class Child(BaseModel):
    personal_number = models.CharField(max_length=12, unique=True)
    number_kind = models.CharField(max_length=20, choices=NumberKind.choices)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    # Skyddade personuppgifter: address and school are shown only where a need is
    # recorded (see policies.py).
    protected_identity = models.BooleanField(default=False)
    street_address = models.CharField(max_length=200, blank=True)
    postal_code = models.CharField(max_length=6, blank=True)
    city = models.CharField(max_length=100, blank=True)
    # Search and sort columns (people.names, decision 0091), set with the name.
    name_key = models.CharField(max_length=201, default="")
    name_key_last = models.CharField(max_length=201, default="")
    sort_key = models.CharField(max_length=201, default="")

    class Meta:
        ordering = ["sort_key", "pk"]
        verbose_name = "barn"
        verbose_name_plural = "barn"
        indexes = [
            # Prefix search on either name first; the pattern operator class makes
            # PostgreSQL use them for LIKE 'x%' whatever the database's collation
            # (ignored on SQLite, which searches a range of the plain index).
            models.Index(
                fields=["name_key"], name="child_name_key", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(
                fields=["name_key_last"],
                name="child_name_key_last",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(fields=["sort_key", "id"], name="child_sort_key"),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def personal_number_display(self) -> str:
        return f"{self.personal_number[:8]}-{self.personal_number[8:]}"


class Guardian(BaseModel):
    """A guardian as recorded by one organisation. Each organisation keeps its own
    record (with its own contact details), so registering a child never shows what
    another organisation has written down about the family."""

    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    personal_number = models.CharField(max_length=12, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    street_address = models.CharField(max_length=200, blank=True)
    postal_code = models.CharField(max_length=6, blank=True)
    city = models.CharField(max_length=100, blank=True)
    protected_identity = models.BooleanField(default=False)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "personal_number"],
                condition=~Q(personal_number=""),
                name="guardian_number_once_per_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class CustodyType(models.TextChoices):
    JOINT = "gemensam", gettext_lazy("Gemensam vårdnad")
    SOLE = "ensam", gettext_lazy("Ensam vårdnad")


class CustodySource(models.TextChoices):
    MANUAL = "manual", gettext_lazy("Inskrivet av verksamheten")
    POPULATION_REGISTER = "population_register", gettext_lazy("Hämtat från folkbokföringen")


class Custody(ChoiceLabels, models.Model):
    """A guardian (vårdnadshavare) of a child and the form of custody, as recorded by
    the guardian's organisation. Never deleted: a custody that ends (or was recorded by
    mistake) gets ``ended_at`` and a reason, and the record's history is kept in
    ``CustodyEvent``."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="custodies")
    guardian = models.ForeignKey(Guardian, on_delete=models.PROTECT, related_name="custodies")
    custody_type = models.CharField(max_length=10, choices=CustodyType.choices)
    source = models.CharField(
        max_length=20, choices=CustodySource.choices, default=CustodySource.MANUAL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=bounds.TEXT_LINE, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["child", "guardian"],
                condition=Q(ended_at__isnull=True),
                name="custody_unique_current",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | ~Q(end_reason=""),
                name="custody_end_has_reason",
            ),
        ]
        verbose_name_plural = "custodies"

    def __str__(self):
        return f"{self.guardian_id} → {self.child_id} ({self.custody_type})"

    @property
    def is_current(self) -> bool:
        return self.ended_at is None


class CustodyEventKind(models.TextChoices):
    ADDED = "added", gettext_lazy("Registrerad")
    CORRECTED = "corrected", gettext_lazy("Rättad")
    ENDED = "ended", gettext_lazy("Vårdnaden avslutad")
    REPLACED = "replaced", gettext_lazy("Ersatt")


class CustodyEvent(ChoiceLabels, models.Model):
    """The history of one organisation's record of a guardian and custody: what was
    added, corrected (each field before and after), ended or replaced, by whom, why.
    Append-only."""

    custody = models.ForeignKey(Custody, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=CustodyEventKind.choices)
    changes = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=bounds.TEXT_LINE, blank=True)
    actor_name = models.CharField(max_length=300, blank=True)
    occurred_at = models.DateTimeField()

    class Meta:
        ordering = ["occurred_at", "pk"]

    def __str__(self):
        return f"{self.custody_id} {self.kind} {self.occurred_at:%Y-%m-%d}"


class Enrolment(BaseModel):
    """The child's school or preschool placement."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="enrolments")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    school_year = models.CharField(max_length=20, blank=True)
    class_name = models.CharField(max_length=40, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="enrolment_period_ordered",
            ),
        ]


class InvolvementContext(models.TextChoices):
    """Why the organisation is involved. Consent given in one context does not carry
    over when the matter changes character (e.g. support -> investigation)."""

    EDUCATION = "education", gettext_lazy("Utbildning/omsorg (inskrivning)")
    VOLUNTARY_SUPPORT = "voluntary_support", gettext_lazy("Frivilligt råd och stöd")
    REPORT = "report", gettext_lazy("Anmälan/förhandsbedömning")
    INVESTIGATION = "investigation", gettext_lazy("Utredning")
    INTERVENTION = "intervention", gettext_lazy("Insats")
    HEALTH_CARE = "health_care", gettext_lazy("Hälso- och sjukvård")
    STUDENT_HEALTH = "student_health", gettext_lazy("Elevhälsoinsats")


class Involvement(BaseModel):
    """One organisation's own matter with a child. This is what lets staff of that
    organisation see the child; nothing in it is visible to other organisations."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="involvements")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "directory.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    context = models.CharField(max_length=30, choices=InvolvementContext.choices)
    # When the matter took its present character (e.g. support became investigation).
    context_since = models.DateTimeField(null=True, blank=True)
    note = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # A recorded need to see address and school of a child with protected identity.
    protected_details_need = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "organisation"],
                condition=Q(ended_at__isnull=True),
                name="involvement_one_open_per_org",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "ended_at"]),
            # A search probes each candidate child's matter of one organisation
            # (decision 0354).
            models.Index(fields=["child", "organisation"], name="involvement_child_org"),
        ]

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class IdentityCheck(models.TextChoices):
    """How staff checked the person's identity before linking their foreign eID."""

    PASSPORT = "pass", gettext_lazy("Pass, visat på plats")
    NATIONAL_ID = "id_kort", gettext_lazy("Nationellt id-kort, visat på plats")
    RESIDENCE_PERMIT = "uppehallstillstand", gettext_lazy("Uppehållstillståndskort, visat på plats")


class GuardianEidasLink(BaseModel):
    """A foreign eID (through eIDAS) that staff of the organisation that recorded the
    guardian linked to that guardian record after checking the person's identity in
    person (decision 0310): the identity provider (issuer), the person's eIDAS
    identifier (Sweden Connect's prid) and country; who linked it, when and how they
    checked. A link is ended, never changed or deleted; the family portal logs the
    foreign eID in as this guardian while it is in force."""

    guardian = models.ForeignKey(Guardian, on_delete=models.PROTECT, related_name="eidas_links")
    issuer = models.CharField(max_length=bounds.TEXT_LINE)
    identifier = models.CharField(max_length=bounds.TEXT_NAME)
    country = models.CharField(max_length=2)
    checked_how = models.CharField(max_length=20, choices=IdentityCheck.choices)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_by_name = models.CharField(max_length=bounds.TEXT_LABEL)
    linked_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by_name = models.CharField(max_length=bounds.TEXT_LABEL, blank=True)
    revoke_reason = models.CharField(max_length=bounds.TEXT_LINE, blank=True)

    class Meta:
        ordering = ["-linked_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["guardian", "issuer", "identifier"],
                condition=Q(revoked_at__isnull=True),
                name="eidas_link_once_per_guardian",
            ),
        ]
        indexes = [models.Index(fields=["issuer", "identifier"], name="eidas_link_identity")]

    def __str__(self):
        return f"eIDAS {self.country} → {self.guardian_id}"

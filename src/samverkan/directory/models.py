"""Who is who: huvudmän, organisations (each its own secrecy domain), units, staff
functions, memberships, contact functions and API tokens."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.core import bounds
from samverkan.core.models import BaseModel


class PrincipalKind(models.TextChoices):
    MUNICIPALITY = "kommun", gettext_lazy("Kommun")
    REGION = "region", gettext_lazy("Region")
    PRIVATE = "privat", gettext_lazy("Enskild huvudman")
    STATE = "stat", gettext_lazy("Statlig myndighet")
    NGO = "ideell", gettext_lazy("Idéburen organisation")


class Principal(BaseModel):
    """Huvudman: the legal body responsible for organisations."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=PrincipalKind.choices)
    organisation_number = models.CharField(max_length=11, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class OrganisationType(models.TextChoices):
    PRESCHOOL = "forskola", gettext_lazy("Förskola")
    SCHOOL = "skola", gettext_lazy("Skola")
    STUDENT_HEALTH = "elevhalsa", gettext_lazy("Elevhälsa")
    SOCIAL_SERVICES = "socialtjanst", gettext_lazy("Socialtjänst")
    CAMHS = "bup", gettext_lazy("Barn- och ungdomspsykiatri (BUP)")
    CHILD_HEALTH = "barnhalsovard", gettext_lazy("Barnhälsovård (BVC)")
    PRIMARY_CARE = "vardcentral", gettext_lazy("Vårdcentral")
    POLICE = "polis", gettext_lazy("Polis")
    OTHER = "annan", gettext_lazy("Annan")


class Organisation(BaseModel):
    """A verksamhet. Each organisation is its own secrecy domain: nothing about a child
    passes between two organisations without a recorded ground."""

    principal = models.ForeignKey(Principal, on_delete=models.PROTECT, related_name="organisations")
    name = models.CharField(max_length=200)
    org_type = models.CharField(max_length=20, choices=OrganisationType.choices)
    description = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    # Staff log in with e-legitimation (OpenID Connect). An organisation may choose to let
    # its staff log in with a password instead, always with two-factor login where the
    # function sees personal data (docs/operations.md).
    password_login = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["principal", "name"], name="org_unique_name"),
        ]

    def __str__(self):
        return self.name


class Unit(BaseModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(max_length=200)
    description = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    min_age = models.PositiveSmallIntegerField(null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unit_unique_name"),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(min_age__lte=models.F("max_age")),
                name="unit_age_band_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.organisation.name} – {self.name}"


class Function(models.Model):
    """A staff function (roll): rektor, kurator, socialsekreterare, ... Permissions hang
    on the function, never on the person. The standard functions (``organisation`` is
    empty) are shared by all; a local administrator may add functions of their own
    organisation."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    permissions = models.JSONField(default=list, blank=True)
    organisation = models.ForeignKey(
        "Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="functions"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Membership(BaseModel):
    """A user working in an organisation (optionally a unit) in a function."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    function = models.ForeignKey(Function, on_delete=models.PROTECT, related_name="memberships")
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "function__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="membership_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.function} – {self.organisation}"


class StaffIdentity(models.Model):
    """How a staff account is recognised when its holder logs in with e-legitimation:
    the personnummer and/or HSA-id an administrator registered. Never created from a
    login: an identity nobody registered is refused."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_identity"
    )
    # Twelve digits, no separator (YYYYMMDDNNNN).
    personnummer = models.CharField(max_length=12, null=True, blank=True, unique=True)
    hsa_id = models.CharField(max_length=64, null=True, blank=True, unique=True)

    def __str__(self):
        return f"{self.user_id}"


class ContactFunction(BaseModel):
    """A named point of contact that outlives its holder ("funktion, inte person"),
    e.g. Frejaskolan's kontaktsocialsekreterare, provided by social services."""

    served_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contact_functions_served"
    )
    provider_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contact_functions_provided"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["served_organisation", "title"], name="contact_function_unique_title"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.served_organisation.name})"


class ContactFunctionAssignment(models.Model):
    """Who held a contact function, and when. Assignments are never deleted."""

    contact_function = models.ForeignKey(
        ContactFunction, on_delete=models.PROTECT, related_name="assignments"
    )
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact_function"],
                condition=Q(ended_at__isnull=True),
                name="contact_function_one_current_holder",
            ),
        ]

    def __str__(self):
        return _("%(contact_function_id)s: %(membership_id)s från %(started_at)s") % {
            "contact_function_id": self.contact_function_id,
            "membership_id": self.membership_id,
            "started_at": format(self.started_at, "%Y-%m-%d"),
        }


class ApiToken(models.Model):
    """A bearer token for integrations. Only a hash is stored; the token is shown once."""

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class ProviderSession(models.Model):
    """Which Samverkan session a login with e-legitimation opened, and under which of the
    identity provider's session ids (``sid``) and subject (``sub``): so that the provider
    can end it when the person logs out there (back-channel logout, decision 0123).
    A row lives as long as the session; nothing about the person but the provider's
    subject identifier."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_sessions"
    )
    issuer = models.CharField(max_length=200)
    sid = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["issuer", "sid"], name="provider_session_sid"),
            models.Index(fields=["issuer", "subject"], name="provider_session_subject"),
        ]

    def __str__(self):
        return f"{self.issuer} {self.sid or self.subject}"

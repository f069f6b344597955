"""The family portal's own records (decision 0200): a family member's portal account
(by personnummer; never a staff account) and each signing act, with the e-legitimation
transaction behind it. A signing act is never changed or deleted: the database refuses
UPDATE and DELETE (migration 0002)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from samverkan.core import bounds
from samverkan.core.models import BaseModel


class FamilyAccount(BaseModel):
    """A guardian or young person who has logged in to the portal. Made at the first
    login of a person the people app's family rule gives at least one child (or
    themself); nobody else gets one. Found by personnummer (or samordningsnummer), or,
    for a foreign eID staff linked to a guardian record, by the identity provider and
    the eIDAS identifier (decision 0310); a foreign eID with a number the eIDAS node
    bound to the person is found by that number and keeps its identifier too."""

    personal_number = models.CharField(max_length=12, blank=True)
    display_name = models.CharField(max_length=200, blank=True)
    eidas_issuer = models.CharField(max_length=bounds.TEXT_LINE, blank=True)
    eidas_identifier = models.CharField(max_length=bounds.TEXT_NAME, blank=True)
    eidas_country = models.CharField(max_length=2, blank=True)
    first_login_at = models.DateTimeField()
    last_login_at = models.DateTimeField()

    class Meta:
        verbose_name = "familjekonto"
        verbose_name_plural = "familjekonton"
        constraints = [
            models.UniqueConstraint(
                fields=["personal_number"],
                condition=~Q(personal_number=""),
                name="family_account_number_once",
            ),
            models.UniqueConstraint(
                fields=["eidas_issuer", "eidas_identifier"],
                condition=Q(personal_number="") & ~Q(eidas_identifier=""),
                name="family_account_eidas_once",
            ),
            models.CheckConstraint(
                condition=~Q(personal_number="") | ~Q(eidas_identifier=""),
                name="family_account_identified",
            ),
        ]

    def __str__(self):
        return f"Familjekonto {str(self.public_id)[:8]}"


class SigningKind(models.TextChoices):
    SIGN = "sign", gettext_lazy("Gav samtycke")
    NARROW = "narrow", gettext_lazy("Inskränkte samtycke")
    REVOKE = "revoke", gettext_lazy("Återkallade samtycke")


class SigningAct(models.Model):
    """One act of will in the portal, as signed with e-legitimation: who, what, when,
    and the provider's transaction and level of assurance. Append-only."""

    account = models.ForeignKey(FamilyAccount, on_delete=models.PROTECT, related_name="acts")
    kind = models.CharField(max_length=10, choices=SigningKind.choices)
    consent_public_id = models.UUIDField()
    # The new consent a narrowing made.
    result_public_id = models.UUIDField(null=True, blank=True)
    child_public_id = models.UUIDField()
    signer_name = models.CharField(max_length=200)
    # What the person agreed to: the act's words, then the exact consent text shown on
    # the page (portal.receipt), and the SHA-256 digest of the whole, shown in the
    # receipt (decision 0271). Null for acts recorded before texts were bound.
    statement = models.TextField(max_length=bounds.TEXT_DOCUMENT)
    text_sha256 = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    transaction_id = models.CharField(max_length=100)
    acr = models.CharField(max_length=200)
    assurance_level = models.PositiveSmallIntegerField(null=True)
    authenticated_at = models.DateTimeField()
    occurred_at = models.DateTimeField()

    class Meta:
        ordering = ["occurred_at", "pk"]
        indexes = [models.Index(fields=["consent_public_id"], name="portal_act_consent")]

    def __str__(self):
        return f"{self.kind} {self.consent_public_id} {self.occurred_at:%Y-%m-%d}"


class FamilyContact(models.Model):
    """Where a family member asked to be told that something waits for them in the
    portal (decision 0339): an e-mail address and/or a mobile number (E.164), given by
    themself in the portal. Empty fields: nothing is sent. Removed with the account."""

    account = models.OneToOneField(FamilyAccount, on_delete=models.CASCADE, related_name="contact")
    email = models.EmailField(max_length=bounds.TEXT_EMAIL, blank=True)
    sms_number = models.CharField(max_length=bounds.TEXT_SHORT, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "kontaktuppgift för familj"
        verbose_name_plural = "kontaktuppgifter för familjer"

    def __str__(self):
        return f"Kontakt {self.account_id}"

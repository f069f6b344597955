"""The catalogue's history and the recorded judgements made under it.

- ``CatalogueVersion``: every version of ``data/grounds.yaml`` the product has used,
  whole, with the day it was adopted, so a past date can be answered with the grounds as
  they were then (``history.as_of``).
- ``CatalogueChange``: a proposal to change one ground, made in the product by someone
  holding ``legal.propose`` and approved or refused, with a reason, by a different person
  holding ``legal.review`` (four eyes); or, kind ``upgrade``, a newer version of the
  repository file waiting for the reviewer because the municipality has its own approved
  edits (decision 0300). Refused and approved changes stay as history.
- ``DisclosureDecision``: a user's answer to "Kan jag lämna ut det här?" under a ground
  that needs a human judgement: which ground and catalogue version, the conditions the
  user confirmed, and, where the ground requires it, the interest-balancing (who weighed,
  what was weighed, the outcome). A decision to disclose opens that category, from the
  deciding organisation to the recipient, about that child, until ``valid_until``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from samverkan.core import bounds
from samverkan.core.models import BaseModel


class Origin(models.TextChoices):
    FILE = "file", gettext_lazy("Filen i Samverkans källkod")
    PRODUCT = "product", gettext_lazy("Ändring fastställd i Samverkan")


class CatalogueVersion(models.Model):
    version = models.CharField(max_length=40, unique=True)
    adopted_on = models.DateField()
    digest = models.CharField(max_length=64)
    data = models.JSONField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.FILE)
    change = models.OneToOneField(
        "legal.CatalogueChange",
        on_delete=models.PROTECT,
        related_name="resulting_version",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["-adopted_on", "-recorded_at"]

    def __str__(self):
        return f"Grundkatalog {self.version}"


class ChangeKind(models.TextChoices):
    GROUND = "ground", gettext_lazy("Ändring av en grund")
    UPGRADE = "upgrade", gettext_lazy("Ny version av filen i källkoden")


class ChangeStatus(models.TextChoices):
    PROPOSED = "proposed", gettext_lazy("Väntar på granskning")
    APPROVED = "approved", gettext_lazy("Fastställd")
    REFUSED = "refused", gettext_lazy("Avslagen")


class CatalogueChange(BaseModel):
    kind = models.CharField(max_length=10, choices=ChangeKind.choices, default=ChangeKind.GROUND)
    status = models.CharField(
        max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PROPOSED
    )
    ground_code = models.CharField(max_length=bounds.TEXT_CODE, blank=True)
    # The version the proposal was written against, and what it proposes: one ground
    # (kind "ground") or the whole file (kind "upgrade").
    base_version = models.CharField(max_length=40)
    data = models.JSONField()
    applies_from = models.DateField(null=True, blank=True)
    reason = models.TextField(max_length=bounds.TEXT_NOTE)
    # An edit that widens what passes without a person's judgement must say so.
    acknowledged = models.TextField(max_length=bounds.TEXT_NOTE, blank=True)
    proposed_at = models.DateTimeField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    proposed_by_name = models.CharField(max_length=bounds.TEXT_LINE)
    proposed_by_function = models.CharField(max_length=bounds.TEXT_NAME, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_by_name = models.CharField(max_length=bounds.TEXT_LINE, blank=True)
    reviewed_by_function = models.CharField(max_length=bounds.TEXT_NAME, blank=True)
    review_reason = models.TextField(max_length=bounds.TEXT_NOTE, blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        constraints = [
            # Four eyes: nobody approves or refuses their own proposal.
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True)
                | Q(proposed_by__isnull=True)
                | ~Q(reviewed_by=models.F("proposed_by")),
                name="catalogue_change_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(status="proposed")
                | (Q(reviewed_at__isnull=False) & ~Q(review_reason="")),
                name="catalogue_change_reviewed_with_reason",
            ),
        ]

    def __str__(self):
        return f"Ändringsförslag {self.public_id}"

    @property
    def short_id(self) -> str:
        return str(self.public_id)[:8]


class Outcome(models.TextChoices):
    DISCLOSE = "disclose", gettext_lazy("Lämna ut")
    REFUSE = "refuse", gettext_lazy("Lämna inte ut")


class DisclosureDecision(BaseModel):
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    from_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    to_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(max_length=bounds.TEXT_CODE)  # consent.InformationCategory.code
    ground_code = models.CharField(max_length=bounds.TEXT_CODE)
    catalogue_version = models.CharField(max_length=40)
    what = models.TextField(max_length=bounds.TEXT_PARAGRAPH)
    conditions_confirmed = models.JSONField(default=list)
    # The interest-balancing (required where the ground says so).
    recipient_need = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    secrecy_interest = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    motivation = models.TextField(max_length=bounds.TEXT_PARAGRAPH)
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_by_name = models.CharField(max_length=bounds.TEXT_LINE)
    decided_by_function = models.CharField(max_length=bounds.TEXT_NAME, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at"]
        indexes = [
            models.Index(fields=["child", "from_organisation", "to_organisation", "category"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="refuse") | Q(valid_until__isnull=False),
                name="disclosure_decision_disclose_has_end",
            ),
            models.CheckConstraint(
                condition=~Q(motivation=""), name="disclosure_decision_has_motivation"
            ),
        ]

    def __str__(self):
        return f"Utlämnandebeslut {self.public_id}"

    @property
    def short_id(self) -> str:
        return str(self.public_id)[:8]

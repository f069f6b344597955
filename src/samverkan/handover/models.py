"""A handover when a child moves (issue 18 item 4): the packet one organisation sends to
the organisation the child moves to, on a ground of the catalogue, and its receipt.

- ``Handover``: who sends to whom, the kind (``data/kinds.yaml``), the ground and the
  catalogue's version it was sent under, the conditions the sender confirmed, how the
  guardians were told (or, for social services, why they are not), and the receipt.
- ``HandoverItem``: one category of information that travels, written by the sender.
  Each item is decided on its own when the receiver reads it (``policies``), and each
  item shown is recorded as a disclosure with its ground and the catalogue's version.
- ``HandoverRecord``: a record the sender attached (a copy of a SIP its organisation
  holds, as it stood when sent), in the category of information it is; decided and
  recorded like an item (decision 0348).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from samverkan.core import bounds
from samverkan.core.models import BaseModel


class Status(models.TextChoices):
    SENT = "sent", gettext_lazy("Skickad, inte kvitterad")
    RECEIVED = "received", gettext_lazy("Mottagen")
    REFUSED = "refused", gettext_lazy("Avvisad av mottagaren")


class GuardianNotice(models.TextChoices):
    CONSENT = "consent", gettext_lazy("Vårdnadshavarna har samtyckt")
    INFORMED = "informed", gettext_lazy("Vårdnadshavarna har fått veta om överlämningen")
    WITHHELD = "withheld", gettext_lazy("Vårdnadshavarna informeras inte (skäl antecknat)")


class Handover(BaseModel):
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=bounds.TEXT_CODE)
    from_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    to_organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    ground_code = models.CharField(max_length=bounds.TEXT_CODE)
    catalogue_version = models.CharField(max_length=40)
    conditions_confirmed = models.JSONField(default=list)
    guardian_notice = models.CharField(max_length=10, choices=GuardianNotice.choices)
    guardian_notice_note = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    sent_by_name = models.CharField(max_length=bounds.TEXT_LINE)
    received_at = models.DateTimeField(null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_by_name = models.CharField(max_length=bounds.TEXT_LINE, blank=True)
    # A refusal (wrong school, the child is not coming): the receiver's reason, shown to
    # the sender; the sender's matter stays open.
    refused_at = models.DateTimeField(null=True, blank=True)
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    refused_by_name = models.CharField(max_length=bounds.TEXT_LINE, blank=True)
    refusal_reason = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["to_organisation", "status"])]
        constraints = [
            # Sending twice sends once: one packet waiting for receipt per child and pair.
            models.UniqueConstraint(
                fields=["child", "from_organisation", "to_organisation"],
                condition=Q(status="sent"),
                name="handover_one_waiting_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(guardian_notice="withheld") | ~Q(guardian_notice_note=""),
                name="handover_withheld_notice_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="received") | Q(received_at__isnull=False),
                name="handover_received_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused")
                | (Q(refused_at__isnull=False) & ~Q(refusal_reason="")),
                name="handover_refused_has_time_and_reason",
            ),
        ]

    def __str__(self):
        return f"Överlämning {self.short_id}"

    @property
    def short_id(self) -> str:
        return str(self.public_id)[:8]


class HandoverItem(models.Model):
    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="items")
    category = models.CharField(max_length=bounds.TEXT_CODE)  # consent.InformationCategory.code
    text = models.TextField(max_length=bounds.TEXT_PARAGRAPH)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["handover", "category"], name="handover_item_once"),
        ]

    def __str__(self):
        return f"{self.handover} {self.category}"


class HandoverRecord(models.Model):
    """A copy of an existing record attached to the packet, as it stood when sent."""

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="records")
    record_type = models.CharField(max_length=bounds.TEXT_CODE)  # e.g. "plans.plan"
    record_id = models.CharField(max_length=bounds.TEXT_IDENTIFIER)  # its public id
    version = models.PositiveIntegerField()
    category = models.CharField(max_length=bounds.TEXT_CODE)  # consent.InformationCategory.code
    title = models.CharField(max_length=bounds.TEXT_LINE)
    text = models.TextField(max_length=bounds.TEXT_DOCUMENT)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["handover", "record_type", "record_id"], name="handover_record_once"
            ),
        ]

    def __str__(self):
        return f"{self.handover} {self.record_type} {self.record_id}"

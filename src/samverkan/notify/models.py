"""The inbox: items addressed to a person or to a function, and each user's choice of
how e-mail reaches them.

An item stores no personal text: only its kind, a reference to the record it is about
(and the child's public id, for the audit row), whom it is addressed to and its clock.
What it says is derived when it is read, for the reader, by the app that owns the
record (``notify.inbox``), after the access policy has decided: an item whose ground is
gone (a revoked consent) shows nothing.

Addresses are strings, so that "my inbox" is one indexed ``address IN (...)``:
``u:<user>:<organisation>`` a person in one organisation; ``f:<organisation>:<unit or
->:<function code>`` whoever holds that function now (it stays when staff change);
``c:<contact function>`` whoever holds that contact function now; ``o:<organisation>``
everyone working there now (each reader re-checked: for news that all who may know
should see, such as a consent's change)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from samverkan.core import bounds
from samverkan.core.models import BaseModel


class InboxItem(BaseModel):
    kind = models.CharField(max_length=bounds.TEXT_CODE)
    address = models.CharField(max_length=80)
    # The address's parts, for sending e-mail and for escalation.
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        "directory.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    function_code = models.CharField(max_length=bounds.TEXT_CODE, blank=True)
    contact_function = models.ForeignKey(
        "directory.ContactFunction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # What it is about: a reference, never text.
    ref_id = models.CharField(max_length=64)
    subject_id = models.CharField(max_length=64, blank=True)
    # Tells apart items of one kind about one record (e.g. the date reminded of).
    key = models.CharField(max_length=bounds.TEXT_CODE, blank=True)
    # An escalation to the manager function of an item that went overdue.
    escalation_of = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="escalations"
    )
    due_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["address", "done_at", "-created_at"], name="inbox_address"),
            models.Index(
                fields=["due_at"],
                condition=Q(done_at__isnull=True, due_at__isnull=False),
                name="inbox_open_due",
            ),
            models.Index(fields=["kind", "ref_id"], name="inbox_ref"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "ref_id", "key", "address"],
                condition=Q(escalation_of__isnull=True),
                name="inbox_item_once",
            ),
            models.UniqueConstraint(
                fields=["escalation_of"],
                condition=Q(escalation_of__isnull=False),
                name="inbox_escalated_once",
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.address}"


class MailMode(models.TextChoices):
    IMMEDIATE = "immediate", gettext_lazy("Direkt, ett e-postmeddelande per händelse")
    DIGEST = "digest", gettext_lazy("En sammanfattning om dagen")
    NONE = "none", gettext_lazy("Ingen e-post (bara inkorgen)")


class MailPreference(models.Model):
    """How notifications reach one person: e-mail (``mode``) and, if they opted in, SMS
    about urgent items to ``sms_number`` (E.164, checked by notify.sms)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_preference"
    )
    mode = models.CharField(max_length=10, choices=MailMode.choices, default=MailMode.IMMEDIATE)
    last_digest_at = models.DateTimeField(null=True, blank=True)
    sms_number = models.CharField(max_length=bounds.TEXT_SHORT, blank=True)

    def __str__(self):
        return f"{self.user_id}: {self.mode}"


class Channel(models.TextChoices):
    SMS = "sms", gettext_lazy("sms")
    EMAIL = "email", gettext_lazy("e-post")


class SmsMessage(BaseModel):
    """A message owed to a person (the outbox, decisions 0250 and 0339): an SMS queued
    when an urgent item reaches a staff member (``user``), or an SMS or e-mail telling
    a family member that something waits for them in the family portal
    (``family_account_id``, the portal's account: an id, as the portal sits above this
    app). Sent by the worker (notify.sms) with retries. It holds neither the text
    (fixed, without personal data) nor the number or address (read from the person's
    choice when sent, so opting out stops what is queued)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    family_account_id = models.PositiveBigIntegerField(null=True, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.SMS)
    kind = models.CharField(max_length=bounds.TEXT_CODE)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    # Given up: the last attempt failed, or the person no longer has a number.
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=bounds.TEXT_CODE, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
                name="sms_pending",
            ),
            models.Index(fields=["user", "created_at"], name="sms_user_recent"),
            models.Index(fields=["family_account_id", "created_at"], name="sms_family_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, family_account_id__isnull=True)
                | Q(user__isnull=True, family_account_id__isnull=False),
                name="outbox_one_recipient",
            ),
        ]

    def __str__(self):
        return f"{self.channel} {self.kind} → {self.user_id or self.family_account_id}"

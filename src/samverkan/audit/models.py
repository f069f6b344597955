"""The audit log: append-only rows, linked into a hash chain by a sealer.

Rows are inserted freely by every request (no lock shared between requests); the
sealer links them, in insertion order, into a chain of ``AuditSeal`` rows, each of which
stores the hash of the event and of the previous link, and writes each new head of the
chain to the witnesses (witness.py). Both tables are append-only: database triggers
(migrations 0002 and 0004) refuse UPDATE, DELETE and TRUNCATE. On PostgreSQL both are
partitioned by month (partitions.py).
"""

import uuid

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy

from samverkan.core import bounds


class Action(models.TextChoices):
    READ = "read", gettext_lazy("Läsning")
    CREATE = "create", gettext_lazy("Registrering")
    CHANGE = "change", gettext_lazy("Ändring")
    DISCLOSE = "disclose", gettext_lazy("Utlämnande")
    PRINT = "print", gettext_lazy("Utskrift")
    EXPORT = "export", gettext_lazy("Export")
    DELETE = "delete", gettext_lazy("Gallring/radering")
    SEARCH = "search", gettext_lazy("Sökning")
    LOGIN = "login", gettext_lazy("Inloggning")
    LOGIN_FAILED = "login_failed", gettext_lazy("Misslyckad inloggning")
    LOGOUT = "logout", gettext_lazy("Utloggning")
    OTP_ENROL = "otp_enrol", gettext_lazy("Tvåstegsverifiering aktiverad")
    OTP_VERIFY = "otp_verify", gettext_lazy("Tvåstegsverifiering")
    OTP_FAILED = "otp_failed", gettext_lazy("Misslyckad tvåstegsverifiering")
    OTP_RESET = "otp_reset", gettext_lazy("Tvåstegsverifiering återställd")
    RESTORE = "restore", gettext_lazy("Återställning från säkerhetskopia")


class Outcome(models.TextChoices):
    ALLOWED = "allowed", gettext_lazy("Tillåten")
    DENIED = "denied", gettext_lazy("Nekad")


class AuditEvent(models.Model):
    """One access to, or change of, data. Snapshots (names) are stored so the row stays
    meaningful when users or organisations are renamed or removed."""

    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField(db_index=True)
    request_id = models.CharField(max_length=64, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    actor_user_id = models.BigIntegerField(null=True, db_index=True)
    actor_username = models.CharField(max_length=150, blank=True)
    actor_name = models.CharField(max_length=300, blank=True)
    actor_organisation_id = models.BigIntegerField(null=True, db_index=True)
    actor_organisation_name = models.CharField(max_length=300, blank=True)
    actor_unit_name = models.CharField(max_length=300, blank=True)
    actor_function = models.CharField(max_length=200, blank=True)
    # How the actor's session was authenticated: the level of assurance of an
    # e-legitimation login ("loa3"), or "password" / "password+totp". Empty outside a
    # logged-in request (commands, tokens).
    # Nullable: added to a large, append-only table without rewriting it.
    assurance_level = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001

    action = models.CharField(max_length=20, choices=Action.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.ALLOWED)
    resource_type = models.CharField(max_length=100)
    resource_id = models.CharField(max_length=100, blank=True)
    # The person the data is about (a child's public id), for loggkontroll per person.
    subject_id = models.CharField(max_length=100, blank=True, db_index=True)

    ground_code = models.CharField(max_length=50, blank=True)
    ground_label = models.CharField(max_length=300, blank=True)
    ground_reference = models.CharField(max_length=100, blank=True)
    # A validator, not max_length: the bound costs the append-only table no rebuild.
    reason = models.TextField(blank=True, validators=[MaxLengthValidator(bounds.TEXT_PARAGRAPH)])
    details = models.JSONField(default=dict, blank=True)

    content_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["subject_id", "occurred_at"])]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"


class AuditSeal(models.Model):
    """A link of the hash chain: ``chain_hash = sha256(prev_hash | seq | event_id |
    event.content_hash)``. ``seq`` is gap-free, so a deleted link shows as a gap.
    ``event_occurred_at`` is the row's own time: on PostgreSQL both tables are
    partitioned by month on it, so a row and its link share a partition
    (audit/partitions.py; the physical keys there are (seq, event_occurred_at) and
    (event_id, event_occurred_at))."""

    seq = models.BigIntegerField(primary_key=True)
    event = models.OneToOneField(AuditEvent, on_delete=models.PROTECT, related_name="seal")
    event_occurred_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    chain_hash = models.CharField(max_length=64)
    sealed_at = models.DateTimeField()

    class Meta:
        ordering = ["seq"]

    def __str__(self):
        return f"#{self.seq} -> {self.event_id}"


class SealerState(models.Model):
    """The sealer's last pass, in one row (``id`` 1), so that /healthz and /metrics read
    the sealer's lag with one single-row query (audit/lag.py, decision 0371). Written by
    ``seal_pending`` in the transaction of each batch of links and at the end of every
    pass, also when nothing was pending (a heartbeat). Not part of the chain and not
    append-only: the sealer itself never reads it (it starts from the seal table), so a
    row that is out of date is corrected by the next pass."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    # The chain's head when the row was written: its last link and the row it links.
    head_seq = models.BigIntegerField()
    head_event_id = models.BigIntegerField()
    # Every event id up to this one was linked by then, or was still being written (a
    # straggler, linked by a later pass) or rolled back: rows above it wait.
    covered_id = models.BigIntegerField()
    # When the sealer last found nothing more to link (the end of its last pass).
    finished_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="sealer_state_one_row")
        ]

    def __str__(self):
        return f"#{self.head_seq} -> {self.head_event_id}, {self.finished_at:%Y-%m-%d %H:%M:%S}"


class ExtractStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Utkast: väntar på sekretessprövning")
    REVIEWED = "reviewed", gettext_lazy("Sekretessprövat")


class GuardianExtract(models.Model):
    """A log extract for a child or a guardian ("vilka enheter har tagit del av mina
    uppgifter?"). A draft until the auditor function has made a secrecy review under
    OSL: rows that would reveal a report the guardians must not be told about, or where
    a child with protected identity is, are flagged (``flags``: row id -> notes for
    the reviewer, from audit/secrecy.py), and the reviewer decides which rows are
    withheld and why. Only a reviewed extract can be printed (audit/extracts.py).

    Not append-only like the log: a draft becomes reviewed once; every step writes an
    audit row. The rows themselves are referenced by id (the log never changes)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation_id = models.BigIntegerField(db_index=True)
    subject_id = models.CharField(max_length=100)
    status = models.CharField(
        max_length=10, choices=ExtractStatus.choices, default=ExtractStatus.DRAFT
    )
    created_at = models.DateTimeField()
    created_by_user_id = models.BigIntegerField(null=True)
    created_by_name = models.CharField(max_length=300, blank=True)
    # The log rows the extract covers, newest first, as they were when it was drafted.
    row_ids = models.JSONField(default=list)
    # Row id (as text) -> the notes that made the row a candidate for withholding.
    flags = models.JSONField(default=dict)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by_user_id = models.BigIntegerField(null=True, blank=True)
    reviewed_by_name = models.CharField(max_length=300, blank=True)
    reviewed_by_function = models.CharField(max_length=200, blank=True)
    # Row id (as text) -> why the reviewer withheld it.
    withheld = models.JSONField(default=dict)
    review_reason = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_id", "subject_id"],
                condition=models.Q(status="draft"),
                name="guardian_extract_one_draft_per_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | (models.Q(reviewed_at__isnull=False) & ~models.Q(review_reason="")),
                name="guardian_extract_review_recorded",
            ),
        ]

    def __str__(self):
        return f"Loggutdrag {self.public_id} ({self.status})"


class NameKind(models.TextChoices):
    USER = "user", gettext_lazy("Användare")
    UNIT = "unit", gettext_lazy("Enhet")


class AuditName(models.Model):
    """A user name or unit name that the organisation's log contains: the choices of
    loggkontroll's filters, so that they are read by index and not found by a
    ``DISTINCT`` over every row the organisation ever wrote (decision 0368). Written by
    the sealer for each batch it links into the chain (audit/names.py); not part of the
    chain, since it only offers choices and every row it names stays in the log."""

    organisation_id = models.BigIntegerField()
    kind = models.CharField(max_length=10, choices=NameKind.choices)
    # As long as the log's own columns (actor_username 150, actor_unit_name 300).
    value = models.CharField(max_length=300)

    class Meta:
        ordering = ["organisation_id", "kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_id", "kind", "value"], name="audit_name_once"
            )
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.kind} {self.value}"

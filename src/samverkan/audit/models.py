"""The audit log: append-only rows, linked into a hash chain by a sealer.

Rows are inserted freely by every request (no lock shared between requests); the
sealer links them, in insertion order, into a chain of ``AuditSeal`` rows, each of which
stores the hash of the event and of the previous link. Both tables are append-only:
database triggers (see migration 0002) refuse UPDATE and DELETE.
"""

from django.db import models


class Action(models.TextChoices):
    READ = "read", "Läsning"
    CREATE = "create", "Registrering"
    CHANGE = "change", "Ändring"
    DISCLOSE = "disclose", "Utlämnande"
    PRINT = "print", "Utskrift"
    EXPORT = "export", "Export"
    DELETE = "delete", "Gallring/radering"
    SEARCH = "search", "Sökning"
    LOGIN = "login", "Inloggning"
    LOGIN_FAILED = "login_failed", "Misslyckad inloggning"
    LOGOUT = "logout", "Utloggning"
    OTP_ENROL = "otp_enrol", "Tvåstegsverifiering aktiverad"
    OTP_VERIFY = "otp_verify", "Tvåstegsverifiering"
    OTP_FAILED = "otp_failed", "Misslyckad tvåstegsverifiering"
    OTP_RESET = "otp_reset", "Tvåstegsverifiering återställd"
    RESTORE = "restore", "Återställning från säkerhetskopia"


class Outcome(models.TextChoices):
    ALLOWED = "allowed", "Tillåten"
    DENIED = "denied", "Nekad"


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
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    content_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["subject_id", "occurred_at"])]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"


class AuditSeal(models.Model):
    """A link of the hash chain: ``chain_hash = sha256(prev_hash + event.content_hash
    + seq)``. ``seq`` is gap-free, so a deleted link shows as a gap."""

    seq = models.BigIntegerField(primary_key=True)
    event = models.OneToOneField(AuditEvent, on_delete=models.PROTECT, related_name="seal")
    prev_hash = models.CharField(max_length=64)
    chain_hash = models.CharField(max_length=64)
    sealed_at = models.DateTimeField()

    class Meta:
        ordering = ["seq"]

    def __str__(self):
        return f"#{self.seq} -> {self.event_id}"

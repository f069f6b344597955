"""Legal holds: a decision that records must not be thinned (an appeal, a court case,
an inspection by IVO, a request under OSL being handled). A hold names a child, a record
type, or both; while it is active, nothing it covers is removed."""

from django.db import models
from django.db.models import Q

from samverkan.core import bounds
from samverkan.core.models import BaseModel


class LegalHold(BaseModel):
    # The child's public id (as in the audit log's subject_id); blank: every child.
    subject_id = models.CharField(max_length=100, blank=True, db_index=True)
    # A record type of the schedule (e.g. "concerns.report_not_investigated"); blank: all.
    record_type = models.CharField(max_length=100, blank=True)
    reason = models.TextField(max_length=bounds.TEXT_PARAGRAPH)
    reference = models.CharField(max_length=200, blank=True)  # e.g. a diarienummer
    placed_at = models.DateTimeField()
    placed_by = models.CharField(max_length=300)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.CharField(max_length=300, blank=True)
    release_reason = models.TextField(max_length=bounds.TEXT_PARAGRAPH, blank=True)

    class Meta:
        ordering = ["-placed_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(subject_id="") | ~Q(record_type=""),
                name="legal_hold_names_child_or_type",
            ),
            models.CheckConstraint(
                condition=Q(released_at__isnull=True) | ~Q(release_reason=""),
                name="legal_hold_release_has_reason",
            ),
            # The same hold placed twice (two tabs, two administrators) is one hold.
            models.UniqueConstraint(
                fields=["subject_id", "record_type"],
                condition=Q(released_at__isnull=True),
                name="legal_hold_once_while_active",
            ),
        ]

    def __str__(self):
        return f"Spärr mot gallring {self.public_id}"

    def covers(self, record_type: str, subject_id: str) -> bool:
        return (not self.record_type or self.record_type == record_type) and (
            not self.subject_id or self.subject_id == subject_id
        )

"""Notes for the secrecy review of a log extract (audit/extracts.py): for a child with
protected identity (skyddade personuppgifter), every row names a unit and a time that
may reveal where the child lives, goes to school or gets care (OSL 21 kap. 3 §). The
reviewer decides row by row."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError

from .models import Child

NOTE = (
    "Barnet har skyddade personuppgifter: pröva om enheten eller tiden kan röja var "
    "barnet bor, går i skola eller får vård (OSL 21 kap. 3 §)."
)


def extract_flags(subject_id: str, organisation_id: int, rows: Sequence) -> dict[int, str]:
    try:
        protected = Child.objects.filter(public_id=subject_id, protected_identity=True).exists()
    except ValidationError:
        return {}
    return {row.pk: NOTE for row in rows} if protected else {}

"""What the family portal (decision 0200) must leave out because of a report of
concern: the organisations that received a report about the child marked "the
guardians must not be told" (``do_not_inform_guardians``). That such an organisation
works with the child at all is then secret from the guardians (OSL 12 kap. 3 §, 26 kap.
1 §), so the portal names it nowhere: not among the involved organisations, not in what
was shared under a consent, not in a log extract.

A system read: it answers for the portal's own filtering and returns ids only, never
anything about the report."""

from __future__ import annotations

from .models import Report


def organisations_not_to_name(child) -> frozenset[int]:
    return frozenset(
        Report.objects.filter(child=child, do_not_inform_guardians=True).values_list(
            "receiving_organisation_id", flat=True
        )
    )

"""The child's reports of concern in the shared chronology (``people.chronology``):
those the actor may see (social services its matter, a reporter its own reports),
through ``selectors.reports_for_child``, which decides each by the access policy and
audits it with its ground (the duty to report, or the reporter's own report)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.people import chronology

from . import selectors


def events(actor, child) -> list[chronology.Event]:
    return [
        chronology.Event(
            at=v.report.received_at,
            kind="report",
            kind_label=_("Orosanmälan"),
            organisation_name=(
                v.report.reporter_organisation.name
                if v.report.reporter_organisation_id
                else _("Enskild person")
            ),
            title=_("Orosanmälan till socialtjänsten"),
            ground_label=str(selectors.report_ground(actor, v.report).label),
            url=reverse("concerns:detail", args=[v.report.public_id]),
        )
        for v in selectors.reports_for_child(actor, child)
    ]


def register() -> None:
    chronology.register(chronology.Source("report", gettext_lazy("Orosanmälningar"), events))

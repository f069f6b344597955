"""The catalogue of legal grounds for every signed-in user and the municipality's jurist:
every ground with its statutes (old and new law side by side), directions, categories,
conditions and dates; and, for a past day, the grounds as they applied then
(``?datum=YYYY-MM-DD``). No personal data."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samverkan.core import bounds
from samverkan.directory import selectors as directory

from . import catalogue, editing, history
from .models import CatalogueVersion


def _day(text: str) -> tuple[datetime.date, str]:
    today = timezone.localdate()
    if not text:
        return today, ""
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        return today, _("Skriv datumet som ÅÅÅÅ-MM-DD.")
    first, last = bounds.ANY_DATE.bounds(today)
    if not first <= day <= last:
        return today, _("Datumet ligger för långt bort.")
    return day, ""


@login_required
def catalogue_page(request):
    day, error = _day(request.GET.get("datum", "").strip())
    answer = history.as_of(day)
    if answer is None:
        history.record()
        answer = history.as_of(day)
    version, grounds = answer
    labels = {**directory.organisation_type_labels(), "*": _("alla verksamheter")}

    def names(types) -> str:
        return ", ".join(str(labels.get(t, t)) for t in types)

    rows = [
        (g, [f"{names(d.sources)} → {names(d.targets)}" for d in g.directions]) for g in grounds
    ]
    return render(
        request,
        "legal/catalogue.html",
        {
            "nav": "",
            "day": day,
            "error": error,
            "current": catalogue.load(),
            "version": version,
            "grounds": grounds,
            "rows": rows,
            "versions": CatalogueVersion.objects.all(),
            "may_read_changes": editing.may_read_changes(request.actor),
            "english": translation.get_language() == "en",
        },
    )

"""Follow-up reports (delårsrapport, årsrapport, lägesanalys): written analysis plus the
plan's figures for the period, frozen at the time of writing, as a page, a PDF and an
Excel workbook. Figures are frozen exactly as shown, so the suppression ("<5", "dold")
is frozen too and no export carries a number the page did not."""

from __future__ import annotations

import datetime
import io
import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.core import bounds, i18n
from samverkan.core.errors import NotFound, PermissionDenied, ValidationFailed

from . import body, plan_selectors, plan_services, policies, services
from .models import FollowUpReport, ReportKind, StrategyPlan


def freeze(plan: StrategyPlan, start: datetime.date, end: datetime.date) -> list[dict]:
    figures = []
    for indicator in plan.indicators.select_related("goal").order_by("position", "name"):
        series = plan_selectors.series(indicator, start=start, end=end)
        figures.append(
            as_figure(
                series,
                name=indicator.name,
                goal=indicator.goal.title if indicator.goal else "",
                description=indicator.description,
                baseline=_number(indicator.baseline, series.unit),
                target=_number(indicator.target, series.unit),
            )
        )
    return figures


def as_figure(series, *, name, description="", goal="", baseline="", target="") -> dict:
    """A series as shown (texts, suppression included): what a report freezes and
    what the exports write."""
    return {
        "name": name,
        "goal": goal,
        "description": description,
        "unit": series.unit,
        "baseline": baseline,
        "target": target,
        "groups": [i18n.stored(label) for _, label in series.groups] if series.grouped else [],
        "rows": [
            {
                "month": f"{row.month:%Y-%m}",
                "cells": [c.text for c in row.cells] if series.grouped else [],
                "total": row.total.text,
            }
            for row in series.rows
        ],
        "summary": series.summary(),
    }


def _number(value, unit) -> str:
    if value is None:
        return ""
    text = f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text} %" if unit == "share" else text


@transaction.atomic
def report_create(
    *,
    actor: Actor | None,
    plan: StrategyPlan,
    kind: str,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
    analysis: str = "",
) -> FollowUpReport:
    """Write a report; its figures are computed and frozen now. The strategy group."""
    if actor is not None and not policies.is_strategy_group(actor):
        raise PermissionDenied("Bara strategigruppen skriver uppföljningsrapporter.")
    if kind not in ReportKind.values:
        raise ValidationFailed("Välj vilken sorts rapport det är.", field="kind")
    title = bounds.check_text((title or "").strip(), max_length=bounds.TEXT_NAME, field="title")
    if not title:
        raise ValidationFailed("Skriv en rubrik.", field="title")
    start, end = plan_services.check_period(period_start, period_end)
    analysis = bounds.check_text(
        (analysis or "").replace("\r\n", "\n").strip(),
        max_length=bounds.TEXT_DOCUMENT,
        field="analysis",
    )
    services.refuse_identity_numbers(analysis, field="analysis")
    if FollowUpReport.objects.filter(plan=plan, title__iexact=title).exists():
        raise ValidationFailed("Planen har redan en rapport med den rubriken.", field="title")
    try:
        with transaction.atomic():
            report = FollowUpReport.objects.create(
                plan=plan,
                kind=kind,
                title=title,
                period_start=start,
                period_end=end,
                analysis=analysis,
                figures=freeze(plan, start, end),
                frozen_at=timezone.now(),
                author_name=actor.label if actor else "Samverkan (inläsning)",
            )
    except IntegrityError as exc:
        raise ValidationFailed(
            "Planen har redan en rapport med den rubriken.", field="title"
        ) from exc
    audit.event_record(
        actor=actor,
        action=Action.CREATE,
        resource_type="governance.followupreport",
        resource_id=str(report.public_id),
        ground=policies.STRATEGY_GROUP if actor is not None else None,
        details={"plan": str(plan.public_id), "kind": kind},
    )
    return report


def report_get(actor: Actor, plan: StrategyPlan, public_id, *, action: str = Action.READ):
    """A report of the plan (every member of staff may read it); a print or an export
    writes an audit row."""
    if not actor.has_membership:
        raise NotFound("Rapporten finns inte.")
    try:
        report = FollowUpReport.objects.get(plan=plan, public_id=public_id)
    except (FollowUpReport.DoesNotExist, ValueError) as exc:
        raise NotFound("Rapporten finns inte.") from exc
    if action != Action.READ:
        audit.event_record(
            actor=actor,
            action=action,
            resource_type="governance.followupreport",
            resource_id=str(report.public_id),
            ground=None,
            details={"plan": str(plan.public_id)},
        )
    return report


def reports_of(plan: StrategyPlan) -> list[FollowUpReport]:
    return list(FollowUpReport.objects.filter(plan=plan))


def analysis_blocks(report: FollowUpReport) -> list[body.Block]:
    return body.parse(report.analysis)


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


ABOUT_FIGURES = (
    "Summor per månad. <5: färre än fem. dold: totalen döljs så att en "
    "liten grupp inte kan räknas fram."
)


def workbook(report: FollowUpReport) -> bytes:
    """One sheet about the report, then one per indicator with the frozen table."""
    front = [
        (report.get_kind_display(), report.title),
        ("Strategiplan", report.plan.title),
        ("Period", f"{report.period_start:%Y-%m-%d} – {report.period_end:%Y-%m-%d}"),
        ("Siffrorna låstes", f"{timezone.localtime(report.frozen_at):%Y-%m-%d %H:%M}"),
        ("Skriven av", report.author_name),
        ("Om siffrorna", ABOUT_FIGURES),
    ]
    return figures_workbook(front, report.figures)


def figures_workbook(front_rows: list[tuple], figures: list[dict]) -> bytes:
    """A front sheet of (label, text) rows, then one sheet per figure (``as_figure``)
    with its table as shown: "<5" and "dold" stay what they are."""
    book = Workbook()
    front = book.active
    front.title = "Rapport"
    bold = Font(bold=True)
    for row in front_rows:
        front.append(row)
        front.cell(row=front.max_row, column=1).font = bold
    front.column_dimensions["A"].width = 20
    front.column_dimensions["B"].width = 80
    used = {"Rapport"}
    for n, figure in enumerate(figures, start=1):
        name = _SHEET_BAD.sub(" ", f"{n} {figure['name']}")[:31]
        while name in used:
            name = name[:29] + f"{n:02d}"
        used.add(name)
        sheet = book.create_sheet(name)
        sheet.append([figure["name"]])
        sheet.cell(row=1, column=1).font = bold
        if figure["description"]:
            sheet.append([figure["description"]])
        if figure["baseline"] or figure["target"]:
            sheet.append(["Utgångsvärde", figure["baseline"], "Mål", figure["target"]])
        header = ["Månad", *figure["groups"], "Totalt" if figure["groups"] else "Värde"]
        sheet.append([])
        sheet.append(header)
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for row in figure["rows"]:
            sheet.append([row["month"], *row["cells"], row["total"]])
        sheet.column_dimensions["A"].width = 14
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

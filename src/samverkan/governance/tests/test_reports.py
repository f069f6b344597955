"""Follow-up reports: figures frozen at the time of writing (suppression included), the
page, the PDF and the Excel workbook, who may write them, and audited exports."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from samverkan.audit.models import AuditEvent
from samverkan.core.errors import PermissionDenied
from samverkan.governance import plan_services, reports
from samverkan.governance.models import FollowUpReport

from .test_indicators import APR, MAR, World, at

pytestmark = pytest.mark.django_db

START, END = datetime.date(2012, 1, 1), datetime.date(2012, 7, 1)


def _plan_with_indicators():
    plan = plan_services.plan_create(
        actor=None, title="Plan 2012", period_start=START, period_end=datetime.date(2013, 1, 1)
    )
    plan_services.indicator_add(
        actor=None, plan=plan, name="Anmälningar", definition="concerns.reports_by_reporter_type"
    )
    plan_services.indicator_add(
        actor=None, plan=plan, name="I tid", definition="concerns.preliminary_within_14_days"
    )
    return plan


def test_figures_are_frozen_when_the_report_is_written(setting, as_actor):
    w = World()
    for day in range(1, 7):
        w.report(at(MAR, day), w.school)
    w.report(at(MAR, 10), w.health)
    plan = _plan_with_indicators()
    report = reports.report_create(
        actor=as_actor(setting.strategist),
        plan=plan,
        kind="delar",
        title="Delårsrapport 2012",
        period_start=START,
        period_end=END,
        analysis="# Läget\nFler anmälningar från skolan.",
    )
    march = next(r for r in report.figures[0]["rows"] if r["month"] == "2012-03")
    assert report.figures[0]["groups"] == ["Elevhälsa", "Skola"]
    assert march == {"month": "2012-03", "cells": ["<5", "6"], "total": "dold"}
    # Later events do not change what the report says.
    for day in range(11, 20):
        w.report(at(MAR, day), w.health)
    report.refresh_from_db()
    march = next(r for r in report.figures[0]["rows"] if r["month"] == "2012-03")
    assert march["cells"] == ["<5", "6"]
    event = AuditEvent.objects.get(resource_id=str(report.public_id))
    assert event.action == "create" and event.ground_code == "strategy_group"


def test_only_the_strategy_group_writes_a_report(setting, as_actor, client_for):
    plan = _plan_with_indicators()
    with pytest.raises(PermissionDenied):
        reports.report_create(
            actor=as_actor(setting.owner),
            plan=plan,
            kind="ar",
            title="Årsrapport",
            period_start=START,
            period_end=END,
        )
    form = {
        "rep-kind": "ar",
        "rep-title": "Årsrapport 2012",
        "rep-period_start": "2012-01-01",
        "rep-period_end": "2013-01-01",
    }
    url = reverse("strategy:add", args=[plan.public_id, "rapport"])
    assert client_for(setting.reader).post(url, form).status_code == 404
    assert client_for(setting.strategist).post(url, form).status_code == 302
    assert client_for(setting.strategist).post(url, form).status_code == 422  # sent twice
    assert FollowUpReport.objects.filter(plan=plan).count() == 1


def test_the_report_as_page_pdf_and_excel(setting, as_actor, client_for):
    w = World()
    for day in range(1, 6):
        w.decided(at(APR, day), at(APR, day + 1))
        w.decided(at(MAR, day), at(APR, day + 20))
    plan = _plan_with_indicators()
    report = reports.report_create(
        actor=None,
        plan=plan,
        kind="lagesanalys",
        title="Lägesanalys 2012",
        period_start=START,
        period_end=END,
        analysis="# Slutsatser\n- Förhandsbedömningarna tar för lång tid.",
    )
    client = client_for(setting.other)  # any member of staff reads the plan's reports
    page = client.get(reverse("strategy:report", args=[plan.public_id, report.public_id]))
    assert page.status_code == 200
    assert "Förhandsbedömningarna tar för lång tid." in page.text and "50 %" in page.text

    pdf = client.get(reverse("strategy:report_pdf", args=[plan.public_id, report.public_id]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Lägesanalys 2012" in text and "50 %" in text

    xlsx = client.get(reverse("strategy:report_xlsx", args=[plan.public_id, report.public_id]))
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Rapport", "1 Anmälningar", "2 I tid"]
    rows = list(book["2 I tid"].iter_rows(values_only=True))
    assert ("2012-04", "50 %") in [r[:2] for r in rows]
    actions = set(
        AuditEvent.objects.filter(resource_id=str(report.public_id)).values_list(
            "action", flat=True
        )
    )
    assert actions == {"create", "print", "export"}

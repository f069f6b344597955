"""The crime-prevention situation picture: figures equal counts made by hand, small
cells stay "<5" on the page and in the Excel and CSV files, only the strategy group may
take it out (one audit row each time), and a bad period gets an error at its field."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from samverkan.audit.models import AuditEvent
from samverkan.governance import crime_prevention, indicators

from .test_indicators import FEB, MAR, World, at

pytestmark = pytest.mark.django_db

PERIOD = {"period_start": "2012-01-01", "period_end": "2012-07-01"}
URL = reverse("strategy:situation")


def _world():
    w = World()
    for day in range(1, 8):  # seven from the school in March
        w.report(at(MAR, day), w.school)
    for day in range(1, 3):  # two from pupil health in March: "<5"
        w.report(at(MAR, day + 10), w.health)
    for day in range(1, 6):  # five from the school in February
        w.report(at(FEB, day), w.school)
    return w


def test_every_figure_of_the_data_file_is_a_known_indicator():
    codes = [item.code for item in crime_prevention.items()]
    assert "concerns.reports_by_reporter_type" in codes and "plans.started" in codes
    assert all(indicators.get(code) for code in codes)


def test_the_page_shows_hand_counts_with_small_cells_suppressed(setting, client_for):
    _world()
    page = client_for(setting.strategist).get(URL, PERIOD)
    assert page.status_code == 200
    extract = page.context["extract"]
    item, _, shown = extract.figures[0]
    assert item.code == "concerns.reports_by_reporter_type"
    assert shown["groups"] == ["Elevhälsa", "Skola"]
    rows = {r["month"]: r for r in shown["rows"]}
    assert rows["2012-03"]["cells"] == ["<5", "7"]
    assert rows["2012-03"]["total"] == "dold"  # else 9 - 7 would give the "<5" away
    assert rows["2012-02"] == {"month": "2012-02", "cells": ["0", "5"], "total": "5"}
    assert rows["2012-01"]["total"] == "0"
    assert "<td>&lt;5</td>" in page.text and "<td>7</td>" in page.text
    events = AuditEvent.objects.filter(resource_type="governance.crime_prevention")
    assert [(e.action, e.resource_id) for e in events] == [("read", "2012-01-01/2012-07-01")]


def test_excel_and_csv_carry_the_same_suppressed_figures(setting, client_for):
    _world()
    client = client_for(setting.strategist)
    xlsx = client.get(reverse("strategy:situation_xlsx"), PERIOD)
    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(xlsx.content))
    first = book[book.sheetnames[1]]
    rows = list(first.iter_rows(values_only=True))
    assert ("2012-03", "<5", "7", "dold") in [r[:4] for r in rows]
    assert len(book.sheetnames) == 1 + len(crime_prevention.items())

    csv = client.get(reverse("strategy:situation_csv"), PERIOD).content.decode("utf-8-sig")
    lines = csv.splitlines()
    assert lines[0] == "Indikator;Kod;Månad;Grupp;Värde"
    assert any(line.endswith(";2012-03;Elevhälsa;<5") for line in lines)
    assert any(line.endswith(";2012-03;Skola;7") for line in lines)
    actions = AuditEvent.objects.filter(resource_type="governance.crime_prevention").values_list(
        "action", flat=True
    )
    assert sorted(actions) == ["export", "export"]  # one row per extract


@pytest.mark.parametrize("who", ["reader", "owner", "other"])
def test_only_the_strategy_group_takes_it_out(setting, client_for, who):
    client = client_for(getattr(setting, who))
    assert client.get(URL, PERIOD).status_code == 404
    assert client.get(reverse("strategy:situation_xlsx"), PERIOD).status_code == 404
    assert client.get(reverse("strategy:situation_csv"), PERIOD).status_code == 404
    assert not AuditEvent.objects.filter(resource_type="governance.crime_prevention").exists()
    assert "lagesbild" not in client.get(reverse("strategy:list")).text


@pytest.mark.parametrize(
    ("period", "field", "message"),
    [
        ({"period_start": "2012-07-01", "period_end": "2012-01-01"}, "period_end", "sluta efter"),
        ({"period_start": "2012-01-01", "period_end": "2016-01-01"}, "period_end", "högst 36"),
        ({"period_start": "igår", "period_end": "2012-01-01"}, "period_start", "datum"),
        ({"period_start": "2012-01-01", "period_end": ""}, "period_end", "ange"),
    ],
)
def test_a_bad_period_gets_an_error_at_its_field(setting, client_for, period, field, message):
    client = client_for(setting.strategist)
    page = client.get(URL, period)
    assert page.status_code == 422
    errors = page.context["form"].errors
    assert field in errors and message in " ".join(errors[field]).lower()
    assert page.context["extract"] is None
    # Nothing is lost: the dates as typed are in the form again.
    assert f'value="{period["period_start"]}"' in page.text
    assert client.get(reverse("strategy:situation_xlsx"), period).status_code == 422
    assert not AuditEvent.objects.filter(resource_type="governance.crime_prevention").exists()


def test_the_strategy_group_finds_the_page_and_an_empty_form_first(setting, client_for):
    client = client_for(setting.strategist)
    assert URL in client.get(reverse("strategy:list")).text
    page = client.get(URL)
    assert page.status_code == 200 and page.context["extract"] is None
    assert not page.context["form"].errors

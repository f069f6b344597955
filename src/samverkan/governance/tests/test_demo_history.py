"""The demo's year of generated history (samverkan.demo.history): loaded into the demo
world, the strategy plan's indicators show twelve months of figures, and the climate
survey shows results by organisation type (issue 16, "Done when": demo)."""

from __future__ import annotations

import pytest

from samverkan.demo import history
from samverkan.governance import plan_selectors, survey_results
from samverkan.governance.models import Indicator, Survey

pytestmark = pytest.mark.django_db


def test_a_year_of_history_fills_the_indicators_and_the_survey(world):
    made = history.load(world)
    assert made["reports"] > 12 * 15 and made["meetings"] >= 12 * 5
    assert made["training_places"] > 0 and made["survey_responses"] == 72
    reports = Indicator.objects.get(definition="concerns.reports_by_reporter_type")
    months = history._months(12)
    series = plan_selectors.series(reports, start=months[0])
    shown = [row for row in series.rows if row.month in months and not row.total.suppressed]
    assert len(shown) == 12  # every month of the year has figures, none "<5"
    assert {label for _, label in series.groups} >= {"Skola", "Förskola", "Enskild person"}
    meetings = Indicator.objects.get(definition="meetings.held")
    held = plan_selectors.series(meetings, start=months[0])
    # The demo world's own meetings may add a group under five in the latest month, which
    # hides that month's total; every other month shows its count.
    assert sum(1 for row in held.rows if row.month in months and row.total.value) >= 11
    survey = Survey.objects.get(title="Temperaturmätning av samverkansklimatet")
    result = survey_results.results(survey)
    assert result.shown and len(result.groups) >= 3
    assert [p.label for p in result.periods if p.responses.value] != []

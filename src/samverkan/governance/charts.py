"""Indicator trends as server-made SVG, drawn by pygal (decision 0130).

The SVG is served as an image of its own (``<img>`` with the text alternative as
``alt``) beside a data table with the same figures. pygal writes its colours in a
``<style>`` element and a small configuration ``<script>`` inside the SVG: the chart
response therefore carries its own Content-Security-Policy (styles inside the image
allowed, everything else, scripts included, refused). A browser never runs scripts in
an image anyway. The pages themselves keep the strict policy.

Suppressed figures ("<5") are drawn as no dot at all (never as a number); the data
table beside the chart shows them as "<5".
"""

from __future__ import annotations

import pygal
from pygal.style import Style

from . import indicators
from .plan_selectors import Series

# High-contrast colours that stay apart for the common colour-vision deficiencies
# (Okabe-Ito), on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
TARGET_COLOUR = "#000000"


def _style(series_count: int, with_target: bool) -> Style:
    colours = [PALETTE[i % len(PALETTE)] for i in range(series_count)]
    if with_target:
        colours.append(TARGET_COLOUR)
    return Style(colors=tuple(colours), **_STYLE)


_STYLE = {
    "background": "#ffffff",
    "plot_background": "#ffffff",
    "foreground": "#1a1a1a",
    "foreground_strong": "#000000",
    "foreground_subtle": "#555555",
    "font_family": "'DejaVu Sans', Arial, sans-serif",
    "label_font_size": 13,
    "major_label_font_size": 13,
    "legend_font_size": 14,
    "title_font_size": 16,
    "value_font_size": 12,
}


def trend_svg(series: Series) -> bytes:
    share = series.unit == indicators.SHARE
    with_target = series.indicator.target is not None and bool(series.rows)
    chart = pygal.Line(
        style=_style(len(series.groups) if series.grouped else 1, with_target),
        js=[],
        width=800,
        height=420,
        title=series.indicator.name,
        x_title="Månad",
        y_title="Procent" if share else ("Dagar" if series.unit == indicators.DAYS else "Antal"),
        x_label_rotation=30,
        show_legend=True,
        legend_at_bottom=True,
        include_x_axis=True,
        range=(0, 100) if share else None,
        allow_interpolation=False,
        no_data_text="Inga värden att visa",
        truncate_legend=-1,
        stroke_style={"width": 3},
        dots_size=4,
    )
    chart.x_labels = [f"{row.month:%Y-%m}" for row in series.rows]
    if series.grouped:
        for index, (_, label) in enumerate(series.groups):
            chart.add(str(label), [row.cells[index].value for row in series.rows])
    else:
        chart.add(series.indicator.name, [row.total.value for row in series.rows])
    if with_target:
        chart.add(
            "Målvärde",
            [float(series.indicator.target)] * len(series.rows),
            stroke_style={"width": 3, "dasharray": "8, 6"},
            show_dots=False,
        )
    return chart.render()


def _short(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def survey_by_group_svg(results) -> bytes:
    """Share of positive answers per question, one bar per organisation type shown
    (groups under the survey's size are pooled or not shown; survey_results.py)."""
    rows = [*results.groups, results.total] if results.total else []
    chart = pygal.HorizontalBar(
        style=_style(len(rows), False),
        js=[],
        width=800,
        height=max(320, 90 * len(results.questions) + 120),
        title=results.survey.title,
        x_title="Andel positiva svar (procent)",
        range=(0, 100),
        show_legend=True,
        legend_at_bottom=True,
        truncate_legend=-1,
        truncate_label=-1,
        no_data_text="För få svar att visa",
        print_values=False,
    )
    chart.x_labels = [_short(q.text) for q in results.questions]
    for row in rows:
        chart.add(f"{row.label} ({row.responses})", [c.value for c in row.cells])  # str
    return chart.render()


def survey_over_time_svg(results) -> bytes:
    """Share of positive answers per question and quarter; quarters with too few
    responses are drawn as no dot."""
    chart = pygal.Line(
        style=_style(max(1, len(results.questions)), False),
        js=[],
        width=800,
        height=420,
        title=results.survey.title,
        x_title="Kvartal",
        y_title="Procent positiva svar",
        range=(0, 100),
        show_legend=True,
        legend_at_bottom=True,
        truncate_legend=-1,
        allow_interpolation=False,
        no_data_text="För få svar att visa",
        dots_size=4,
    )
    chart.x_labels = [p.label for p in results.periods]
    for index, question in enumerate(results.questions):
        chart.add(_short(question.text), [p.cells[index].value for p in results.periods])
    return chart.render()

"""Indicator trends as server-made SVG, drawn by pygal (decision 0130).

The SVG is served as an image of its own (``<img>`` with the text alternative as
``alt``) beside a data table with the same figures. pygal writes its colours in a
``<style>`` element and a small configuration ``<script>`` inside the SVG: the chart
response therefore carries its own Content-Security-Policy (styles inside the image
allowed, everything else, scripts included, refused). A browser never runs scripts in
an image anyway. The pages themselves keep the strict policy.

Suppressed figures ("<5") are gaps in the line, never a number.
"""

from __future__ import annotations

import pygal
from pygal.style import Style

from . import indicators
from .plan_selectors import Series

# High-contrast colours that stay apart for the common colour-vision deficiencies
# (Okabe-Ito), on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1a1a1a",
    foreground_strong="#000000",
    foreground_subtle="#555555",
    colors=PALETTE,
    font_family="'DejaVu Sans', Arial, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    title_font_size=16,
    value_font_size=12,
)


def trend_svg(series: Series) -> bytes:
    share = series.unit == indicators.SHARE
    chart = pygal.Line(
        style=STYLE,
        js=[],
        width=800,
        height=420,
        title=series.indicator.name,
        x_title="Månad",
        y_title="Procent" if share else "Antal",
        x_label_rotation=30,
        show_legend=True,
        legend_at_bottom=True,
        include_x_axis=True,
        range=(0, 100) if share else None,
        allow_interpolation=False,
        no_data_text="Inga värden att visa",
        stroke_style={"width": 3},
        dots_size=4,
    )
    chart.x_labels = [f"{row.month:%Y-%m}" for row in series.rows]
    if series.grouped:
        for index, (_, label) in enumerate(series.groups):
            chart.add(label, [row.cells[index].value for row in series.rows])
    else:
        chart.add(series.indicator.name, [row.total.value for row in series.rows])
    if series.indicator.target is not None and series.rows:
        chart.add(
            "Målvärde",
            [float(series.indicator.target)] * len(series.rows),
            stroke_style={"width": 2, "dasharray": "6, 4"},
            show_dots=False,
        )
    return chart.render()

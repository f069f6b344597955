"""docs/legal.md's section "Rättsliga grunder", generated from the catalogue. The section
sits between two markers; ``samverkan legal doc --write`` replaces it and a test (and
``--check``) fails when the file and the data differ."""

from __future__ import annotations

from pathlib import Path

from django.utils import translation

from samverkan.core import doc_sections
from samverkan.directory import selectors as directory

from . import catalogue

START = (
    "<!-- grounds:start (generated from src/samverkan/legal/data/grounds.yaml by "
    "`samverkan legal doc --write`; do not edit by hand) -->"
)
END = "<!-- grounds:end -->"
LEGAL_MD = Path(__file__).resolve().parents[3] / "docs" / "legal.md"


_cell = doc_sections.cell


def _types(types, labels) -> str:
    return ", ".join("alla" if t == "*" else str(labels.get(t, t)) for t in types)


def section(data: catalogue.Catalogue | None = None) -> str:
    data = data or catalogue.from_file()
    with translation.override("sv"):
        labels = directory.organisation_type_labels()
        labels = {k: str(v) for k, v in labels.items()}
    lines = [
        START,
        f"Grundkatalog: **{_cell(data.name)}**, version {data.version}, antagen "
        f"{data.adopted_on.isoformat()}, granskas av: {_cell(data.reviewed_by)}.",
        "",
        f"{_cell(data.review_note)} Typer som bara nås genom en grund som nämner dem: "
        f"{_types(sorted(data.named_only), labels)}.",
        "",
        "| grund | tidigare lag | gällande lag | gäller | från → till | kategorier | prövas |",
        "|---|---|---|---|---|---|---|",
    ]
    for g in data.grounds:
        old = "<br>".join(_cell(s.old) for s in g.statutes)
        new = "<br>".join(
            _cell(s.new) + (" *(kontrolleras)*" if s.verify else "") for s in g.statutes
        )
        until = g.effective_to.isoformat() if g.effective_to else "tills vidare"
        directions = "<br>".join(
            f"{_types(d.sources, labels)} → {_types(d.targets, labels)}" for d in g.directions
        )
        if g.under_age:
            directions += f"<br>(under {g.under_age} år)"
        if g.authorities_only:
            directions += "<br>(bara mellan myndigheter)"
        categories = "alla" if "*" in g.categories else ", ".join(g.categories)
        judged = (
            "människa, med dokumenterad intresseavvägning"
            if g.balancing
            else "människa"
            if g.judgement
            else "Samverkan"
        )
        lines.append(
            f"| **{_cell(g.name)}** (`{g.code}`) | {old} | {new} | "
            f"{g.effective_from.isoformat()} – {until} | {directions} | {categories} | {judged} |"
        )
    lines += ["", "Villkor och sekretess per grund:", ""]
    for g in data.grounds:
        lines.append(
            f"- **{_cell(g.name)}** — {_cell(g.summary)} Sekretess som bryts: "
            f"{_cell(g.secrecy_excluded)}"
        )
        for text in g.checked_by_product:
            lines.append(f"  - Samverkan kontrollerar: {_cell(text)}")
        for text in g.conditions:
            lines.append(f"  - Användaren bekräftar: {_cell(text)}")
        for text in g.alternatives:
            lines.append(f"  - Annan laglig väg: {_cell(text)}")
    lines.append(END)
    return "\n".join(lines)


def current(text: str) -> str | None:
    return doc_sections.current(text, START, END)


def replaced(text: str, data: catalogue.Catalogue | None = None) -> str:
    return doc_sections.replaced(text, START, END, section(data))

"""docs/legal.md's section "Gallring och arkivering", generated from the schedule. The
section sits between two markers; ``samverkan retention doc --write`` replaces it and a
test (and ``--check``) fails when the file and the data differ."""

from __future__ import annotations

from pathlib import Path

from samverkan.core import doc_sections

from . import registry, schedule

START = (
    "<!-- retention:start (generated from src/samverkan/retention/data/schedule.yaml by "
    "`samverkan retention doc --write`; do not edit by hand) -->"
)
END = "<!-- retention:end -->"
LEGAL_MD = Path(__file__).resolve().parents[3] / "docs" / "legal.md"


_cell = doc_sections.cell


def section(plan: schedule.Schedule | None = None) -> str:
    plan = plan or schedule.load()
    lines = [
        START,
        f"Gallringsplan: **{_cell(plan.name)}**, version {plan.version}.",
        "",
        "| regel | posttyp | åtgärd | tid | räknas från | arkiveras före gallring | beslut |",
        "|---|---|---|---|---|---|---|",
    ]
    for rule in plan.rules:
        action = schedule.ACTION_LABELS[rule.action]
        if rule.action == schedule.THIN and registry.get(rule.record_type) is None:
            action += " (ingen posttyp i koden: gallras inte ännu)"
        years = f"{rule.keep_years} år" if rule.keep_years else "–"
        lines.append(
            f"| `{rule.code}` | {_cell(rule.title)} (`{rule.record_type}`) | {action} | {years} "
            f"| {_cell(rule.counted_from)} | {'ja' if rule.archive else 'nej'} "
            f"| {_cell(rule.decision)} |"
        )
    included = [r for r in plan.rules if r.includes]
    if included:
        lines += ["", "Vad som gallras med posten:", ""]
        lines += [f"- `{r.code}`: {_cell(r.includes)}" for r in included]
    lines.append(END)
    return "\n".join(lines)


def current(text: str) -> str | None:
    return doc_sections.current(text, START, END)


def replaced(text: str, plan: schedule.Schedule | None = None) -> str:
    return doc_sections.replaced(text, START, END, section(plan))

"""The governance part of the demo world: a method handbook with two versions and an
open change proposal, a routine, an agreement, a draft guideline, and a strategy plan
with goals, focus areas, activities and indicators. The content is in
data/demo.yaml; it is built only through the services, as a user would."""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml
from django.utils import timezone

from samverkan.directory import selectors as directory
from samverkan.meetings import selectors as meetings

from . import plan_services, reports, services

DATA = Path(__file__).parent / "data" / "demo.yaml"
STRATEGIST = "greta"


def _day(days) -> datetime.date | None:
    if days is None:
        return None
    return timezone.localdate() + datetime.timedelta(days=int(days))


def load(world, *, with_history: bool = False) -> None:
    """``with_history``: the demo command loaded a year of history first; the reports
    are then the ones written about that year (``reports_with_history``)."""
    spec = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    if with_history:
        spec["strategy_plan"]["reports"] = spec["strategy_plan"]["reports_with_history"]
    strategist = world.actor(STRATEGIST)
    forums = {f.name: f for f in meetings.forum_list(strategist)}
    functions = {f.code: f for f in directory.function_choices()}
    orgs = world.organisations
    owner_actor = world.actor("erik")  # enhetschef, Socialtjänsten barn och familj
    for item in spec["agreements"]:
        _agreement(item, strategist, owner_actor, forums, functions, orgs, world)
    _plan(spec["strategy_plan"], strategist, forums, functions, orgs)


def _agreement(item, strategist, owner_actor, forums, functions, orgs, world) -> None:
    owner_org, owner_function = item["owner"]
    data = services.AgreementData(
        title=item["title"],
        kind=item["kind"],
        status=item["status"],
        summary=item.get("summary", ""),
        body=item["body"],
        owner_organisation=orgs[owner_org],
        owner_function=functions[owner_function],
        decision_forum=forums.get(item.get("decision_forum", "")),
        decided_on=_day(item.get("decided_days")),
        valid_until=_day(item.get("valid_days")),
        review_on=_day(item.get("review_days")),
        parties=[orgs[n] for n in item["parties"]],
        forums=[forums[n] for n in item.get("forums", [])],
        knowledge_links=item.get("links", []),
    )
    agreement = services.agreement_create(actor=strategist, data=data)
    for revision in item.get("revisions", []):
        old, new = revision["replace"]
        data.body = data.body.replace(old, new)
        agreement = services.agreement_update(
            actor=owner_actor,
            agreement_id=agreement.public_id,
            data=data,
            expected_version=agreement.version,
            comment=revision["comment"],
        )
    for proposal in item.get("proposals", []):
        services.comment_add(
            actor=world.actor(proposal["by"]),
            agreement_id=agreement.public_id,
            kind="forslag",
            text=proposal["text"],
            proposed_body=agreement.body + proposal["append"],
        )


def _plan(spec, strategist, forums, functions, orgs) -> None:
    plan = plan_services.plan_create(
        actor=strategist,
        title=spec["title"],
        summary=spec["summary"],
        period_start=_day(spec["start_days"]).replace(day=1),
        period_end=_day(spec["end_days"]),
        decision_forum=forums.get("Strategigruppen barn och unga"),
    )
    goals = [plan_services.goal_add(actor=strategist, plan=plan, title=t) for t in spec["goals"]]
    for area_spec in spec["focus_areas"]:
        area = plan_services.focus_area_add(actor=strategist, plan=plan, title=area_spec["title"])
        for title, org, function, due_days, status in area_spec["activities"]:
            plan_services.activity_add(
                actor=strategist,
                focus_area=area,
                title=title,
                owner_organisation=orgs[org],
                owner_function=functions[function],
                due=_day(due_days),
                status=status,
            )
    for ind in spec["indicators"]:
        indicator = plan_services.indicator_add(
            actor=strategist,
            plan=plan,
            name=ind["name"],
            definition=ind.get("definition", ""),
            unit=ind.get("unit", ""),
            goal=goals[ind["goal"]] if "goal" in ind else None,
            description=ind.get("description", ""),
            baseline=ind.get("baseline"),
            baseline_label=ind.get("baseline_label", ""),
            target=ind.get("target"),
            target_label=ind.get("target_label", ""),
        )
        for days, value in ind.get("values", {}).items():
            plan_services.indicator_value_set(
                actor=strategist, indicator=indicator, month=_day(days), value=value
            )
    for rep in spec.get("reports", []):
        reports.report_create(
            actor=strategist,
            plan=plan,
            kind=rep["kind"],
            title=rep["title"],
            period_start=_day(rep["start_days"]).replace(day=1),
            period_end=_day(rep["end_days"]),
            analysis=rep["analysis"],
        )

"""The child's reports of concern in the shared chronology (``people.chronology``):
those the actor may see (social services its matter, a reporter its own reports),
through ``selectors.reports_for_child``, which decides each by the access policy and
audits it with its ground (the duty to report, or the reporter's own report).

Inside a report, two more sources, each read under the report's own decision and
audited on its own (one row per handling and per meeting shown):

- ``report_step``: social services' steps in its handling (handler assigned, protection
  assessment, the preliminary assessment's decision, closure) — only to social
  services itself: the reporting side learns of them only as the feedback the law and
  the municipality's list allow (``concerns.feedback``), never from the chronology;
- ``report_meeting``: three-party meetings booked on the report, to both sides, as on
  the report's own page;
- ``report_feedback``: the feedback social services gave the reporter, to both sides
  (the reporter received it, social services wrote it), with its wording, as on the
  report's own page (decision 0347);
- ``report_evaluation``: the evaluation of the cooperation after closure, only to the
  organisation that wrote it (its own record; the other side's answers are never
  shown), with its comment."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.people import chronology

from . import selectors
from .models import Entry, EntryKind, Evaluation, Meeting


def _organisation(report) -> str:
    if report.reporter_organisation_id:
        return report.reporter_organisation.name
    return _("Enskild person")


def _steps(handling) -> list[tuple]:
    steps = [
        (handling.assigned_at, _("Handläggare utsedd")),
        (handling.protection_assessed_at, _("Skyddsbedömning gjord")),
        (
            handling.preliminary_decided_at,
            _("Förhandsbedömning: %(decision)s")
            % {"decision": handling.get_preliminary_decision_display()},
        ),
        (
            handling.closed_at,
            _("Avslutad: %(outcome)s") % {"outcome": handling.get_outcome_display()},
        ),
    ]
    return [(at, title) for at, title in steps if at]


def _read_rows(actor, child, ground, resources) -> list[dict]:
    """One audit row per record read; a record without a public id (an evaluation) is
    named by its key."""
    return [
        {
            "actor": actor,
            "action": Action.READ,
            "resource_type": resource._meta.label_lower,
            "resource_id": str(getattr(resource, "public_id", resource.pk)),
            "subject_id": str(child.public_id),
            "ground": ground,
            "reason": "Kronologi",
        }
        for resource in resources
    ]


def _views(actor, child):
    views = selectors.reports_for_child(actor, child)
    return [(v, selectors.report_ground(actor, v.report)) for v in views]


def events(actor, child) -> list[chronology.Event]:
    views = _views(actor, child)
    found = [
        chronology.Event(
            at=v.report.received_at,
            kind="report",
            kind_label=_("Orosanmälan"),
            organisation_name=_organisation(v.report),
            title=_("Orosanmälan till socialtjänsten"),
            ground_label=str(ground.label),
            url=reverse("concerns:detail", args=[v.report.public_id]),
        )
        for v, ground in views
    ]
    rows: list[dict] = []
    found += _step_events(actor, child, views, rows)
    found += _meeting_events(actor, child, views, rows)
    found += _feedback_events(actor, child, views, rows)
    found += _evaluation_events(actor, child, views, rows)
    audit.events_record(rows)
    return found


def _step_events(actor, child, views, rows) -> list[chronology.Event]:
    found = []
    for v, ground in views:
        if v.role != selectors.INTAKE:
            continue
        steps = _steps(v.handling)
        if not steps:
            continue
        rows += _read_rows(actor, child, ground, [v.handling])
        found += [
            chronology.Event(
                at=at,
                kind="report_step",
                kind_label=_("Steg i anmälan"),
                organisation_name=actor.organisation_name,
                title=title,
                ground_label=str(ground.label),
                url=reverse("concerns:detail", args=[v.report.public_id]),
            )
            for at, title in steps
        ]
    return found


def _meeting_events(actor, child, views, rows) -> list[chronology.Event]:
    by_report = {v.report.pk: (v, ground) for v, ground in views}
    if not by_report:
        return []
    found = []
    for meeting in Meeting.objects.filter(report_id__in=by_report).order_by("starts_at"):
        v, ground = by_report[meeting.report_id]
        rows += _read_rows(actor, child, ground, [meeting])
        found.append(
            chronology.Event(
                at=meeting.starts_at,
                kind="report_meeting",
                kind_label=_("Trepartssamtal"),
                organisation_name=v.report.receiving_organisation.name,
                title=_("Trepartssamtal om anmälan"),
                ground_label=str(ground.label),
                url=reverse("concerns:detail", args=[v.report.public_id]),
            )
        )
    return found


def _feedback_events(actor, child, views, rows) -> list[chronology.Event]:
    by_report = {v.report.pk: (v, ground) for v, ground in views}
    if not by_report:
        return []
    found = []
    feedback = Entry.objects.filter(
        report_id__in=by_report, kind=EntryKind.FEEDBACK, to_reporter=True
    ).order_by("created_at", "pk")
    for entry in feedback:
        v, ground = by_report[entry.report_id]
        rows += _read_rows(actor, child, ground, [entry])
        found.append(
            chronology.Event(
                at=entry.created_at,
                kind="report_feedback",
                kind_label=_("Återkoppling"),
                organisation_name=v.report.receiving_organisation.name,
                title=_("Återkoppling till anmälaren"),
                ground_label=str(ground.label),
                url=reverse("concerns:detail", args=[v.report.public_id]),
                detail=entry.text,
            )
        )
    return found


def _evaluation_events(actor, child, views, rows) -> list[chronology.Event]:
    by_report = {v.report.pk: (v, ground) for v, ground in views}
    if not by_report or not actor.has_membership:
        return []
    found = []
    own = Evaluation.objects.filter(
        report_id__in=by_report, organisation_id=actor.organisation_id
    ).order_by("created_at", "pk")
    for evaluation in own:
        v, ground = by_report[evaluation.report_id]
        rows += _read_rows(actor, child, ground, [evaluation])
        found.append(
            chronology.Event(
                at=evaluation.created_at,
                kind="report_evaluation",
                kind_label=_("Utvärdering av samarbetet"),
                organisation_name=actor.organisation_name,
                title=_("Samarbetet kring anmälan utvärderat"),
                ground_label=str(ground.label),
                url=reverse("concerns:detail", args=[v.report.public_id]),
                detail=evaluation.comment,
            )
        )
    return found


def register() -> None:
    chronology.register(
        chronology.Source(
            "report",
            gettext_lazy("Orosanmälningar"),
            events,
            more_kinds=(
                ("report_step", gettext_lazy("Steg i anmälningar")),
                ("report_meeting", gettext_lazy("Trepartssamtal")),
                ("report_feedback", gettext_lazy("Återkoppling till anmälare")),
                ("report_evaluation", gettext_lazy("Utvärderingar av samarbetet")),
            ),
        )
    )

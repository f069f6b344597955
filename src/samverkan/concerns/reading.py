"""What the reads of reports of concern share: the two views of a report
(``ReportView``, for social services and for the reporting side), its deadlines and
status lines, and loading reports with what their pages show (``selectors`` lists the
reads)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import (
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from samverkan.access import pipeline, policy
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit.models import Action
from samverkan.core.errors import NotFound

from . import conf, deadlines, intake_order
from . import feedback as catalogue
from . import inbox as report_inbox
from .models import (
    Channel,
    Entry,
    EntryKind,
    Evaluation,
    Handling,
    Meeting,
    PreliminaryDecision,
    Report,
)
from .policies import SOCIAL_SERVICES
from .reporter_dialogue import feedback_access
from .submission import REPORTING_TYPES

INTAKE = "intake"
REPORTER = "reporter"

DEADLINE_LABELS = {
    "written": gettext_lazy("Skriftlig anmälan"),
    "protection": gettext_lazy("Skyddsbedömning"),
    "preliminary": gettext_lazy("Förhandsbedömning"),
    "investigation": "Utredning",
    "evaluation": gettext_lazy("Utvärdering av samarbetet"),
}


@dataclass
class Deadline:
    kind: str
    due: datetime.date
    status: str

    @property
    def label(self) -> str:
        return DEADLINE_LABELS[self.kind]


@dataclass
class ReportView:
    report: Report
    handling: Handling
    role: str
    decision: policy.Decision | None = None
    entries: list[Entry] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    evaluations: list[Evaluation] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    duplicate_count: int = 0
    protection_late: bool = False
    # The reporting side's status line, derived from the catalogue (reporter_status).
    reporter_status: str = ""
    # Whether the handler's name may be shown (always to social services; to the
    # reporting side on the catalogue's statement "handler", see ``_for_reporter``).
    handler_shown: bool = True

    @property
    def is_intake(self) -> bool:
        return self.role == INTAKE

    @property
    def status(self) -> str:
        """Social services sees its own matter as it is; the reporting side sees the
        status the catalogue derives for its grounds."""
        if self.role == INTAKE:
            return status_label(self.report, self.handling)
        return self.reporter_status or reporter_status(self.report, self.handling)

    @property
    def facts(self) -> frozenset[str]:
        return catalogue.facts(handling=self.handling, channel=self.report.channel)

    @property
    def overdue(self) -> list[Deadline]:
        return [d for d in self.deadlines if d.status == deadlines.OVERDUE]

    @property
    def due_soon(self) -> list[Deadline]:
        return [d for d in self.deadlines if d.status == deadlines.DUE_SOON]

    @property
    def duplicate_flag(self) -> bool:
        return self.duplicate_count > 1

    @property
    def feedback(self) -> list[Entry]:
        return [e for e in self.entries if e.kind == EntryKind.FEEDBACK]

    @property
    def handler_name(self) -> str:
        handler = self.handling.handler if self.handler_shown else None
        return handler.user.get_full_name() if handler else ""

    @property
    def handler_line(self) -> str:
        assigned = [e for e in self.entries if e.kind == EntryKind.ASSIGNED]
        return assigned[-1].text if assigned else ""


def is_intake(actor: Actor) -> bool:
    """Whether the actor works in social services' intake: a function that registers,
    in social services (the intake pages and the whole list of reports)."""
    return actor.organisation_type == SOCIAL_SERVICES and actor.has_perm(Permission.PEOPLE_REGISTER)


def may_report(actor: Actor) -> bool:
    """Whether the actor's organisation and function make reports of concern."""
    return actor.organisation_type in REPORTING_TYPES and actor.has_perm(Permission.PEOPLE_VIEW)


def reporter_status(report: Report, handling: Handling) -> str:
    """The status a reporting organisation sees: the first status of the feedback
    catalogue that is true of the matter and that may pass to it (the statutory
    minimum, the municipality's harmless list, or what a consent covers)."""
    state = catalogue.facts(handling=handling, channel=report.channel)
    # The catalogue's wording is data (web/i18n/datatexts.py): translated when shown.
    return gettext(catalogue.reporter_status(state, feedback_access(report)).text)


def status_label(report: Report, handling: Handling) -> str:
    """received → assigned → decision → closed, as social services follows its own
    matter (never shown to a reporter: see ``reporter_status``)."""
    if handling.closed_at:
        return f"Avslutad ({handling.get_outcome_display().lower()})"
    if handling.preliminary_decision:
        return {
            PreliminaryDecision.OPEN: gettext("Utredning pågår"),
            PreliminaryDecision.NOT_OPEN: gettext("Utredning inleds inte"),
            PreliminaryDecision.ONGOING: gettext("Utredning pågår redan"),
        }[handling.preliminary_decision]
    if report.channel == Channel.ORAL and handling.written_received_at is None:
        return gettext("Muntlig anmälan – skriftlig anmälan väntas")
    if handling.handler_id:
        return gettext("Handläggare utsedd – förhandsbedömning pågår")
    return "Mottagen"


def _deadlines(report: Report, handling: Handling, today: datetime.date) -> list[Deadline]:
    if handling.closed_at is not None:
        return []
    return [
        Deadline(kind, day, deadlines.status(day, today, soon))
        for kind, day, soon in intake_order.open_deadlines(
            **intake_order.matter_of(report, handling)
        )
    ]


def _protection_late(report: Report, handling: Handling) -> bool:
    arrived = timezone.localdate(report.received_at)
    if handling.protection_assessed_at is None:
        return timezone.localdate() > arrived
    return timezone.localdate(handling.protection_assessed_at) > arrived


def _load(public_id) -> Report:
    try:
        return Report.objects.select_related(
            "child",
            "reporter_organisation",
            "receiving_organisation",
            "routed_unit",
            "completes",
            "handling__handler__user",
            "handling__handler__function",
            "handling__handler__unit",
        ).get(public_id=public_id)
    except (Report.DoesNotExist, ValueError, DjangoValidationError) as exc:
        raise NotFound(gettext("Anmälan finns inte eller så har du inte behörighet.")) from exc


def _duplicate_counts(reports: list[Report]) -> dict[int, int]:
    """Per report: how many different reporters reported the same child to the same
    organisation within the window around it (the report's own reporter included)."""
    window = datetime.timedelta(days=conf.get("CONCERN_DUPLICATE_WINDOW_DAYS"))
    with_child = [r for r in reports if r.child_id]
    if not with_child:
        return {}
    earliest = min(r.received_at for r in with_child) - window
    related = defaultdict(list)
    for row in Report.objects.filter(
        child_id__in={r.child_id for r in with_child},
        receiving_organisation_id__in={r.receiving_organisation_id for r in with_child},
        received_at__gte=earliest,
    ).values(
        "child_id",
        "receiving_organisation_id",
        "received_at",
        "reporter_organisation_id",
        "reporter_name",
        "channel",
        "completes_id",
    ):
        related[(row["child_id"], row["receiving_organisation_id"])].append(row)
    counts = {}
    for report in with_child:
        reporters = {
            (row["reporter_organisation_id"], row["reporter_name"])
            for row in related[(report.child_id, report.receiving_organisation_id)]
            if abs(row["received_at"] - report.received_at) <= window
        }
        counts[report.pk] = len(reporters)
    return counts


def _for_reporter(actor: Actor, view: ReportView) -> None:
    """What the reporting side is told of social services' matter, each line only while
    its ground holds now (asked at read time, like the status line): the handler's name
    as the feedback catalogue's statement ``handler`` (on the municipality's list of
    harmless facts, or a consent); a three-party meeting and its note while the
    family's consent for it holds. Feedback already sent stays (it passed on its
    recorded ground); the reporter's own lines and the receipt are the reporter's."""
    handler = catalogue.statement("handler")
    handler_shown = feedback_access(view.report).ground_for(handler) is not None
    meeting_shown = bool(view.meetings) or any(e.kind == EntryKind.NOTE for e in view.entries)
    meeting_shown = meeting_shown and report_inbox.meeting_shared(actor, view.report)
    view.handler_shown = handler_shown
    view.entries = [
        e
        for e in view.entries
        if (e.kind != EntryKind.ASSIGNED or handler_shown)
        and (e.kind != EntryKind.NOTE or meeting_shown)
    ]
    if not meeting_shown:
        view.meetings = []


def _shown(actor: Actor, reports: list[Report], reason: str, *, page=None) -> list[Report]:
    """The reports of a list page that the rules let the actor read, each decided
    (``access.pipeline.disclose``) and the page audited as one row naming every report,
    its child and its ground (decision 0092)."""
    results = pipeline.disclose(
        actor,
        Action.READ,
        reports,
        subject=lambda r: str(r.child.public_id) if r.child_id else "",
        reason=reason,
        one_row={"page": page} if page else {},
    )
    return [r.resource for r in results if r.shown]


def _list_qs(actor: Actor) -> QuerySet[Report]:
    return policy.visible(actor, Action.READ, Report.objects.all()).select_related(
        "child", "reporter_organisation", "routed_unit", "handling__handler__user"
    )


def _evaluation_due(report: Report, handling: Handling, evaluated_orgs: set[int], org_id: int):
    if handling.closed_at is None or org_id in evaluated_orgs:
        return None
    return intake_order.evaluation_due(handling.closed_at)

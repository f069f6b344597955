"""Reads of reports of concern: always through the access policy, always audited.
What the actor may not see raises NotFound, exactly as if it did not exist.

Two views of one report: social services (the whole report and its handling) and the
reporting side (their own report, its status, and what was sent back to them).
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    Func,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least, TruncDate
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from samverkan.access import pipeline, policy
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit.models import Action
from samverkan.audit.services import Ground
from samverkan.core import paging
from samverkan.core.errors import NotFound
from samverkan.directory import selectors as directory
from samverkan.people import selectors as people_selectors

from . import conf, deadlines, intake_order, legal
from . import feedback as catalogue
from . import inbox as report_inbox
from .cooperation import EVALUATION_QUESTIONS
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
from .policies import SOCIAL_SERVICES, is_receiver, reporter_ground
from .reporter_dialogue import feedback_access, feedback_decision
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
    soon = conf.get("CONCERN_DUE_SOON_DAYS")
    items = []
    if handling.closed_at is not None:
        return items
    if report.channel == Channel.ORAL and handling.written_received_at is None:
        items.append(
            Deadline(
                "written", handling.written_due, deadlines.status(handling.written_due, today, soon)
            )
        )
    if handling.protection_assessed_at is None:
        arrived = timezone.localdate(report.received_at)
        items.append(Deadline("protection", arrived, deadlines.status(arrived, today, 0)))
    if not handling.preliminary_decision:
        items.append(
            Deadline(
                "preliminary",
                handling.preliminary_due,
                deadlines.status(handling.preliminary_due, today, soon),
            )
        )
    elif handling.investigation_due is not None:
        items.append(
            Deadline(
                "investigation",
                handling.investigation_due,
                deadlines.status(handling.investigation_due, today, soon),
            )
        )
    return items


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


def report_get(actor: Actor, public_id, *, action: str = Action.READ) -> ReportView:
    """One report as the actor may see it; NotFound when there is no ground. Social
    services reads on the duty to report; the reporting side on being the reporter."""
    report = _load(public_id)
    decision = pipeline.disclose_one(
        actor,
        action,
        report,
        subject=str(report.child.public_id) if report.child_id else "",
    ).decision
    handling = report.handling
    role = INTAKE if is_receiver(actor, report) else REPORTER
    entries = Entry.objects.filter(report=report).select_related("in_reply_to")
    if role == REPORTER:
        entries = entries.filter(to_reporter=True)
    view = ReportView(
        report=report,
        handling=handling,
        role=role,
        decision=decision,
        entries=list(entries),
        meetings=list(Meeting.objects.filter(report=report)),
        evaluations=list(Evaluation.objects.filter(report=report)),
    )
    if role == REPORTER:
        _for_reporter(actor, view)
    if role == INTAKE:
        view.deadlines = _deadlines(report, handling, timezone.localdate())
        view.duplicate_count = _duplicate_counts([report]).get(report.pk, 0)
        view.protection_late = _protection_late(report, handling)
    return view


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
    return timezone.localdate(handling.closed_at) + datetime.timedelta(
        weeks=conf.get("CONCERN_EVALUATION_WEEKS")
    )


def reports_mine(actor: Actor, *, page: int = 1) -> paging.Page:
    """ "Mina anmälningar", page by page (decision 0092): the reports the actor (or, for
    functions that may register, the actor's organisation) has made, newest first, with
    status and what was sent back. The page's items are ``ReportView``s."""
    result = paging.page_of(
        _list_qs(actor)
        .filter(reporter_organisation_id=actor.organisation_id)
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=Entry.objects.filter(to_reporter=True),
                to_attr="reporter_entries",
            ),
            Prefetch("evaluations", to_attr="all_evaluations"),
        )
        .order_by("-received_at", "-pk"),
        page,
    )
    # Each report decided by the rules (the reporting side's ground), one audit row for
    # the page (access.pipeline).
    reports = _shown(actor, result.items, "Mina anmälningar", page=result.number)
    today = timezone.localdate()
    views = []
    for report in reports:
        view = ReportView(
            report=report,
            handling=report.handling,
            role=REPORTER,
            entries=report.reporter_entries,
            evaluations=report.all_evaluations,
        )
        _for_reporter(actor, view)
        evaluated = {e.organisation_id for e in report.all_evaluations}
        due = _evaluation_due(report, report.handling, evaluated, actor.organisation_id)
        if due:
            view.deadlines.append(Deadline("evaluation", due, deadlines.status(due, today)))
        if report.channel == Channel.ORAL and report.handling.written_received_at is None:
            due = report.handling.written_due
            view.deadlines.append(Deadline("written", due, deadlines.status(due, today)))
        views.append(view)
    result.items = views
    return result


class _AddDays(Func):
    """date + n days on both databases (SQLite's date() modifier; PostgreSQL's
    date + integer)."""

    output_field = DateField()

    def __init__(self, expression, days: int):
        self.days = int(days)
        super().__init__(expression)

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, '{self.days:+d} days')", params

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql}) + {self.days:d})", params

    def as_sql(self, compiler, connection, **extra):  # other databases: not supported
        raise NotImplementedError(connection.vendor)


_NO_DEADLINE = 3


def _urgency(qs: QuerySet[Report], actor: Actor, today: datetime.date) -> QuerySet[Report]:
    """The intake's order, computed by the database so that it can be paged: each
    report's deadlines exactly as ``_deadlines`` and ``_evaluation_due`` make them, the
    most urgent status among them (overdue, due soon, on time, none) and the earliest
    due day. ``deadlines.status`` is "overdue" after the day, "due soon" within its
    window (the protection assessment: the same day only)."""
    soon = conf.get("CONCERN_DUE_SOON_DAYS")
    tz = timezone.get_current_timezone()
    open_ = Q(handling__closed_at__isnull=True)
    evaluated = Evaluation.objects.filter(
        report_id=OuterRef("pk"), organisation_id=actor.organisation_id
    )
    weeks = conf.get("CONCERN_EVALUATION_WEEKS")
    dues = [
        (
            Q(open_, channel=Channel.ORAL, handling__written_received_at__isnull=True),
            F("handling__written_due"),
            soon,
        ),
        (
            Q(open_, handling__protection_assessed_at__isnull=True),
            TruncDate("received_at", tzinfo=tz),
            0,
        ),
        (Q(open_, handling__preliminary_decision=""), F("handling__preliminary_due"), soon),
        (
            Q(open_, handling__investigation_due__isnull=False)
            & ~Q(handling__preliminary_decision=""),
            F("handling__investigation_due"),
            soon,
        ),
        (
            Q(handling__closed_at__isnull=False) & ~Exists(evaluated),
            _AddDays(TruncDate("handling__closed_at", tzinfo=tz), 7 * weeks),
            3,  # deadlines.status's default window, as _evaluation_due uses it
        ),
    ]
    annotated = qs
    ranks, days = [], []
    for index, (present, due, window) in enumerate(dues):
        name = f"due_{index}"
        annotated = annotated.alias(
            **{name: Case(When(present, then=due), default=None, output_field=DateField())}
        )
        ranks.append(
            Case(
                When(Q(present) & Q(**{f"{name}__lt": today}), then=Value(0)),
                When(
                    Q(present) & Q(**{f"{name}__lte": today + datetime.timedelta(days=window)}),
                    then=Value(1),
                ),
                When(present, then=Value(2)),
                default=Value(_NO_DEADLINE),
            )
        )
        days.append(Coalesce(F(name), Value(datetime.date.max)))
    return annotated.alias(deadline_rank=Least(*ranks), next_due=Least(*days))


def intake_stamp(actor: Actor) -> str:
    """A fingerprint of the intake's reports (how many, the latest change, today's
    date, since deadlines turn overdue by the day), without any personal data: the live
    dashboard polls it and reloads (and audits) only when it changed."""
    if not (
        actor.organisation_type == SOCIAL_SERVICES and actor.has_perm(Permission.PEOPLE_REGISTER)
    ):
        raise NotFound()
    # The intake's reports only (open, or closed within the window: the rows the table
    # can show, decision 0357), not every report the organisation ever received.
    found = Handling.objects.filter(
        _on_the_intake(_recent()),
        report__receiving_organisation_id=actor.organisation_id,
    ).aggregate(count=Count("pk"), latest=Max("updated_at"))
    latest = found["latest"].timestamp() if found["latest"] else 0
    return f"{found['count']}-{latest:.6f}-{timezone.localdate():%Y%m%d}"


def intake_dashboard(actor: Actor, *, page: int = 1) -> paging.Page:
    """Social services' intake, page by page: open reports (and those closed within
    the evaluation window) with their deadlines, overdue and due soon first, then by the
    earliest due day, and the flag for several reports about one child. The order and
    the counts of overdue and due-soon reports come from the earliest due day stored on
    each handling (``intake_order``, decision 0361): one page's rows read by index, the
    labels from today; with unequal "due soon" windows, ranked against today by the
    database (``_urgency``). Only the page shown is loaded."""
    if not (
        actor.organisation_type == SOCIAL_SERVICES and actor.has_perm(Permission.PEOPLE_REGISTER)
    ):
        raise NotFound()
    today = timezone.localdate()
    alias = router.db_for_read(Report) or DEFAULT_DB_ALIAS
    number = paging.page_number(page)
    size = paging.PAGE_SIZE
    if policy.visible(actor, Action.READ, Report.objects.all()).query.is_empty():
        ids, overdue, due_soon = [], 0, 0  # the rules allow no report now (e.g. assurance)
    elif intake_order.stored_order_holds():
        ids, overdue, due_soon = _stored_page(alias, actor, today, number, size)
    else:
        ids, overdue, due_soon = _ranked_page(alias, actor, today, number, size)
    counts = {"overdue": overdue, "due_soon": due_soon}
    result = paging.Page(items=ids[:size], number=number, size=size, has_next=len(ids) > size)
    # The page's rows through the access policy: the stored order's ids are read from
    # the handlings by organisation, not through the rules (decision 0361).
    loaded = (
        policy.visible(actor, Action.READ, Report.objects.filter(pk__in=result.items))
        .select_related("child", "reporter_organisation", "routed_unit", "handling__handler__user")
        .prefetch_related(Prefetch("evaluations", to_attr="all_evaluations"))
        .in_bulk()
    )
    result.items = [loaded[pk] for pk in result.items if pk in loaded]
    reports = result.items
    reports = _shown(actor, reports, "Mottagningens översikt", page=result.number)
    duplicates = _duplicate_counts(reports)
    views = []
    for report in reports:
        handling = report.handling
        view = ReportView(
            report=report,
            handling=handling,
            role=INTAKE,
            evaluations=report.all_evaluations,
            deadlines=_deadlines(report, handling, today),
            duplicate_count=duplicates.get(report.pk, 0),
            protection_late=_protection_late(report, handling),
        )
        evaluated = {e.organisation_id for e in report.all_evaluations}
        due = _evaluation_due(report, handling, evaluated, actor.organisation_id)
        if due:
            view.deadlines.append(Deadline("evaluation", due, deadlines.status(due, today)))
        views.append(view)
    result.items = views
    result.extra = {"overdue": counts["overdue"], "due_soon": counts["due_soon"]}
    return result


def _stored_page(alias, actor, today, number, size) -> tuple[list[int], int, int]:
    """The page's report ids in the intake's order and the counts of overdue and due-soon
    reports, from the order stored on the handlings (decision 0361), in one statement."""
    sql, counts, open_, closed = _stored_statement(
        alias, actor.organisation_id, today, _recent(), conf.get("CONCERN_DUE_SOON_DAYS")
    )
    offset = (number - 1) * size
    first = offset + size + 1  # each branch's first rows hold the merged page's rows
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [*counts, *open_, first, *closed, first, size + 1, offset])
        rows = cursor.fetchall()
    # One row with the counts and no id past the last page (the LEFT JOIN keeps it).
    return [row[2] for row in rows if row[2] is not None], rows[0][0], rows[0][1]


@functools.lru_cache(maxsize=64)
def _stored_statement(alias, organisation_id, today, recent, soon):
    """The stored order's statement as SQL with its parameters (the counts, and the
    page's ids beside them), compiled once per process, organisation and day (the
    arguments are the cache key).

    The open handlings are read in order from the partial index ``handling_intake_open``
    and only as far as the page (``ORDER BY … LIMIT`` in their own branch: PostgreSQL 15
    does not merge the ordered branches of a ``UNION ALL``, it sorts all their rows); the
    recently closed ones are the closings of the window (``handling_closed_report``);
    the two are merged and the page cut from them. The counts are index ranges up to
    the last due-soon day."""
    handlings = Handling.objects.filter(intake_organisation_id=organisation_id).order_by()
    branches = (
        handlings.filter(closed_at__isnull=True),
        handlings.filter(closed_at__gte=recent),  # the closed reports still on the intake
    )

    def compiled(queryset, *columns):
        return queryset.values_list(*columns).query.get_compiler(using=alias).as_sql()

    order = "{0}intake_due ASC NULLS LAST, {0}report_received_at, {0}report_id"
    columns = ("report_id", "intake_due", "report_received_at")
    (open_sql, open_params), (closed_sql, closed_params) = (
        compiled(branch, *columns) for branch in branches
    )
    # Overdue: due before today; due soon: from today to the window's last day.
    last = today + datetime.timedelta(days=soon)
    dues = [compiled(branch.filter(intake_due__lte=last), "intake_due") for branch in branches]
    day = connections[alias].ops.adapt_datefield_value(today)
    # Django compiled each branch (every value in the parameters); the rest is fixed text.
    sql = (
        "SELECT counts.overdue, counts.due_soon, page.report_id FROM ("  # noqa: S608  # nosec B608
        "SELECT COALESCE(SUM(CASE WHEN due.intake_due < %s THEN 1 ELSE 0 END), 0) AS overdue, "
        "COALESCE(SUM(CASE WHEN due.intake_due >= %s THEN 1 ELSE 0 END), 0) AS due_soon "
        f"FROM ({dues[0][0]} UNION ALL {dues[1][0]}) AS due) AS counts LEFT JOIN ("
        "SELECT intake.* FROM ("
        f"SELECT * FROM ({open_sql} ORDER BY {order.format('')} LIMIT %s) AS open_rows "
        f"UNION ALL SELECT * FROM ({closed_sql} ORDER BY {order.format('')} LIMIT %s) "
        f"AS closed_rows) AS intake ORDER BY {order.format('intake.')} LIMIT %s OFFSET %s"
        f") AS page ON 1 = 1 ORDER BY {order.format('page.')}"
    )
    counts = (day, day, *dues[0][1], *dues[1][1])
    return sql, counts, tuple(open_params), tuple(closed_params)


def _ranked_page(alias, actor, today, number, size) -> tuple[list[int], int, int]:
    """The page from the deadlines computed in SQL against today (decision 0357): every
    open report ranked once. Used when the deadlines' "due soon" windows differ
    (``intake_order.stored_order_holds``), where the stored day does not order them;
    the tests' oracle for the stored order."""
    counts_sql, ids_sql = _intake_statements(
        alias,
        actor,
        today,
        _recent(),
        conf.get("CONCERN_DUE_SOON_DAYS"),
        conf.get("CONCERN_EVALUATION_WEEKS"),
        timezone.get_current_timezone_name(),
    )
    with connections[alias].cursor() as cursor:
        # One scan: the page's ids with the counts over every candidate beside them.
        sql, params = ids_sql
        # Django compiled ``sql`` (every value in ``params``); only the page is added.
        paged = sql + " LIMIT %s OFFSET %s"  # nosec B608
        cursor.execute(paged, [*params, size + 1, (number - 1) * size])
        rows = cursor.fetchall()
        if rows:
            overdue, due_soon = rows[0][1], rows[0][2]
        else:  # past the last page: the counts alone
            cursor.execute(*counts_sql)
            overdue, due_soon = cursor.fetchone() or (0, 0)
    return [row[0] for row in rows], overdue, due_soon


def _on_the_intake(recent: datetime.datetime, path: str = "") -> Q:
    """The handlings the intake's table can show, and so the stamp follows: open, or
    closed since ``recent``. ``path`` leads from the queried model to the handling."""
    return Q(**{f"{path}closed_at__isnull": True}) | Q(**{f"{path}closed_at__gte": recent})


def _recent() -> datetime.datetime:
    """Closed reports stay on the intake this long (the evaluation window and a week),
    counted from the start of today, so that the cutoff is the same all day."""
    start_of_today = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time.min)
    )
    return start_of_today - datetime.timedelta(weeks=conf.get("CONCERN_EVALUATION_WEEKS") + 1)


@functools.lru_cache(maxsize=64)
def _intake_statements(alias, actor, today, recent, soon, weeks, tz_name):
    """The intake's two statements (the counts of overdue and due-soon reports alone, and
    the ordered ids with the same counts beside each row, to page), as SQL with their
    parameters. Building and compiling the
    deadline expressions costs more than the database takes to run them, and they
    depend on nothing but the actor, the day and the settings (the arguments, which are
    the cache key: ``soon``, ``weeks`` and the time zone are read by ``_urgency``), so
    they are compiled once per process and day.

    Each candidate's rank and earliest due day are computed once, in an inner statement
    that the database does not fold into the outer one (decision 0357): written inline,
    the deadline expressions were evaluated again in each window sum and in the sort,
    several times per open report, and the open reports grow with the municipality."""
    candidates = _urgency(
        policy.visible(actor, Action.READ, Report.objects.all())
        .filter(receiving_organisation_id=actor.organisation_id)
        # Open or recently closed, on the handling joined once (decision 0357; the
        # handlings' (closed_at, report) index of decision 0342): the database starts
        # from the open handlings and reads each one's report, instead of probing the
        # handling of every report the organisation ever received. Every report has its
        # handling from the moment it arrives (submission._new_handling).
        .filter(handling__isnull=False)
        .filter(_on_the_intake(recent, "handling__")),
        actor,
        today,
    )
    inner_sql, params = (
        candidates.annotate(intake_rank=F("deadline_rank"), first_due=F("next_due"))
        .order_by()
        .values_list("pk", "intake_rank", "first_due", "received_at")
        .query.get_compiler(using=alias)
        .as_sql()
    )
    # The inner rows are computed once: PostgreSQL folds a plain subquery into the outer
    # statement (and would repeat its expressions there) unless it has an OFFSET.
    fence = " OFFSET 0" if connections[alias].vendor == "postgresql" else ""
    inner = f"({inner_sql}{fence}) AS intake"
    overdue = "SUM(CASE WHEN intake.intake_rank = 0 THEN 1 ELSE 0 END)"
    due_soon = "SUM(CASE WHEN intake.intake_rank = 1 THEN 1 ELSE 0 END)"
    # Django compiled ``inner_sql`` (every value in ``params``); the rest is fixed text.
    counts = f"SELECT COALESCE({overdue}, 0), COALESCE({due_soon}, 0) FROM {inner}"  # noqa: S608  # nosec B608
    ordered = (
        f"SELECT intake.pk, {overdue} OVER (), {due_soon} OVER () FROM {inner} "  # noqa: S608  # nosec B608
        "ORDER BY intake.intake_rank, intake.first_due, intake.received_at, intake.pk"
    )
    return (counts, tuple(params)), (ordered, tuple(params))


def _intake_ground(report: Report):
    if report.reporter_organisation_id is None:
        return legal.private_report_ground(report)
    return legal.duty_to_report_ground(report)


def report_ground(actor: Actor, report: Report):
    """The ground the actor reads a report on: social services its matter (the duty to
    report, or a private person's report), a reporter its own report."""
    return _intake_ground(report) if is_receiver(actor, report) else reporter_ground(report)


def reports_for_child(actor: Actor, child) -> list[ReportView]:
    """The child overview panel: reports about the child the actor may see — social
    services its matter, the reporting side its own reports' status."""
    reports = _shown(
        actor,
        list(_list_qs(actor).filter(child=child).order_by("-received_at")),
        "Barnöversikt: anmälningar",
    )
    today = timezone.localdate()
    views = []
    for report in reports:
        role = INTAKE if is_receiver(actor, report) else REPORTER
        view = ReportView(report=report, handling=report.handling, role=role)
        if role == INTAKE:
            view.deadlines = _deadlines(report, report.handling, today)
        views.append(view)
    return views


def handler_choices(actor: Actor) -> list[tuple[int, str]]:
    return [
        (
            m.pk,
            f"{m.user.get_full_name()} ({m.function.name}{', ' + m.unit.name if m.unit else ''})",
        )
        for m in directory.memberships_of_organisation(actor.organisation_id)
        if Permission.PEOPLE_REGISTER in m.function.permissions
        and m.function.code in {"socialsekreterare", "mottagningssekreterare", "enhetschef"}
    ]


def reporting_organisation_choices() -> list[tuple[int, str]]:
    from .submission import REPORTING_TYPES

    return [
        (o.pk, o.name) for o in directory.organisation_choices() if o.org_type in REPORTING_TYPES
    ]


def question_get(view: ReportView, entry_public_id) -> Entry | None:
    return next(
        (
            e
            for e in view.entries
            if str(e.public_id) == str(entry_public_id) and e.kind == EntryKind.QUESTION
        ),
        None,
    )


def meeting_get(view: ReportView, meeting_public_id) -> Meeting:
    for meeting in view.meetings:
        if str(meeting.public_id) == str(meeting_public_id):
            return meeting
    raise NotFound(gettext("Mötet finns inte."))


def evaluation_summary(actor: Actor) -> dict:
    """Answers to the evaluation questions for reports the actor's organisation
    received, counted per question and side (organisation type)."""
    # Counted by the database, one row per side and set of answers (decision 0357): the
    # evaluations grow with the municipality, the sets of answers do not (three answers
    # to each of a few questions).
    rows = (
        Evaluation.objects.filter(report__receiving_organisation_id=actor.organisation_id)
        .values_list("organisation_type", "answers")
        .annotate(times=Count("pk"))
        .order_by()
    )
    summary: dict = {key: defaultdict(lambda: defaultdict(int)) for key, _ in EVALUATION_QUESTIONS}
    count = 0
    for org_type, answers, times in rows:
        count += times
        for key, value in answers.items():
            if key in summary:
                summary[key][org_type][value] += times
    return {
        "questions": [
            (text, {k: dict(v) for k, v in summary[key].items()})
            for key, text in EVALUATION_QUESTIONS
        ],
        "count": count,
    }


@dataclass
class Offer:
    """A catalogue statement the handler may send now: true of the matter, with the
    ground it would pass on (None: no ground, and ``reason`` says what is missing)."""

    code: str
    text: str
    ground: str | None
    reason: str = ""


def statements_offered(view: ReportView) -> list[Offer]:
    """The statements that are true of the matter now, each with its ground; a
    statement that contradicts the matter is never offered (and the service refuses
    it)."""
    access = feedback_access(view.report)
    offers = []
    for entry in catalogue.offered(view.facts):
        ground = access.ground_for(entry)
        reason = ""
        if ground is None:
            reason = feedback_decision(report=view.report, statement=entry.code).reason
        offers.append(Offer(entry.code, gettext(entry.text), ground, reason))
    return offers


def tag_authorize(actor: Actor, target_id, child_id) -> Ground:
    """Factor tags on a report: set by those who may read it (the reporting side or
    the intake), on the same ground as the read."""
    report = _load(target_id)
    if str(report.child.public_id) != str(child_id):
        raise NotFound()
    decision = policy.decide(actor, Action.READ, report)
    if not decision.allowed:
        raise NotFound()
    return decision.ground


def tag_visible_for_child(actor: Actor, child_id) -> list:
    """Reports about the child the actor may see (audited like the overview panel)."""
    child = people_selectors.system_child(child_id)
    if child is None:
        return []
    return [view.report.public_id for view in reports_for_child(actor, child)]

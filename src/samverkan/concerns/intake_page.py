"""The intake dashboard of social services: its page in the stored order (decision
0361), the ranked order it replaced (kept as the tests' oracle), and the fingerprint
that keeps the live page up to date."""

from __future__ import annotations

import datetime
import functools

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

from samverkan.access import policy
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit.models import Action
from samverkan.core import paging
from samverkan.core.errors import NotFound

from . import conf, deadlines, intake_order
from .models import (
    Channel,
    Evaluation,
    Handling,
    Report,
)
from .policies import SOCIAL_SERVICES
from .reading import (
    INTAKE,
    Deadline,
    ReportView,
    _deadlines,
    _duplicate_counts,
    _evaluation_due,
    _protection_late,
    _shown,
)


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

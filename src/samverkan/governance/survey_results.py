"""Reads of evaluation surveys and their results, compiled by organisation type and
over time (quarters).

Anonymity below the survey's group size ``k`` (``Survey.min_group``, at least 3,
default 5):
- an organisation type with fewer than ``k`` responses is not shown on its own; the
  small ones are pooled as "Övriga verksamheter";
- if the pool is still under ``k``, the smallest shown types join it until it reaches
  ``k`` (otherwise the total minus the shown types would give the pool away); when
  even everything together is under ``k`` nothing is shown;
- a quarter with fewer than ``k`` responses is shown as "<k";
- free-text answers are shown only when the survey has at least ``k`` responses, in
  alphabetical order and without organisation type, and only to the strategy group
  (a free text can name a child or a colleague; the scores are for every member of
  staff, the texts for those who compile the evaluation).
Everything is counted in the database (one grouped query per table).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.db.models import Count, QuerySet
from django.utils.translation import gettext

from samverkan.access.actor import Actor
from samverkan.core.errors import NotFound
from samverkan.directory import selectors as directory

from . import policies
from .survey_models import (
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyParticipation,
    SurveyResponse,
    SurveyStatus,
)

# The answer counted as positive, per kind: yes; 4-5 of 5; 3-4 of 4 ("ja, delvis/helt");
# "ja" of ja/delvis/nej.
POSITIVE_FROM = {
    QuestionKind.YES_NO: 1,
    QuestionKind.SCALE5: 4,
    QuestionKind.SCALE4: 3,
    QuestionKind.YES_PARTLY_NO: 3,
}


def survey_list(actor: Actor) -> QuerySet[Survey]:
    if not actor.has_membership:
        raise NotFound(gettext("Enkäten finns inte."))
    surveys = Survey.objects.select_related("forum").order_by("system_code", "-created_at")
    if policies.is_strategy_group(actor):
        return surveys
    return surveys.exclude(status=SurveyStatus.DRAFT)


def survey_get(actor: Actor, public_id) -> Survey:
    try:
        return survey_list(actor).prefetch_related("questions").get(public_id=public_id)
    except (Survey.DoesNotExist, ValueError, DjangoValidationError) as exc:
        raise NotFound(gettext("Enkäten finns inte.")) from exc


def answered(actor: Actor) -> set[int]:
    """The surveys the actor has answered (as themselves, not for a meeting or case)."""
    return set(
        SurveyParticipation.objects.filter(user_id=actor.user_id, occasion="").values_list(
            "survey_id", flat=True
        )
    )


@dataclass(frozen=True)
class Cell:
    text: str
    value: float | None


@dataclass
class GroupRow:
    label: str
    responses: int
    cells: list[Cell] = field(default_factory=list)  # one per scored question


@dataclass
class PeriodRow:
    label: str
    responses: Cell
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Results:
    survey: Survey
    k: int
    responses: int
    questions: list  # the scored questions (not free text), in order
    groups: list[GroupRow]
    total: GroupRow | None
    periods: list[PeriodRow]
    texts: list[tuple[str, list[str]]]  # (question, answers) when shown
    pooled_types: int = 0
    texts_withheld: bool = False  # free-text answers exist but are not for this reader

    @property
    def shown(self) -> bool:
        return self.total is not None

    def summary(self) -> str:
        if not self.shown:
            return gettext(
                "%(n)s svar. Resultaten visas när minst %(k)s har svarat, så att ingen "
                "kan kännas igen."
            ) % {"n": self.responses, "k": self.k}
        parts = [gettext("%(n)s svar.") % {"n": self.responses}]
        for index, question in enumerate(self.questions):
            parts.append(
                gettext("%(q)s: %(share)s positiva svar totalt.")
                % {"q": question.text, "share": self.total.cells[index].text}
            )
        return " ".join(parts)


def _share(positive: int, answered_count: int) -> Cell:
    if answered_count == 0:
        return Cell("–", None)
    percent = round(100 * positive / answered_count)
    return Cell(f"{percent} %", float(percent))


def _quarter(month: datetime.date) -> str:
    return f"{month.year} K{(month.month - 1) // 3 + 1}"


def _pool(counts: dict[str, int], k: int) -> tuple[list[str], list[str]]:
    """Split organisation types into shown ones and a pool; see the module text."""
    shown = sorted((t for t, n in counts.items() if n >= k), key=lambda t: counts[t])
    pooled = [t for t, n in counts.items() if n < k]
    while pooled and sum(counts[t] for t in pooled) < k and shown:
        pooled.append(shown.pop(0))
    return shown, pooled


def results(
    survey: Survey,
    *,
    reader: Actor | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Results:
    """``reader``: who reads the results; the free texts only for the strategy group
    (``None``: the system itself, e.g. the demo's history)."""
    k = survey.min_group
    responses = SurveyResponse.objects.filter(survey=survey)
    if start:
        responses = responses.filter(month__gte=start)
    if end:
        responses = responses.filter(month__lt=end)
    questions = [q for q in survey.questions.all() if q.kind != QuestionKind.TEXT]
    counts = {
        r["organisation_type"]: r["n"]
        for r in responses.values("organisation_type").annotate(n=Count("pk"))
    }
    total_responses = sum(counts.values())
    answers = SurveyAnswer.objects.filter(response__in=responses, value__isnull=False)
    # {(question id, organisation type, quarter, value): count}
    rows = (
        answers.values("question_id", "response__organisation_type", "response__month", "value")
        .annotate(n=Count("pk"))
        .order_by()
    )
    tally: dict[tuple, int] = {}
    for r in rows:
        key = (r["question_id"], r["response__organisation_type"], r["response__month"], r["value"])
        tally[key] = tally.get(key, 0) + r["n"]

    def score(question, types=None, quarter=None) -> Cell:
        positive = answered_count = 0
        for (qid, org_type, month, value), n in tally.items():
            if qid != question.pk or (types is not None and org_type not in types):
                continue
            if quarter is not None and _quarter(month) != quarter:
                continue
            answered_count += n
            if value >= POSITIVE_FROM[question.kind]:
                positive += n
        return _share(positive, answered_count)

    labels = {**directory.organisation_type_labels(), "": gettext("Okänd verksamhet")}
    result = Results(survey, k, total_responses, questions, [], None, [], [])
    if total_responses < k:
        return result
    shown, pooled = _pool(counts, k)
    for org_type in sorted(shown, key=lambda t: str(labels.get(t, t))):
        row = GroupRow(str(labels.get(org_type, org_type)), counts[org_type])
        row.cells = [score(q, {org_type}) for q in questions]
        result.groups.append(row)
    if pooled:
        row = GroupRow(gettext("Övriga verksamheter"), sum(counts[t] for t in pooled))
        row.cells = [score(q, set(pooled)) for q in questions]
        result.groups.append(row)
        result.pooled_types = len(pooled)
    result.total = GroupRow(gettext("Alla"), total_responses, [score(q) for q in questions])
    per_quarter: dict[str, int] = {}
    for r in responses.values("month").annotate(n=Count("pk")).order_by("month"):
        quarter = _quarter(r["month"])
        per_quarter[quarter] = per_quarter.get(quarter, 0) + r["n"]
    for quarter, n in per_quarter.items():
        if n < k:
            result.periods.append(
                PeriodRow(quarter, Cell(f"<{k}", None), [Cell(f"<{k}", None) for _ in questions])
            )
        else:
            cells = [score(q, quarter=quarter) for q in questions]
            result.periods.append(PeriodRow(quarter, Cell(str(n), float(n)), cells))
    may_read_texts = reader is None or policies.is_strategy_group(reader)
    for question in survey.questions.all():
        if question.kind == QuestionKind.TEXT and not may_read_texts:
            result.texts_withheld = True
        elif question.kind == QuestionKind.TEXT:
            texts = sorted(
                SurveyAnswer.objects.filter(response__in=responses, question=question)
                .exclude(text="")
                .values_list("text", flat=True)
            )
            result.texts.append((question.text, texts))
    return result


# Of each response's scored answers, how many were positive; then per month and type,
# how many responses were mostly positive. One set-based query (the rows never come to
# Python one per response: docs/benchmarks.md).
_POSITIVE = " OR ".join(["(q.kind = %s AND a.value >= %s)"] * len(POSITIVE_FROM))
POSITIVE_SQL = """
    SELECT month, organisation_type,
           sum(CASE WHEN 2 * positive >= scored THEN 1 ELSE 0 END), count(*)
    FROM (
        SELECT r.id, r.month, r.organisation_type, count(*) AS scored,
               sum(CASE WHEN POSITIVE THEN 1 ELSE 0 END) AS positive
        FROM governance_surveyresponse r
        JOIN governance_surveyanswer a ON a.response_id = r.id AND a.value IS NOT NULL
        JOIN governance_surveyquestion q ON q.id = a.question_id
        WHERE r.month >= %s AND r.month < %s
        GROUP BY r.id, r.month, r.organisation_type
    ) per_response
    GROUP BY month, organisation_type
    ORDER BY month, organisation_type
""".replace("POSITIVE", _POSITIVE)  # nosec B608: constant SQL; values are parameters


def positive_per_month(start: datetime.date, end: datetime.date) -> list[tuple]:
    """Indicator rows: of the responses to every survey in each month, how many were
    mostly positive (at least half of the scored answers), by organisation type."""
    params = [v for kind, low in POSITIVE_FROM.items() for v in (str(kind), low)]
    with connection.cursor() as cursor:
        cursor.execute(POSITIVE_SQL, [*params, start, end])
        rows = cursor.fetchall()
    return [(_month(month), org_type, int(n), d) for month, org_type, n, d in rows]


def _month(value) -> datetime.date:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value

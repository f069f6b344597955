"""A year of generated history for the demo (``samverkan demo`` loads it; the test
database does not): reports of concern with their handling, receipts and feedback,
held forum meetings with attendance, shared trainings with places taken, and two rounds
of a climate survey entered from paper. Volumes and rates are in data/history.yaml; the
generator is deterministic (one seed), so every demo shows the same figures.

The rest of the demo world is built through the services, as a user would. History
cannot be: the services stamp the present. So the rows are written here in bulk with
their past dates, through the apps' model registry, in one transaction, and are never
about a real child (a report's child is a fictional description, no child record, no
consent). The survey answers go through ``governance.surveys.responses_import``, the
same way paper answers are entered. Nothing here is audited as an access: it is
seeding, like a migration.
"""

from __future__ import annotations

import datetime
import random
from pathlib import Path

import yaml
from django.apps import apps
from django.db import transaction
from django.utils import timezone

from samverkan.concerns import intake_order
from samverkan.governance import surveys

DATA = Path(__file__).parent / "data" / "history.yaml"


def _months(count: int) -> list[datetime.date]:
    """The first days of the ``count`` whole months before this one, oldest first."""
    month = timezone.localdate().replace(day=1)
    out = []
    for _ in range(count):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        out.append(month)
    return out[::-1]


def _rate(spec, index: int, count: int) -> float:
    if isinstance(spec, int | float):
        return float(spec)
    return spec["first"] + (spec["last"] - spec["first"]) * index / max(1, count - 1)


def _at(month: datetime.date, rng: random.Random) -> datetime.datetime:
    day = month + datetime.timedelta(days=rng.randrange(27))
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    moment = datetime.datetime.combine(day, datetime.time(rng.randrange(8, 16), rng.randrange(60)))
    return timezone.make_aware(moment)


@transaction.atomic
def load(world) -> dict[str, int]:
    spec = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    rng = random.Random(spec["seed"])  # noqa: S311  # nosec B311: demo data, not security
    months = _months(spec["months"])
    made = {
        "reports": _reports(world, spec["reports"], months, rng),
        "meetings": _meetings(world, spec["meetings"], months, rng),
        "training_places": _training(world, spec["training"], months, rng),
        "survey_responses": _survey(spec["survey"], rng),
    }
    return made


def _reports(world, spec, months, rng) -> int:
    Report = apps.get_model("concerns", "Report")
    Handling = apps.get_model("concerns", "Handling")
    Entry = apps.get_model("concerns", "Entry")
    social = world.organisations["Socialtjänsten barn och familj"]
    handler = world.memberships["sofia"]
    Organisation = apps.get_model("directory", "Organisation")
    reporters = {
        name: Organisation.objects.get_or_create(
            principal=social.principal, name=name, defaults={"org_type": org_type}
        )[0]
        for name, org_type in spec["organisations"].items()
    }
    hour = datetime.timedelta(hours=1)
    day = datetime.timedelta(days=1)
    reports, plans = [], []
    for index, month in enumerate(months):
        season = spec["season"][month.month]
        for org_name, per_month in spec["per_month"].items():
            organisation = reporters[org_name] if org_name else None
            for _ in range(round(per_month * season * rng.uniform(0.7, 1.3))):
                received = _at(month, rng)
                reports.append(
                    Report(
                        reference=f"H{received:%y%m}-{len(reports) + 1:04d}",
                        source="professional" if organisation else "private",
                        channel="written",
                        reporter_organisation=organisation,
                        reporter_name="Anmälare (historik)" if organisation else "",
                        receiving_organisation=social,
                        worry=spec["worry"],
                        child_details=spec["child_details"],
                        urgency="normal",
                        guardians_informed="yes",
                        received_at=received,
                    )
                )
                plans.append((index, received))
    reports = Report.objects.bulk_create(reports)
    handlings, entries = [], []
    count = len(months)
    for report, (index, received) in zip(reports, plans, strict=True):
        quick = rng.random() < _rate(spec["receipt_and_handler_within_a_day"], index, count)
        assigned = received + hour * (rng.randrange(1, 20) if quick else rng.randrange(26, 72))
        entries.append(
            Entry(
                report=report,
                kind="receipt",
                to_reporter=True,
                author_name="Mottagningen",
                created_at=received + hour * (1 if quick else 30),
            )
        )
        in_time = rng.random() < _rate(spec["preliminary_within_14_days"], index, count)
        decided = received + day * (rng.randrange(3, 14) if in_time else rng.randrange(15, 25))
        investigated = rng.random() < spec["investigated_share"]
        within = rng.random() < _rate(spec["investigation_within_four_months"], index, count)
        closed = decided + day * (rng.randrange(60, 118) if within else rng.randrange(125, 160))
        if not investigated or closed >= timezone.now() - day:
            investigated, closed = False, decided + day
        started = decided.date() if investigated else None
        handling = Handling(
            report=report,
            handler=handler,
            assigned_at=assigned,
            preliminary_due=received.date() + 14 * day,
            preliminary_decision="open" if investigated else "not_open",
            preliminary_decided_at=decided,
            investigation_started_on=started,
            investigation_due=started + 122 * day if started else None,
            closed_at=min(closed, timezone.now() - hour),
            outcome="intervention" if investigated else "no_investigation",
        )
        # The intake's stored order, as the services write it (decision 0361): none of
        # these closed matters is evaluated yet.
        intake_order.keep(handling, report)
        handlings.append(handling)
        if rng.random() < spec["feedback_share"]:
            typical = _rate(spec["feedback_days"], index, count)
            entries.append(
                Entry(
                    report=report,
                    kind="feedback",
                    to_reporter=True,
                    statement="handler",
                    ground_code="feedback_whitelist",
                    ground_label="Återkoppling till anmälare (whitelist)",
                    ground_reference=str(report.public_id),
                    author_name="Handläggare (historik)",
                    created_at=received + day * max(1, round(rng.gauss(typical, typical / 3))),
                )
            )
    Handling.objects.bulk_create(handlings)
    Entry.objects.bulk_create(entries)
    return len(reports)


def _meetings(world, spec, months, rng) -> int:
    Forum = apps.get_model("meetings", "Forum")
    Meeting = apps.get_model("meetings", "Meeting")
    Attendance = apps.get_model("meetings", "Attendance")
    made = 0
    for forum_name, per_month in spec["per_month"].items():
        forum = Forum.objects.get(name=forum_name)
        members = list(forum.members.values_list("organisation_id", flat=True))
        for index, month in enumerate(months):
            present_rate = _rate(spec["present"], index, len(months))
            for _ in range(per_month):
                starts = _at(month, rng)
                meeting = Meeting.objects.create(
                    forum=forum,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(minutes=forum.duration_minutes),
                    status="held",
                )
                Attendance.objects.bulk_create(
                    Attendance(
                        meeting=meeting, organisation_id=org, present=rng.random() < present_rate
                    )
                    for org in members
                )
                made += 1
    return made


def _training(world, spec, months, rng) -> int:
    Event = apps.get_model("knowledge", "Event")
    Registration = apps.get_model("knowledge", "EventRegistration")
    social = world.organisations["Socialtjänsten barn och familj"]
    staff = {}
    for username, membership in world.memberships.items():
        staff.setdefault(membership.organisation.name, []).append(world.users[username])
    places = 0
    for index, month in enumerate(months):
        if month.month == 7:
            continue
        starts = _at(month, rng)
        event = Event.objects.create(
            title=f"{spec['title']} ({month:%Y-%m})",
            kind=spec["kinds"][index % len(spec["kinds"])],
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=3),
            organiser=social,
            location="Kommunhuset",
        )
        rows = []
        for org_name, count in spec["places"].items():
            users = staff.get(org_name, [])
            organisation = world.organisations[org_name]
            for user in rng.sample(users, min(len(users), count)):
                rows.append(Registration(event=event, user=user, organisation=organisation))
        Registration.objects.bulk_create(rows)
        places += len(rows)
    return places


def _survey(spec, rng) -> int:
    survey = surveys.survey_create(
        actor=None,
        title=spec["title"],
        introduction=spec["introduction"],
        audience="verksamheter",
        org_types=sorted({t for r in spec["rounds"] for t in r["answers"]}),
        with_climate_questions=True,
    )
    survey = surveys.survey_set_status(actor=None, survey=survey, status="oppen")
    questions = list(survey.questions.all())
    rows = []
    for round_ in spec["rounds"]:
        month = _months(round_["months_ago"])[0]
        for org_type, (responses, yes_share, grade) in round_["answers"].items():
            for _ in range(responses):
                answers = {}
                for q in questions:
                    if q.kind == "janej":
                        answers[q.position] = 1 if rng.random() < yes_share else 0
                    elif q.kind == "skala5":
                        answers[q.position] = min(5, max(1, grade + rng.choice([-1, 0, 0, 1])))
                    elif rng.random() < 0.15:
                        answers[q.position] = rng.choice(spec["comments"])
                rows.append((org_type, month, answers))
    surveys.responses_import(actor=None, survey=survey, rows=rows)
    return len(rows)

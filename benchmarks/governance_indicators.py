"""Every computed indicator of the strategy plan over 1,000,000 events (issue 16).

Builds a scratch PostgreSQL database of its own (``samverkan_bench_gov_<pid>`` on
127.0.0.1, dropped at the end; ``--keep`` keeps it), migrates it and bulk-loads
``--events`` rows (default 1,000,000) spread over 24 months, in the proportions of a
large municipality: reports of concern with their handling, receipts and feedback;
consent events; SIPs with versions and follow-ups; forum meetings with attendance;
escalation steps; training events with registrations; survey responses with answers.
Then, in one run, for every registered indicator definition:

  indicator  ``definition.compute(start, end)`` over the whole 24 months (the same
             call the strategy plan page and the reports make), best of three;
  floor      the least work any query over the same rows must do: ``count(*)`` of the
             indicator's source table over the same period, best of three.

It prints seconds, the rows counted, the floor and the ratio, and whether each
indicator stays under the goal of one second. The runtime is bounded (``--max-seconds``,
default 1,800): loading stops early (at 60 %) and the figures are printed for what was loaded.

    uv run python benchmarks/governance_indicators.py
    uv run python benchmarks/governance_indicators.py --events 200000 --json out.json
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

# Share of the events per kind (sums to 1).
MIX = {
    "reports": 0.15,  # a report, its handling row, a receipt and (most) a feedback entry
    "handling": 0.15,
    "receipts": 0.15,
    "feedback": 0.10,
    "consent_events": 0.15,
    "plans": 0.02,
    "plan_versions": 0.02,
    "follow_ups": 0.04,
    "meetings": 0.005,
    "attendances": 0.04,
    "escalation_steps": 0.005,
    "trainings": 0.001,
    "registrations": 0.049,
    "responses": 0.02,
    "answers": 0.08,
}
# The table each indicator counts (for the floor) and its time column.
SOURCES = {
    "concerns": ("concerns_report", "received_at"),
    "consent": ("consent_consentevent", "occurred_at"),
    "plans": ("plans_plan", "created_at"),
    "meetings": ("meetings_meeting", "starts_at"),
    "knowledge": ("knowledge_eventregistration", "id"),
    "governance": ("governance_surveyresponse", "month"),
}
FLOOR_OVERRIDES = {
    "concerns.preliminary_within_14_days": ("concerns_handling", "preliminary_decided_at"),
    "concerns.investigations_within_four_months": ("concerns_handling", "closed_at"),
    "plans.followed_up_on_time": ("plans_followup", "next_follow_up_on"),
    "meetings.attendance": ("meetings_attendance", "id"),
    "meetings.escalations": ("meetings_escalation", "created_at"),
    "meetings.escalation_decisions": ("meetings_escalationstep", "decided_at"),
    "knowledge.events": ("knowledge_event", "starts_at"),
}


def psql(sql: str, database: str = "postgres") -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-qc", sql],
        check=True,
        capture_output=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--max-seconds", type=int, default=1800)
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database.")
    parser.add_argument("--database", help="Use this (already loaded) database instead.")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    began = time.monotonic()
    name = args.database or f"samverkan_bench_gov_{os.getpid()}"
    if not args.database:
        psql(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "samverkan.config.settings.test"
    os.environ.setdefault("SAMVERKAN_AUDIT_WITNESS_FILE", "")
    os.environ.setdefault("SAMVERKAN_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.db import connection

    try:
        if not args.database:
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
            print(f"migrated in {time.monotonic() - began:.0f} s", flush=True)
            load(args.events, deadline=began + args.max_seconds * 0.6)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        results = measure()
    finally:
        connection.close()
        if not args.keep and not args.database:
            psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    report(results, args, time.monotonic() - began)


def _period():
    end = datetime.date.today().replace(day=1)
    start = end.replace(year=end.year - 2)
    return start, end


def _moment(rng, start, end):
    from django.utils import timezone

    days = (end - start).days
    day = start + datetime.timedelta(days=rng.randrange(days))
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(rng.randrange(7, 18), rng.randrange(60)))
    )


def load(events: int, *, deadline: float) -> None:
    """Bulk-load ``events`` rows in the proportions of MIX (deterministic: seed 16)."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.db import connection

    from samverkan.governance import surveys

    rng = random.Random(16)
    start, end = _period()
    n = {kind: max(1, int(events * share)) for kind, share in MIX.items()}
    model = apps.get_model
    Principal, Organisation = model("directory", "Principal"), model("directory", "Organisation")
    User = get_user_model()
    principal = Principal.objects.create(name="Benchmarkkommunen", kind="kommun")
    types = ["skola", "forskola", "socialtjanst", "elevhalsa", "bup", "bvc"]
    orgs = [
        Organisation.objects.create(principal=principal, name=f"{t} {i}", org_type=t)
        for t in types
        for i in range(3)
    ]
    social = [o for o in orgs if o.org_type == "socialtjanst"]
    user = User.objects.create(username="bench")
    t0 = time.monotonic()

    def bulk(label, rows, batch=5000):
        made = []
        for i in range(0, len(rows), batch):
            made += rows[i].__class__.objects.bulk_create(rows[i : i + batch])
        print(f"  {label:<18} {len(rows):>9,} rows  {time.monotonic() - t0:6.0f} s", flush=True)
        return made

    def past_deadline():
        return time.monotonic() > deadline

    Report, Handling, Entry = (model("concerns", m) for m in ("Report", "Handling", "Entry"))
    reports = []
    for i in range(n["reports"]):
        received = _moment(rng, start, end)
        reporter = rng.choice(orgs)
        reports.append(
            Report(
                reference=f"B{i:09d}",
                source="professional",
                channel="written",
                reporter_organisation=reporter,
                reporter_name="Anmälare",
                receiving_organisation=social[i % len(social)],
                worry="Oro",
                child_details="Ett påhittat barn",
                urgency="normal",
                guardians_informed="unknown",
                received_at=received,
            )
        )
    reports = bulk("reports", reports)
    hour = datetime.timedelta(hours=1)
    handlings, receipts, feedback = [], [], []
    for i, report in enumerate(reports):
        r = report.received_at
        decided = r + datetime.timedelta(days=rng.choice([3, 7, 12, 14, 16, 25]))
        investigated = i % 3 == 0
        started = decided.date() if investigated else None
        handlings.append(
            Handling(
                report=report,
                assigned_at=r + hour * rng.choice([2, 8, 20, 30, 50]),
                preliminary_due=r.date() + datetime.timedelta(days=14),
                preliminary_decision="open" if investigated else "not_open",
                preliminary_decided_at=decided,
                investigation_started_on=started,
                investigation_due=started + datetime.timedelta(days=122) if started else None,
                closed_at=decided + datetime.timedelta(days=rng.choice([60, 100, 120, 140]))
                if investigated
                else None,
                outcome="insats" if investigated else "",
            )
        )
        receipts.append(
            Entry(report=report, kind="receipt", created_at=r + hour * rng.choice([1, 5, 30]))
        )
        if i < n["feedback"]:
            feedback.append(
                Entry(
                    report=report,
                    kind="feedback",
                    ground_code="law",
                    created_at=r + datetime.timedelta(days=rng.choice([2, 5, 9, 20, 40])),
                )
            )
    # The handling's pre-aggregated columns (decision 0261) are kept by row triggers; a
    # bulk load switches them off and fills the columns in one statement, the same one
    # the migration runs, instead of one update per row.
    from importlib import import_module

    backfill = import_module(
        "samverkan.concerns.migrations.0008_handling_first_receipt_feedback"
    ).BACKFILL
    with connection.cursor() as cursor:
        for table in ("concerns_handling", "concerns_entry"):
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")  # noqa: S608
    bulk("handling", handlings)
    bulk("receipts", receipts)
    bulk("feedback", feedback)
    with connection.cursor() as cursor:
        cursor.execute(backfill)
        for table in ("concerns_handling", "concerns_entry"):
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")  # noqa: S608
    print(f"  {'pre-aggregated':<18} {'':>9}       {time.monotonic() - t0:6.0f} s", flush=True)
    if past_deadline():
        return

    Child = model("people", "Child")
    Consent, ConsentEvent = model("consent", "Consent"), model("consent", "ConsentEvent")
    children = bulk(
        "children",
        [
            Child(
                personal_number=f"{201000000000 + i}",
                number_kind="personnummer",
                first_name="Barn",
                last_name=f"B{i}",
                date_of_birth=datetime.date(2012, 1, 1),
            )
            for i in range(n["consent_events"] // 3)
        ],
    )
    consents = bulk(
        "consents",
        [
            Consent(
                child=child,
                registered_by_organisation=orgs[0],
                registered_by=user,
                form="written",
                context="support",
                valid_from=start,
                valid_until=end,
            )
            for child in children
        ],
    )
    kinds = ["signed", "signed", "revoked", "renewed", "expiry_reminder"]
    bulk(
        "consent_events",
        [
            ConsentEvent(
                consent=consents[i % len(consents)],
                kind=kinds[(i // len(consents)) % len(kinds)] if i >= len(consents) else "signed",
                occurred_at=_moment(rng, start, end),
            )
            for i in range(n["consent_events"])
        ],
    )
    if past_deadline():
        return

    Plan, PlanVersion, FollowUp = (model("plans", m) for m in ("Plan", "PlanVersion", "FollowUp"))
    plans = bulk(
        "plans",
        [
            Plan(
                child=children[i % len(children)],
                started_by_organisation=orgs[i % len(orgs)],
                started_by=user,
                purpose="Samordna stödet",
                question="Vad behöver barnet?",
                important_to_child="Lugn" if i % 2 else "",
                coordinator=user if i % 4 else None,
            )
            for i in range(n["plans"])
        ],
    )
    with connection.cursor() as cursor:  # spread over the period (created_at is automatic)
        cursor.execute(
            "UPDATE plans_plan SET created_at = %s + (id %% 700) * interval '1 day'",
            [datetime.datetime.combine(start, datetime.time(12), datetime.UTC)],
        )
    bulk(
        "plan_versions",
        [
            PlanVersion(
                plan=plan,
                number=1,
                content={"child_words": "Jag vill" if i % 3 else ""},
                created_at=_moment(rng, start, end),
                author_name="x",
                author_organisation_name="y",
            )
            for i, plan in enumerate(plans)
        ],
    )
    follow_ups = []
    for i in range(n["follow_ups"]):
        held = start + datetime.timedelta(days=rng.randrange(650))
        follow_ups.append(
            FollowUp(
                plan=plans[i % len(plans)],
                held_on=held + datetime.timedelta(days=(i // len(plans)) * 90),
                next_follow_up_on=held + datetime.timedelta(days=(i // len(plans)) * 90 + 90),
                recorded_at=_moment(rng, start, end),
                recorded_by_name="x",
                version_number=1,
            )
        )
    bulk("follow_ups", follow_ups)
    if past_deadline():
        return

    Forum, Meeting = model("meetings", "Forum"), model("meetings", "Meeting")
    Attendance, Escalation = model("meetings", "Attendance"), model("meetings", "Escalation")
    EscalationStep = model("meetings", "EscalationStep")
    Function = model("directory", "Function")
    function = Function.objects.order_by("pk").first()
    forums = [
        Forum.objects.create(
            name=f"Forum {level}",
            level=level,
            cadence="monthly",
            convener_organisation=social[0],
            convener_function=function,
            purpose="Samverkan",
        )
        for level in ("basniva", "verksamhetsniva", "ledningsniva")
    ]
    meetings = []
    step = (end - start) / max(1, n["meetings"])
    first = _moment(rng, start, start + datetime.timedelta(days=1))
    for i in range(n["meetings"]):
        at = first + step * i  # distinct times (one meeting per forum and time)
        meetings.append(
            Meeting(
                forum=forums[i % 3],
                starts_at=at,
                ends_at=at + datetime.timedelta(hours=2),
                status="held" if i % 10 else "cancelled",
            )
        )
    meetings = bulk("meetings", meetings)
    per_meeting = max(1, n["attendances"] // len(meetings))
    bulk(
        "attendances",
        [
            Attendance(meeting=meeting, organisation=orgs[j % len(orgs)], present=(j % 5) != 0)
            for meeting in meetings
            for j in range(min(per_meeting, len(orgs)))
        ],
    )
    escalations = bulk(
        "escalations",
        [
            Escalation(
                title="Vem ansvarar?",
                description="Oklart ansvar",
                raised_by_organisation=orgs[0],
                raised_by_name="Rektor",
                counterpart_organisation=social[0],
                status="resolved" if i % 2 else "open",
            )
            for i in range(max(1, n["escalation_steps"] // 2))
        ],
    )
    steps = []
    for i, escalation in enumerate(escalations):
        for position in (1, 2):
            at = _moment(rng, start, end)
            steps.append(
                EscalationStep(
                    escalation=escalation,
                    position=position,
                    name=f"Steg {position}",
                    forum=forums[position],
                    owner_organisation=social[0],
                    deadline=at.date(),
                    decided_at=at if (i + position) % 3 else None,
                    started_at=at,
                )
            )
    bulk("escalation_steps", steps)

    Event, Registration = model("knowledge", "Event"), model("knowledge", "EventRegistration")
    trainings = []
    for i in range(n["trainings"]):
        at = _moment(rng, start, end)
        trainings.append(
            Event(
                title="Utbildning",
                kind=["utbildning", "metoddag", "motesplats", "seminarium"][i % 4],
                starts_at=at,
                ends_at=at + datetime.timedelta(hours=3),
                organiser=social[0],
            )
        )
    trainings = bulk("trainings", trainings)
    users = bulk(
        "users", [User(username=f"u{i}") for i in range(n["registrations"] // len(trainings) + 1)]
    )
    registrations = []
    for i in range(n["registrations"]):
        registrations.append(
            Registration(
                event=trainings[i % len(trainings)],
                user=users[i // len(trainings)],
                organisation=orgs[i % len(orgs)],
            )
        )
    bulk("registrations", registrations)
    if past_deadline():
        return

    Response, Answer = model("governance", "SurveyResponse"), model("governance", "SurveyAnswer")
    survey = surveys.system_survey("mote")
    questions = [q for q in survey.questions.all() if q.kind != "fritext"]
    responses = bulk(
        "responses",
        [
            Response(
                survey=survey,
                organisation_type=types[i % len(types)],
                month=start.replace(month=1 + (i % 12), year=start.year + (i // 12) % 2),
            )
            for i in range(n["responses"])
        ],
    )
    bulk(
        "answers",
        [
            Answer(response=response, question=q, value=1 + (i + j) % 4)
            for i, response in enumerate(responses)
            for j, q in enumerate(questions)
        ][: n["answers"]],
    )


def _best(call, repeat=3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        began = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - began)
    return best, result


def measure() -> list[dict]:
    from django.db import connection

    from samverkan.governance import indicators

    start, end = _period()
    out = []
    for definition in indicators.all_definitions():
        table, column = FLOOR_OVERRIDES.get(definition.code, SOURCES[definition.code.split(".")[0]])
        seconds, rows = _best(lambda d=definition: d.compute(start, end))

        def floor(table=table, column=column):
            with connection.cursor() as cursor:
                if column == "id":
                    cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (fixed names)
                else:
                    cursor.execute(
                        f"SELECT count(*) FROM {table} WHERE {column} >= %s AND {column} < %s",  # noqa: S608
                        [start, end],
                    )
                return cursor.fetchone()[0]

        floor_seconds, counted = _best(floor)
        out.append(
            {
                "code": definition.code,
                "seconds": round(seconds, 4),
                "result_rows": len(rows),
                "floor_table": table,
                "floor_rows": counted,
                "floor_seconds": round(floor_seconds, 4),
            }
        )
    return out


def report(results: list[dict], args, total: float) -> None:
    print()
    print(f"{'indicator':<46} {'s':>7} {'floor s':>8} {'ratio':>6} {'rows counted':>13}  goal")
    for r in results:
        ratio = r["seconds"] / r["floor_seconds"] if r["floor_seconds"] else 0
        goal = "ok" if r["seconds"] < 1 else "OVER 1 s"
        print(
            f"{r['code']:<46} {r['seconds']:7.3f} {r['floor_seconds']:8.3f} {ratio:6.1f} "
            f"{r['floor_rows']:>13,}  {goal}"
        )
    print(f"all indicators together: {sum(r['seconds'] for r in results):.2f} s; run {total:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({"events": args.events, "results": results}, indent=2))


if __name__ == "__main__":
    main()

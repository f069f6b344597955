"""Build a benchmark world of N children (docs/benchmarks.md).

    uv run python benchmarks/world.py --children 200000 \
        --database-url postgresql://postgres@127.0.0.1:5432/samverkan_bench_200k

Creates the database if it does not exist (PostgreSQL), migrates it, loads the demo
world (its organisations, staff and children are what the benchmark logs in as and
looks at), and adds N children with the same shape at every size, in bulk (COPY on
PostgreSQL, executemany on SQLite):

- about one school or preschool per 500 children (Frejaskolan and Förskolan Solrosen
  are two of them, so the demo users' schools have the same size at every N); one social
  services, one BUP, one BVC for the whole municipality;
- guardians (one or two, as the school recorded them), custody, enrolment;
- each organisation's matters: the school always, social services for 20 % (voluntary
  support, report, investigation, intervention; some ended), BUP 5 %, BVC for the
  small ones, Elevhälsan Frejaskolan for 10 % of Frejaskolan's pupils;
- consents for 25 %, in every state: signed by all (covering), waiting for signatures,
  revoked, expired, voluntary support overtaken by an investigation; the sharing grants
  are then computed by ``samverkan.consent.grants.rebuild()``, as the command does;
- reports of concern for 15 %, in every state (received, handler assigned, protection
  assessed, investigation opened, not opened, closed with every outcome, oral waiting
  for the written report), with their timelines and evaluations;
- a SIP for 2 %; forum meetings with agenda items naming children;
- about ten audit rows per child, sealed into the hash chain (``samverkan audit verify``
  passes).
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

FIRST = [
    "Alva",
    "Elsa",
    "Maja",
    "Astrid",
    "Wilma",
    "Freja",
    "Saga",
    "Alice",
    "Vera",
    "Ella",
    "Selma",
    "Signe",
    "Ebba",
    "Tuva",
    "Ines",
    "Agnes",
    "Stella",
    "Leah",
    "Lilly",
    "Ellen",
    "Märta",
    "Åsa",
    "Ärla",
    "Öydis",
    "Siri",
    "Liv",
    "Nora",
    "Olivia",
    "Emma",
    "Hanna",
    "Noah",
    "Hugo",
    "William",
    "Lucas",
    "Liam",
    "Oscar",
    "Elias",
    "Vincent",
    "Adam",
    "Alexander",
    "Ludvig",
    "Matteo",
    "Nils",
    "Olle",
    "Melwin",
    "Frans",
    "Sixten",
    "Viggo",
    "Åke",
    "Örjan",
    "Björn",
    "Sebastian",
    "Filip",
    "Isak",
    "Leo",
    "Axel",
    "Omar",
]
LAST = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Jakobsson",
    "Magnusson",
    "Olofsson",
    "Lindström",
    "Lindqvist",
    "Lindgren",
    "Berg",
    "Axelsson",
    "Bergström",
    "Lundberg",
    "Lind",
    "Lundgren",
    "Lundqvist",
    "Mattsson",
    "Berglund",
    "Fredriksson",
    "Sandberg",
    "Henriksson",
    "Forsberg",
    "Sjöberg",
    "Wallin",
    "Engström",
    "Eklund",
    "Danielsson",
    "Lundin",
    "Håkansson",
    "Björk",
    "Bergman",
    "Gunnarsson",
    "Holm",
    "Wikström",
    "Samuelsson",
    "Isaksson",
    "Fransson",
    "Bergqvist",
    "Nyström",
    "Holmberg",
    "Arvidsson",
    "Löfgren",
    "Söderberg",
    "Nyberg",
    "Blomqvist",
    "Claesson",
    "Nordström",
    "Mårtensson",
    "Lundström",
    "Ali",
    "Mohammed",
    "Ahmed",
    "Hassan",
    "Hussein",
    "Öberg",
    "Åberg",
    "Ödman",
    "Ågren",
    "Ärlig",
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument(
        "--resume-at",
        choices=["audit"],
        help="continue a build that stopped in this step: the earlier steps' rows are "
        "read back from the database instead of written again",
    )
    return parser.parse_args(argv)


def ensure_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.config.settings.dev")
    os.environ.setdefault("SAMVERKAN_DATA_DIR", str(ROOT / "data" / "bench"))
    import django

    django.setup()


class Inserter:
    """Rows into a table in bulk, with ids chosen here so that rows can point at each
    other before they exist. PostgreSQL: COPY; SQLite: executemany."""

    def __init__(self, connection):
        self.connection = connection
        self.next_ids: dict[str, int] = {}
        self.counts: dict[str, int] = {}

    def ids(self, model, count: int) -> range:
        table = model._meta.db_table
        if table not in self.next_ids:
            with self.connection.cursor() as cursor:
                cursor.execute(f'SELECT COALESCE(MAX("{model._meta.pk.column}"), 0) FROM "{table}"')
                self.next_ids[table] = cursor.fetchone()[0] + 1
        start = self.next_ids[table]
        self.next_ids[table] += count
        return range(start, start + count)

    def insert(self, model, rows: list[dict]) -> None:
        if not rows:
            return
        table = model._meta.db_table
        given = set(rows[0])
        # Fields the builder does not set get their model default ("" for text).
        defaults = {
            f.attname: f.get_default()
            for f in model._meta.concrete_fields
            if f.attname not in given and not f.primary_key
        }
        if defaults:
            rows = [{**defaults, **row} for row in rows]
        names = list(rows[0])
        columns = [model._meta.get_field(n).column if n != "id" else "id" for n in names]
        now = datetime.datetime.now(datetime.UTC)
        if self.connection.vendor == "postgresql":
            quoted = ", ".join(f'"{c}"' for c in columns)
            with self.connection.cursor() as cursor:
                with cursor.cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row([_pg(row[n], now) for n in names])
        else:
            marks = ", ".join(["%s"] * len(columns))
            quoted = ", ".join(f'"{c}"' for c in columns)
            with self.connection.cursor() as cursor:
                cursor.executemany(
                    f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})',
                    [[_lite(row[n]) for n in names] for row in rows],
                )
        self.counts[table] = self.counts.get(table, 0) + len(rows)

    def fix_sequences(self) -> None:
        if self.connection.vendor != "postgresql":
            return
        with self.connection.cursor() as cursor:
            for table in self.next_ids:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'(SELECT MAX(id) FROM "{table}"))'
                )


def _pg(value, now):
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _lite(value):
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def base(now) -> dict:
    return {"public_id": uuid.uuid4(), "created_at": now, "updated_at": now, "version": 1}


class World:
    def __init__(self, n: int, seed: int):
        from django.apps import apps
        from django.db import connection

        self.n = n
        self.rng = random.Random(seed)
        self.m = apps.get_model
        self.db = Inserter(connection)
        self.now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        self.today = datetime.date.today()

    # organisations ---------------------------------------------------------------------

    def organisations(self) -> None:
        Organisation = self.m("directory", "Organisation")
        Membership = self.m("directory", "Membership")
        by_name = {o.name: o for o in Organisation.objects.all()}
        self.frejaskolan = by_name["Frejaskolan"]
        self.solrosen = by_name["Förskolan Solrosen"]
        self.health = by_name["Elevhälsan Frejaskolan"]
        self.social = by_name["Socialtjänsten barn och familj"]
        self.bup = by_name["BUP"]
        self.bvc = by_name["Barnhälsovården (BVC)"]
        count = max(1, self.n // 500)
        rows = []
        ids = self.db.ids(Organisation, 2 * (count - 1))
        it = iter(ids)
        self.schools, self.preschools = [self.frejaskolan.pk], [self.solrosen.pk]
        for k in range(1, count):
            for kind, target in (("skola", self.schools), ("forskola", self.preschools)):
                pk = next(it)
                rows.append(
                    {
                        "id": pk,
                        **base(self.now),
                        "principal_id": self.frejaskolan.principal_id,
                        "name": f"{'Skola' if kind == 'skola' else 'Förskola'} {k:04d}",
                        "org_type": kind,
                        "description": "",
                        "phone": "",
                        "email": "",
                        "is_active": True,
                    }
                )
                target.append(pk)
        self.db.insert(Organisation, rows)
        memberships = {
            m.user.username: m for m in Membership.objects.select_related("user", "function")
        }
        self.mats = memberships["mats"]
        self.maria = memberships["maria"]
        self.olof = memberships["olof"]
        self.karin = memberships["karin"]
        self.frida = memberships["frida"]
        self.users = list(memberships.values())

    def reload(self) -> None:
        """What the audit step needs from the earlier steps, read back from a database
        where they already ran (``--resume-at audit``): the staff, and every child."""
        Membership = self.m("directory", "Membership")
        Child = self.m("people", "Child")
        self.users = list(Membership.objects.select_related("user", "function"))
        self.child_ids = list(Child.objects.order_by("pk").values_list("pk", flat=True))
        self.facts = [(pk, None, None, None, None) for pk in self.child_ids]

    # children and their families --------------------------------------------------------

    def children(self) -> None:
        from samverkan.demo.world import fictional_number
        from samverkan.people import names

        Child = self.m("people", "Child")
        existing = set(Child.objects.values_list("personal_number", flat=True))
        self.child_ids = list(self.db.ids(Child, self.n))
        rows = []
        self.facts = []  # (child_id, age, school_org, first, last)
        days = 18 * 365
        for i, pk in enumerate(self.child_ids):
            rng = self.rng
            age_days = (i * 7919) % days + 1
            dob = self.today - datetime.timedelta(days=age_days)
            serial = 300 + (i // days) % 600
            number = fictional_number(dob, serial)
            while number in existing:
                serial = 300 + (serial - 299) % 600
                number = fictional_number(dob, serial)
            existing.add(number)
            first, last = rng.choice(FIRST), rng.choice(LAST)
            if (first, last) == ("Melwin", "Andersson"):  # the demo's Melwin stays unique
                last = "Andersén"
            age = age_days // 365
            org = (self.preschools if age < 6 else self.schools)[i % len(self.schools)]
            rows.append(
                {
                    "id": pk,
                    **base(self.now),
                    "personal_number": number,
                    "number_kind": "personnummer",
                    "first_name": first,
                    "last_name": last,
                    "date_of_birth": dob,
                    "protected_identity": i % 97 == 0,
                    "street_address": f"{rng.choice(LAST)}vägen {i % 90 + 1}",
                    "postal_code": f"{12000 + i % 900:05d}",
                    "city": "Exempelstad",
                    **names.keys(first, last),
                }
            )
            self.facts.append((pk, age, org, first, last))
        self.db.insert(Child, rows)

    def families(self) -> None:
        Guardian = self.m("people", "Guardian")
        Custody = self.m("people", "Custody")
        Enrolment = self.m("people", "Enrolment")
        guardians, custodies, enrolments = [], [], []
        self.guardians_of: dict[int, list[int]] = {}
        two = [self.rng.random() < 0.8 for _ in self.facts]
        gids = iter(self.db.ids(Guardian, sum(2 if t else 1 for t in two)))
        cids = iter(self.db.ids(Custody, sum(2 if t else 1 for t in two)))
        eids = iter(self.db.ids(Enrolment, len(self.facts)))
        for (pk, age, org, _first, last), joint in zip(self.facts, two, strict=True):
            ids = []
            for parent in ("Anna", "Johan")[: 2 if joint else 1]:
                gid = next(gids)
                ids.append(gid)
                guardians.append(
                    {
                        "id": gid,
                        **base(self.now),
                        "organisation_id": org,
                        "first_name": parent,
                        "last_name": last,
                        "personal_number": "",
                        "phone": "070-000 00 00",
                        "email": "",
                        "street_address": "",
                        "postal_code": "",
                        "city": "",
                        "protected_identity": False,
                    }
                )
                custodies.append(
                    {
                        "id": next(cids),
                        "child_id": pk,
                        "guardian_id": gid,
                        "custody_type": "gemensam" if joint else "ensam",
                        "created_at": self.now,
                    }
                )
            self.guardians_of[pk] = ids
            enrolments.append(
                {
                    "id": next(eids),
                    **base(self.now),
                    "child_id": pk,
                    "organisation_id": org,
                    "school_year": str(max(age - 6, 0)),
                    "class_name": "",
                    "start_date": self.today - datetime.timedelta(days=200),
                    "end_date": None,
                }
            )
        self.db.insert(Guardian, guardians)
        self.db.insert(Custody, custodies)
        self.db.insert(Enrolment, enrolments)

    def matters(self) -> None:
        Involvement = self.m("people", "Involvement")
        rows = []
        self.social_context: dict[int, str] = {}
        contexts = ["voluntary_support", "report", "investigation", "intervention"]
        for i, (pk, age, org, *_rest) in enumerate(self.facts):
            started = self.now - datetime.timedelta(days=30 + i % 700)
            wanted = [(org, "education", None)]
            if i % 5 == 0:
                context = contexts[(i // 5) % 4]
                ended = started + datetime.timedelta(days=90) if i % 35 == 0 else None
                wanted.append((self.social.pk, context, ended))
                if ended is None:
                    self.social_context[pk] = context
            if i % 20 == 3:
                wanted.append((self.bup.pk, "health_care", None))
            if age < 6 and i % 2 == 0:
                wanted.append((self.bvc.pk, "health_care", None))
            if org == self.frejaskolan.pk and i % 10 == 7:
                wanted.append((self.health.pk, "student_health", None))
            for organisation, context, ended in wanted:
                rows.append(
                    {
                        **base(self.now),
                        "child_id": pk,
                        "organisation_id": organisation,
                        "unit_id": None,
                        "context": context,
                        "context_since": started,
                        "note": "",
                        "started_at": started,
                        "ended_at": ended,
                        "started_by_id": None,
                        "protected_details_need": "",
                    }
                )
        for pk, row in zip(self.db.ids(Involvement, len(rows)), rows, strict=True):
            row["id"] = pk
        self.db.insert(Involvement, rows)

    # consents ---------------------------------------------------------------------------

    def consents(self) -> None:
        Consent = self.m("consent", "Consent")
        Party = self.m("consent", "ConsentParty")
        Giver = self.m("consent", "ConsentGiver")
        Event = self.m("consent", "ConsentEvent")
        Category = self.m("consent", "InformationCategory")
        Purpose = self.m("consent", "Purpose")
        categories = {c.code: c.pk for c in Category.objects.all()}
        purposes = {p.code: p.pk for p in Purpose.objects.all()}
        chosen = [f for i, f in enumerate(self.facts) if i % 4 == 1]
        consent_ids = iter(self.db.ids(Consent, len(chosen)))
        consents, parties, givers, events, cats, purps = [], [], [], [], [], []
        states = ["covering", "covering", "waiting", "revoked", "expired", "lapsed"]
        for k, (pk, age, org, first, last) in enumerate(chosen):
            cid = next(consent_ids)
            state = states[k % len(states)]
            given = self.now - datetime.timedelta(days=10 + k % 200)
            valid_from = given.date()
            valid_until = valid_from + datetime.timedelta(days=365)
            if state == "expired":
                valid_from = self.today - datetime.timedelta(days=400)
                valid_until = self.today - datetime.timedelta(days=20)
                given = datetime.datetime.combine(valid_from, datetime.time(10), datetime.UTC)
            other = self.social.pk if state in ("lapsed", "covering") else self.bup.pk
            if org == self.frejaskolan.pk and k % 2:
                other = self.health.pk
            consents.append(
                {
                    "id": cid,
                    **base(given),
                    "child_id": pk,
                    "registered_by_organisation_id": org,
                    "registered_by_id": self.frida.user_id,
                    "exclusions": "",
                    "form": "written",
                    "context": "report_investigation" if k % 7 == 6 else "voluntary",
                    "valid_from": valid_from,
                    "valid_until": valid_until,
                    "child_views": "Barnet vill att de pratar med varandra." if age >= 12 else "",
                    "renews_id": None,
                    "note": "",
                }
            )
            if state == "lapsed":
                self.social_context[pk] = "investigation"
            parties += [{"consent_id": cid, "organisation_id": o} for o in sorted({org, other})]
            cats += [
                {"consent_id": cid, "informationcategory_id": categories[c]}
                for c in ("insatser", "skolsituation")
            ]
            purps += [
                {"consent_id": cid, "purpose_id": purposes[p]} for p in ("samverkanstraff", "sip")
            ]
            events.append(
                {
                    "consent_id": cid,
                    "kind": "registered",
                    "occurred_at": given,
                    "actor_name": "",
                    "actor_organisation_name": "",
                    "text": "",
                }
            )
            if state == "waiting":
                continue
            for gid in self.guardians_of[pk]:
                givers.append(
                    {
                        "consent_id": cid,
                        "kind": "guardian",
                        "guardian_id": gid,
                        "name": f"Vårdnadshavare {last}",
                        "given_at": given,
                        "method": "written",
                        "revoked_at": given + datetime.timedelta(days=5)
                        if state == "revoked"
                        else None,
                        "revocation_note": "",
                    }
                )
            if age >= 15:
                givers.append(
                    {
                        "consent_id": cid,
                        "kind": "child",
                        "guardian_id": None,
                        "name": f"{first} {last}",
                        "given_at": given,
                        "method": "written",
                        "revoked_at": None,
                        "revocation_note": "",
                    }
                )
        self.db.insert(Consent, consents)
        for model, rows in ((Party, parties), (Giver, givers), (Event, events)):
            for pk, row in zip(self.db.ids(model, len(rows)), rows, strict=True):
                row["id"] = pk
            self.db.insert(model, rows)
        through_c = Consent.categories.through
        through_p = Consent.purposes.through
        for model, rows in ((through_c, cats), (through_p, purps)):
            for pk, row in zip(self.db.ids(model, len(rows)), rows, strict=True):
                row["id"] = pk
            self.db.insert(model, rows)
        # The "lapsed" consents: social services' matter has become an investigation.
        Involvement = self.m("people", "Involvement")
        lapsed = [pk for pk, context in self.social_context.items() if context == "investigation"]
        for start in range(0, len(lapsed), 5000):
            Involvement.objects.filter(
                child_id__in=lapsed[start : start + 5000],
                organisation_id=self.social.pk,
                ended_at__isnull=True,
            ).update(context="investigation")

    # reports of concern -----------------------------------------------------------------

    def reports(self) -> None:
        from samverkan.concerns import intake_order

        Report = self.m("concerns", "Report")
        Handling = self.m("concerns", "Handling")
        Entry = self.m("concerns", "Entry")
        Evaluation = self.m("concerns", "Evaluation")
        chosen = [f for i, f in enumerate(self.facts) if i % 20 in (2, 9, 16)]
        ids = iter(self.db.ids(Report, len(chosen)))
        reports, handlings, entries, evaluations = [], [], [], []
        states = ["closed"] * 12 + ["received", "assigned", "protected", "open", "not_open", "oral"]
        outcomes = ["no_investigation", "no_intervention", "intervention", "referred"]
        for k, (pk, _age, org, _first, _last) in enumerate(chosen):
            rid = next(ids)
            state = states[k % len(states)]
            days_ago = 1 + k % 25 if state != "closed" else 40 + k % 600
            received = self.now - datetime.timedelta(days=days_ago, hours=k % 9)
            oral = state == "oral"
            from_frejaskolan = org == self.frejaskolan.pk
            reports.append(
                {
                    "id": rid,
                    **base(received),
                    "reference": f"B{rid:09d}",
                    "source": "professional",
                    "channel": "oral" if oral else "written",
                    "child_id": pk,
                    "child_details": "",
                    "reporter_organisation_id": org,
                    "reporter_user_id": self.mats.user_id if from_frejaskolan else None,
                    "reporter_name": "Mats Holm" if from_frejaskolan else "Mentor",
                    "reporter_function": "Mentor",
                    "reporter_phone": "",
                    "reporter_email": "",
                    "receiving_organisation_id": self.social.pk,
                    "routed_unit_id": None,
                    "worry": "Barnet har berättat om bråk hemma och är ofta hungrig.",
                    "observations": "",
                    "child_words": "",
                    "urgency": "normal",
                    "guardians_informed": "unknown",
                    "do_not_inform_guardians": False,
                    "do_not_inform_reason": "",
                    "completes_id": None,
                    "received_at": received,
                    "received_by_id": self.maria.user_id if oral else None,
                }
            )
            arrived = received.date()
            decided = state in ("open", "not_open", "closed")
            closed = state == "closed"
            handling = {
                **base(received),
                "report_id": rid,
                "handler_id": None if state == "received" else self.olof.pk,
                "assigned_at": None if state == "received" else received,
                "written_due": arrived + datetime.timedelta(days=3) if oral else None,
                "written_received_at": None,
                "protection_assessed_at": None if state in ("received", "oral") else received,
                "preliminary_due": arrived + datetime.timedelta(days=14),
                "preliminary_decision": ("not_open" if state == "not_open" else "open")
                if decided
                else "",
                "preliminary_decided_at": received + datetime.timedelta(days=7)
                if decided
                else None,
                "investigation_started_on": arrived + datetime.timedelta(days=7)
                if decided and state != "not_open"
                else None,
                "investigation_due": arrived + datetime.timedelta(days=127)
                if decided and state != "not_open"
                else None,
                "closed_at": received + datetime.timedelta(days=30) if closed else None,
                "outcome": outcomes[k % 4] if closed else "",
            }
            # The intake's stored order (decision 0361), as the services write it; the
            # evaluations below are the reporting schools', not social services'.
            handling["intake_organisation_id"] = self.social.pk
            handling["intake_due"] = intake_order.due(
                channel="oral" if oral else "written",
                received_at=received,
                evaluated=False,
                **{
                    key: handling[key]
                    for key in (
                        "written_due",
                        "written_received_at",
                        "protection_assessed_at",
                        "preliminary_decision",
                        "preliminary_due",
                        "investigation_due",
                        "closed_at",
                    )
                },
            )
            handlings.append(handling)
            entries.append(
                {
                    "public_id": uuid.uuid4(),
                    "report_id": rid,
                    "kind": "receipt",
                    "statement": "",
                    "text": "Anmälan har tagits emot.",
                    "to_reporter": True,
                    "ground_code": "",
                    "ground_label": "",
                    "ground_reference": "",
                    "in_reply_to_id": None,
                    "due_before": None,
                    "due_after": None,
                    "author_id": None,
                    "author_name": "",
                    "author_organisation_name": "",
                    "created_at": received,
                }
            )
            if closed and k % 3 == 0:
                evaluations.append(
                    {
                        "report_id": rid,
                        "organisation_id": org,
                        "organisation_type": "skola",
                        "answers": {"contact": "ja", "feedback": "delvis"},
                        "comment": "",
                        "answered_by_id": self.frida.user_id,
                        "created_at": received + datetime.timedelta(days=40),
                    }
                )
        self.db.insert(Report, reports)
        for model, rows in ((Handling, handlings), (Entry, entries), (Evaluation, evaluations)):
            for pk, row in zip(self.db.ids(model, len(rows)), rows, strict=True):
                row["id"] = pk
            self.db.insert(model, rows)

    # plans and meetings -----------------------------------------------------------------

    def plans(self) -> None:
        Plan = self.m("plans", "Plan")
        PlanOrganisation = self.m("plans", "PlanOrganisation")
        PlanVersion = self.m("plans", "PlanVersion")
        chosen = [f for i, f in enumerate(self.facts) if i % 50 == 11]
        ids = iter(self.db.ids(Plan, len(chosen)))
        plans, members, versions = [], [], []
        for k, (pk, _age, org, _first, _last) in enumerate(chosen):
            plan_id = next(ids)
            created = self.now - datetime.timedelta(days=5 + k % 300)
            plans.append(
                {
                    "id": plan_id,
                    **base(created),
                    "child_id": pk,
                    "started_by_organisation_id": self.social.pk,
                    "started_by_id": self.olof.user_id,
                    "status": "active" if k % 3 else "called",
                    "purpose": "Samordna stödet i skolan och hemma.",
                    "question": "Hur får barnet en fungerande skolgång?",
                    "long_term_goal": "",
                    "meeting_at": created + datetime.timedelta(days=14),
                    "meeting_place": "Familjecentralen",
                    "important_to_child": "",
                    "important_to_guardians": "",
                    "prepared_at": None,
                    "coordinator_id": None,
                    "coordinator_organisation_id": None,
                    "follow_up_on": (created + datetime.timedelta(days=90)).date(),
                    "closed_at": None,
                    "closed_reason": "",
                }
            )
            for organisation, starter in ((self.social.pk, True), (org, False)):
                members.append(
                    {
                        "plan_id": plan_id,
                        "organisation_id": organisation,
                        "is_starter": starter,
                        "acknowledged_at": created if starter else None,
                        "acknowledged_by_name": "",
                        "unit_id": None,
                        "forwarded_note": "",
                    }
                )
            versions.append(
                {
                    "plan_id": plan_id,
                    "number": 1,
                    "content": {"needs": "Stöd i skolan.", "efforts": []},
                    "created_at": created,
                    "author_name": "Olof Sandberg",
                    "author_organisation_name": "Socialtjänsten barn och familj",
                    "comment": "",
                }
            )
        self.db.insert(Plan, plans)
        for model, rows in ((PlanOrganisation, members), (PlanVersion, versions)):
            for pk, row in zip(self.db.ids(model, len(rows)), rows, strict=True):
                row["id"] = pk
            self.db.insert(model, rows)

    def meetings(self) -> None:
        Forum = self.m("meetings", "Forum")
        Meeting = self.m("meetings", "Meeting")
        AgendaItem = self.m("meetings", "AgendaItem")
        forums = list(Forum.objects.all())
        weeks = max(1, min(104, self.n // 2000))
        meetings, items = [], []
        ids = iter(self.db.ids(Meeting, len(forums) * weeks))
        per_meeting = max(1, self.n // (len(forums) * weeks * 50))
        for forum in forums:
            for w in range(weeks):
                mid = next(ids)
                starts = self.now - datetime.timedelta(weeks=w + 1)
                meetings.append(
                    {
                        "id": mid,
                        **base(starts),
                        "forum_id": forum.pk,
                        "starts_at": starts,
                        "ends_at": starts + datetime.timedelta(minutes=90),
                        "location": forum.location,
                        "from_cadence": True,
                        "status": "held",
                        "minutes": "Genomgång av ärenden.",
                        "minutes_approved_at": None,
                        "minutes_approved_by": "",
                    }
                )
                for _ in range(per_meeting):
                    items.append(
                        {
                            **base(starts),
                            "meeting_id": mid,
                            "kind": "general",
                            "title": "Ärende",
                            "text": "Allmän genomgång utan personuppgifter.",
                            "author_organisation_id": forum.convener_organisation_id,
                            "author_name": "Samordnare",
                            "child_id": None,
                            "category": "",
                            "consent_reference": "",
                            "decision": "",
                        }
                    )
        self.db.insert(Meeting, meetings)
        for pk, row in zip(self.db.ids(AgendaItem, len(items)), items, strict=True):
            row["id"] = pk
        self.db.insert(AgendaItem, items)

    # audit ------------------------------------------------------------------------------

    def audit(self) -> None:
        """About ten rows per child (reads by staff over the last year), hashed and
        linked into the chain. On PostgreSQL the database writes the rows and their
        content hashes in one INSERT … SELECT (the canonical JSON built in SQL; verify
        recomputes every hash in Python, so a wrong one would fail it) and the links are
        computed here from (id, content hash) read back in id order; elsewhere, rows are
        built and hashed in Python."""
        if self.db.connection.vendor == "postgresql":
            return self._audit_sql()
        return self._audit_python()

    def _audit_sql(self) -> None:
        from samverkan.audit import hashing, partitions

        AuditEvent = self.m("audit", "AuditEvent")
        AuditSeal = self.m("audit", "AuditSeal")
        last = AuditSeal.objects.order_by("-seq").first()
        prev = last.chain_hash if last else hashing.GENESIS_HASH
        seq = last.seq if last else 0
        total = len(self.facts) * 10
        ids = self.db.ids(AuditEvent, total)
        staff = [m for m in self.users if m.function.permissions]
        for m in staff:  # the canonical JSON below is built without escaping
            assert '"' not in m.user.get_full_name() + m.function.name + m.user.username
        Child = self.m("people", "Child")
        public = dict(Child.objects.filter(pk__in=self.child_ids).values_list("pk", "public_id"))
        subjects = [str(public[f[0]]) for f in self.facts]
        start = self.now - datetime.timedelta(days=365)
        step = datetime.timedelta(seconds=365 * 86400 / max(total, 1))
        partitions.ensure(starts=start, ends=self.now)
        restore = _drop_indexes(self.db.connection, [AuditEvent, AuditSeal])
        sql = _AUDIT_SQL
        with self.db.connection.cursor() as cursor:
            cursor.execute(
                sql,
                {
                    "first": ids.start,
                    "total": total,
                    "start": start,
                    "step": step,
                    "subjects": subjects,
                    "uids": [m.user_id for m in staff],
                    "unames": [m.user.username for m in staff],
                    "names": [m.user.get_full_name() for m in staff],
                    "orgs": [m.organisation_id for m in staff],
                    "fns": [m.function.name for m in staff],
                },
            )
        table = AuditSeal._meta.db_table
        columns = "seq, event_id, event_occurred_at, prev_hash, chain_hash, sealed_at"
        raw = self.db.connection.connection
        low = ids.start
        while True:  # in id order, 100 000 rows at a time, on the same transaction
            with raw.cursor() as cur:
                cur.execute(
                    "SELECT id, content_hash, occurred_at FROM audit_auditevent "
                    "WHERE id >= %s ORDER BY id LIMIT 100000",
                    [low],
                )
                batch = cur.fetchall()
            if not batch:
                break
            lines = []
            for event_id, content, at in batch:
                seq += 1
                link = hashing.chain_hash(prev, seq, event_id, content)
                stamp = at.isoformat()
                lines.append(f"{seq}\t{event_id}\t{stamp}\t{prev}\t{link}\t{stamp}")
                prev = link
            with raw.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                copy.write("\n".join(lines) + "\n")
            low = batch[-1][0] + 1
        self.db.counts[AuditEvent._meta.db_table] = total
        self.db.counts[table] = total
        restore()

    def _audit_python(self) -> None:
        """About ten rows per child (reads by staff over the last year), with their
        content hashes and the hash chain, so that ``samverkan audit verify`` passes.
        Hashing runs in a process per core; on PostgreSQL the secondary indexes of the
        two tables are dropped during the COPY and built again afterwards."""
        from multiprocessing import Pool

        from samverkan.audit import hashing, partitions

        AuditEvent = self.m("audit", "AuditEvent")
        AuditSeal = self.m("audit", "AuditSeal")
        last = AuditSeal.objects.order_by("-seq").first()
        prev = last.chain_hash if last else hashing.GENESIS_HASH
        seq = last.seq if last else 0
        total = len(self.facts) * 10
        ids = iter(self.db.ids(AuditEvent, total))
        staff = [
            (m.user_id, m.user.username, m.user.get_full_name(), m.organisation_id, m.function.name)
            for m in self.users
            if m.function.permissions
        ]
        step = datetime.timedelta(seconds=365 * 86400 / max(total, 1))
        at = self.now - datetime.timedelta(days=365)
        Child = self.m("people", "Child")
        public = {
            pk: str(public_id)
            for pk, public_id in Child.objects.filter(pk__in=self.child_ids).values_list(
                "pk", "public_id"
            )
        }
        partitions.ensure(starts=at, ends=self.now)
        restore = _drop_indexes(self.db.connection, [AuditEvent, AuditSeal])
        with Pool(os.cpu_count() or 1) as pool:
            for chunk_start in range(0, total, 50_000):
                values = []
                for k in range(chunk_start, min(total, chunk_start + 50_000)):
                    subject = public[self.facts[k % len(self.facts)][0]]
                    user_id, username, name, org_id, function = staff[k % len(staff)]
                    at += step
                    values.append(
                        {
                            "occurred_at": at,
                            "request_id": uuid.uuid4().hex,
                            "ip_address": "127.0.0.1",
                            "actor_user_id": user_id,
                            "actor_username": username,
                            "actor_name": name,
                            "actor_organisation_id": org_id,
                            "actor_organisation_name": "",
                            "actor_unit_name": "",
                            "actor_function": function,
                            "action": "read",
                            "outcome": "allowed",
                            "resource_type": "people.child",
                            "resource_id": subject,
                            "subject_id": subject,
                            "ground_code": "own_matter",
                            "ground_label": "Egen verksamhets ärende",
                            "ground_reference": "",
                            "reason": "",
                            "details": {},
                        }
                    )
                hashes = pool.map(hashing.content_hash, values, chunksize=2000)
                events, seals = [], []
                for row, content in zip(values, hashes, strict=True):
                    eid = next(ids)
                    seq += 1
                    link = hashing.chain_hash(prev, seq, eid, content)
                    events.append({"id": eid, **row, "content_hash": content})
                    seals.append(
                        {
                            "seq": seq,
                            "event_id": eid,
                            "event_occurred_at": row["occurred_at"],
                            "prev_hash": prev,
                            "chain_hash": link,
                            "sealed_at": row["occurred_at"],
                        }
                    )
                    prev = link
                self.db.insert(AuditEvent, events)
                self.db.insert(AuditSeal, seals)
        restore()


# Ten reads per child by the staff in turn, with the canonical JSON of
# audit.hashing.content_hash built by the database (keys in order, no escaping needed:
# the builder checks that the names hold no quotes).
_AUDIT_SQL = """
WITH subjects AS (
    SELECT child, k FROM unnest(%(subjects)s::text[]) WITH ORDINALITY AS u(child, k)
), rows AS (
    SELECT g,
        %(start)s::timestamptz + (g + 1) * %(step)s::interval AS ts,
        md5(random()::text || g::text) AS req,
        1 + g %% cardinality(%(subjects)s::text[]) AS k,
        1 + g %% cardinality(%(uids)s::int[]) AS s
    FROM generate_series(0, %(total)s - 1) g
), named AS (
    -- The child by a join: indexing an array of N texts walks it, so a subscript per
    -- row made the step quadratic (2 million rows over 200 000 children took > 30 min).
    SELECT rows.*, subjects.child, (%(uids)s::int[])[s] AS uid,
        (%(unames)s::text[])[s] AS uname, (%(names)s::text[])[s] AS aname,
        (%(orgs)s::int[])[s] AS org, (%(fns)s::text[])[s] AS fn
    FROM rows JOIN subjects USING (k)
)
INSERT INTO audit_auditevent (id, occurred_at, request_id, ip_address, actor_user_id,
    actor_username, actor_name, actor_organisation_id, actor_organisation_name,
    actor_unit_name, actor_function, action, outcome, resource_type, resource_id,
    subject_id, ground_code, ground_label, ground_reference, reason, details,
    assurance_level, content_hash)
SELECT %(first)s + g, ts, req, '127.0.0.1'::inet, uid, uname, aname, org, '', '', fn,
    'read', 'allowed', 'people.child', child, child, 'own_matter',
    'Egen verksamhets ärende', '', '', '{}'::jsonb, '',
    encode(sha256(convert_to(
        '{"action":"read","actor_function":"' || fn || '","actor_name":"' || aname
        || '","actor_organisation_id":' || org || ',"actor_organisation_name":"",'
        || '"actor_unit_name":"","actor_user_id":' || uid || ',"actor_username":"' || uname
        || '","details":{},"ground_code":"own_matter",'
        || '"ground_label":"Egen verksamhets ärende","ground_reference":"",'
        || '"ip_address":"127.0.0.1","occurred_at":"'
        || to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
        || '","outcome":"allowed","reason":"","request_id":"' || req
        || '","resource_id":"' || child || '","resource_type":"people.child",'
        || '"subject_id":"' || child || '"}', 'UTF8')), 'hex')
FROM named
"""


def _drop_indexes(connection, models):
    """PostgreSQL: drop the secondary indexes of the tables; returns a function that
    builds them again. Elsewhere: nothing."""
    if connection.vendor != "postgresql":
        return lambda: None
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "JOIN pg_class c ON c.relname = i.indexname JOIN pg_index x ON x.indexrelid = c.oid "
            "WHERE i.tablename = ANY(%s) AND NOT x.indisprimary AND NOT x.indisunique",
            [tables],
        )
        found = cursor.fetchall()
        for name, _definition in found:
            cursor.execute(f'DROP INDEX "{name}"')

    def restore():
        with connection.cursor() as cursor:
            for _name, definition in found:
                # pg_indexes shows a partitioned table's index as "ON ONLY parent":
                # build it on every partition.
                cursor.execute(definition.replace(" ON ONLY ", " ON "))

    return restore


def main(argv=None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    ensure_database(args.database_url)
    setup(args.database_url)
    from django.core.management import call_command
    from django.db import connection, transaction

    from samverkan.audit import services as audit
    from samverkan.consent import grants
    from samverkan.demo import world as demo

    call_command("migrate", verbosity=0)
    if not demo.exists():
        demo.load()
    audit.seal_pending()
    print(f"demo world ready ({time.monotonic() - started:.0f} s)", flush=True)
    world = World(args.children, args.seed)
    steps = [
        ("organisations", world.organisations),
        ("children", world.children),
        ("families", world.families),
        ("matters", world.matters),
        ("consents", world.consents),
        ("reports", world.reports),
        ("plans", world.plans),
        ("meetings", world.meetings),
        ("audit", world.audit),
    ]
    if args.resume_at:
        world.reload()
        steps = steps[[name for name, _ in steps].index(args.resume_at) :]
    for name, step in steps:
        t = time.monotonic()
        with transaction.atomic():
            step()
        print(f"{name}: {time.monotonic() - t:.1f} s", flush=True)
    world.db.fix_sequences()
    audit.head_witness()  # the configured witness learns the chain's new head
    t = time.monotonic()
    written = grants.rebuild()
    print(f"sharing grants: {written} rows, {time.monotonic() - t:.1f} s", flush=True)
    # A sealer's pass after the bulk load: the sealer's row (decision 0371) then accounts
    # for every id, as in a running installation, and /healthz reports no backlog.
    audit.seal_pending()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    rows = sum(world.db.counts.values())
    print(
        f"built {args.children} children, {rows} rows in {time.monotonic() - started:.0f} s",
        flush=True,
    )
    out = io.StringIO()
    for table, count in sorted(world.db.counts.items()):
        out.write(f"  {table}: {count}\n")
    print(out.getvalue(), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())

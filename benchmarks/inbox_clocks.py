"""The worker's inbox clocks at size: N overdue items reminded and escalated.

Builds a scratch database of its own (SQLite file in a temporary folder, or, with
DATABASE_URL set to PostgreSQL, that database: give it a scratch name), migrates it,
creates one organisation with a manager and ``--people`` staff, and bulk-inserts N open
inbox items whose due time has passed (half to a function, half to persons). Then, in
one run:

  floor      the least database work the clocks must do: read the ids of the due items
             in batches of 500 and mark each batch with one UPDATE (no e-mail, no
             escalation);
  reminders  ``clocks.clocks_run`` with the items due but not yet two days late (each
             reminded once, e-mail to each holder once per batch);
  escalate   ``clocks.clocks_run`` two days later (each item escalated once, one new
             item per record and organisation);
  again      a third run, which must find nothing to do.

It prints seconds and queries per step, the messages sent (one per person per run,
however many items reached them), and the peak Python memory of each step (tracemalloc,
in a second run of the step on the same state, since tracing slows the code), which
stays flat with N because work is done in batches of 500. The URL configuration is
loaded before the timed steps (a worker loads it once, at its first e-mail).

    uv run python benchmarks/inbox_clocks.py            # 10 000 items
    uv run python benchmarks/inbox_clocks.py --items 50000 --json out.json
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--no-memory",
        dest="memory",
        action="store_false",
        help="Skip the second, traced run of each step that measures peak memory.",
    )
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="samverkan-bench-inbox-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "samverkan.config.settings.test"
    os.environ.setdefault("SAMVERKAN_AUDIT_WITNESS_FILE", "")
    os.environ.setdefault("SAMVERKAN_LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    call_command("migrate", verbosity=0)

    from django.apps import apps
    from django.contrib.auth import get_user_model

    from samverkan.notify import clocks, inbox

    Principal = apps.get_model("directory", "Principal")
    Organisation = apps.get_model("directory", "Organisation")
    Function = apps.get_model("directory", "Function")
    Membership = apps.get_model("directory", "Membership")
    InboxItem = apps.get_model("notify", "InboxItem")
    User = get_user_model()

    principal, _ = Principal.objects.get_or_create(name="Benchkommun", defaults={"kind": "kommun"})
    org, _ = Organisation.objects.get_or_create(
        principal=principal, name="Bench socialtjänst", defaults={"org_type": "socialtjanst"}
    )
    today = timezone.localdate() - datetime.timedelta(days=10)
    users = []
    for i, code in enumerate(["enhetschef"] + ["socialsekreterare"] * args.people):
        user = User.objects.create(username=f"bench{i}-{time.time_ns()}", email=f"b{i}@x.example")
        Membership.objects.create(
            user=user,
            organisation=org,
            function=Function.objects.get(code=code),
            valid_from=today,
        )
        users.append(user)
    staff = users[1:]
    due = timezone.now() - datetime.timedelta(hours=1)
    rows = []
    for n in range(args.items):
        if n % 2:
            person = staff[n % len(staff)]
            rows.append(
                InboxItem(
                    kind="plans.call",
                    address=inbox.person(person.pk, org.pk),
                    organisation=org,
                    user=person,
                    ref_id=f"ref-{n}",
                    due_at=due,
                )
            )
        else:
            rows.append(
                InboxItem(
                    kind="plans.call",
                    address=inbox.function(org.pk, "socialsekreterare"),
                    organisation=org,
                    function_code="socialsekreterare",
                    ref_id=f"ref-{n}",
                    due_at=due,
                )
            )
    InboxItem.objects.bulk_create(rows, batch_size=1000)
    print(f"{args.items} open items, due an hour ago; {len(staff)} staff and a manager.")
    # A worker that has run once has its URL configuration loaded (the e-mail's link is
    # reversed); loading it here keeps that one-time import out of the first timed step.
    from django.urls import reverse

    reverse("notify:inbox")

    def measure(name, fn):
        """Time without tracing (tracemalloc slows allocation-heavy code several times);
        then memory with it, on the same state restored (``reset``)."""
        mail.outbox = []
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = fn()
            seconds = time.perf_counter() - started
        peak = float("nan")
        if args.memory and name in RESET:
            RESET[name]()
            mail.outbox = []
            tracemalloc.start()
            fn()
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        row = {
            "step": name,
            "seconds": round(seconds, 3),
            "queries": len(queries),
            "messages": len(mail.outbox),
            "peak_mib": round(peak, 1),
            "result": result,
        }
        print(
            f"{name:10} {seconds:8.3f} s  {len(queries):6} queries  "
            f"{len(mail.outbox):5} e-mails  peak {peak:6.1f} MiB  {result}"
        )
        return row

    def floor():
        marked = 0
        now = timezone.now()
        while True:
            with transaction.atomic():
                ids = list(
                    InboxItem.objects.filter(reminded_at__isnull=True, due_at__lt=now)
                    .order_by("pk")
                    .values_list("pk", flat=True)[:500]
                )
                if not ids:
                    break
                marked += InboxItem.objects.filter(pk__in=ids).update(reminded_at=now)
        InboxItem.objects.update(reminded_at=None)  # undo, for the real run
        return {"marked": marked}

    now = timezone.now()
    later = now + datetime.timedelta(days=settings.SAMVERKAN["ESCALATE_AFTER_DAYS"], hours=1)

    def unremind():
        InboxItem.objects.update(reminded_at=None)

    def unescalate():
        InboxItem.objects.filter(escalation_of__isnull=False).delete()
        InboxItem.objects.update(escalated_at=None)

    RESET = {"floor": lambda: None, "reminders": unremind, "escalate": unescalate}
    results = [measure("floor", floor)]
    results.append(measure("reminders", lambda: clocks.clocks_run(now=now)))
    results.append(measure("escalate", lambda: clocks.clocks_run(now=later)))
    results.append(measure("again", lambda: clocks.clocks_run(now=later)))
    reminded = results[1]["result"]["reminders"]
    escalated = results[2]["result"]["escalations"]
    assert reminded == args.items, reminded
    assert escalated == args.items, escalated  # one record per item here
    assert results[3]["result"] == {"reminders": 0, "escalations": 0}
    ratio = results[1]["seconds"] / max(results[0]["seconds"], 1e-6)
    print(f"reminders took {ratio:.1f} × the floor, measured in the same run.")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

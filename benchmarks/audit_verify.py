"""Audit verify and the partitioned log at size (PostgreSQL).

Builds a fresh database of its own (``samverkan_bench_*``, dropped at the end), migrates
it (the audit log partitioned by month) and loads N valid audit rows spread over M months
(bulk COPY; every content hash and link computed with ``audit.hashing``, a witness entry
every 500 links, as the sealer writes them). Then it measures, in one run:

  floor (a)  PostgreSQL reading the rows verify reads (each month's events joined with
             its links) and only counting them: ``SELECT count(*)``, month by month;
  floor (b)  the same rows streamed to Python with COPY, not hashed;
  verify     ``chain_verify()`` with one worker and with ``--workers`` (threads, one
             connection each), with the witness, and the peak RSS of the process;
  insert     rows/s of ``event_record`` (one per transaction) from ``--threads`` threads;
  sealer     rows/s of ``seal_pending()`` on a backlog of ``--backlog`` new rows, and the
             time of one idle poll (nothing pending);
  loggkontroll  p50/p95 of the per-child query (the selector's filter: organisation and
             subject, newest first, 1000 rows) for 50 children.

Usage (from the repository root; PostgreSQL on 127.0.0.1 with trust authentication):

    uv run python benchmarks/audit_verify.py                       # 1 M rows, 12 months
    uv run python benchmarks/audit_verify.py --rows 20000000 --months 24 --json out.json

The whole run stops by itself after ``--max-seconds`` (the database is dropped).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from audit_load import BenchActor, BenchDatabase

UTC = datetime.UTC
FIELDS = None  # set after Django is set up


def peak_rss_mib() -> tuple[float, float]:
    """(this process, the largest child process) peak RSS in MiB. VmHWM, not ru_maxrss,
    for this process: Linux carries ru_maxrss over exec from the process that forked."""
    own = 0.0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            own = int(line.split()[1]) / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


# The rows the loader writes, and their canonical JSON (hashing.content_hash), built by
# the database for speed. verify recomputes every hash in Python from the stored fields,
# so a loader that got the canonical form wrong would fail the run, not flatter it.
_ROWS_SQL = """
WITH base AS (
    SELECT g,
        %(start)s::timestamptz + (g - 1) * %(step)s::interval AS ts,
        md5(g::text || 'req') AS req,
        CASE WHEN g %% 3 = 0 THEN NULL ELSE '10.1.2.3' END AS ip,
        1000 + (g * 7) %% 800 AS uid,
        1 + g %% 20 AS org,
        (ARRAY['Socialsekreterare', 'Kurator', 'Rektor', 'Läkare'])[1 + g %% 4] AS fn,
        CASE WHEN g %% 20 = 0 THEN 'change' ELSE 'read' END AS action,
        md5(((g * 2654435761) %% %(children)s)::text)::uuid::text AS child,
        CASE WHEN g %% 10 = 1 THEN '{"rows":' || (g %% 40) || ',"view":"child_detail"}'
             ELSE '{}' END AS details,
        CASE WHEN g %% 200 = 7 THEN 'Begäran om "loggutdrag" från vårdnadshavare' ELSE ''
             END AS reason
    FROM generate_series(%(first)s::bigint, %(last)s::bigint) g
), named AS (
    SELECT *, 'user' || uid AS uname, 'Användare ' || uid || ' Svensson' AS aname,
        'Organisation ' || org AS orgname, 'Enhet ' || org AS unit
    FROM base
)
INSERT INTO audit_auditevent (id, occurred_at, request_id, ip_address, actor_user_id,
    actor_username, actor_name, actor_organisation_id, actor_organisation_name,
    actor_unit_name, actor_function, action, outcome, resource_type, resource_id, subject_id,
    ground_code, ground_label, ground_reference, reason, details, content_hash)
SELECT g, ts, req, ip::inet, uid, uname, aname, org, orgname, unit, fn, action, 'allowed',
    'people.child', child, child, 'own_matter', 'Eget ärende: ' || orgname,
    'SoL 26 kap. 1 §', reason, details::jsonb,
    encode(sha256(convert_to(
        '{"action":"' || action || '","actor_function":"' || fn || '","actor_name":"' || aname
        || '","actor_organisation_id":' || org || ',"actor_organisation_name":"' || orgname
        || '","actor_unit_name":"' || unit || '","actor_user_id":' || uid
        || ',"actor_username":"' || uname || '","details":' || details
        || ',"ground_code":"own_matter","ground_label":"Eget ärende: ' || orgname
        || '","ground_reference":"SoL 26 kap. 1 §","ip_address":'
        || COALESCE('"' || ip || '"', 'null') || ',"occurred_at":"'
        || to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
        || '","outcome":"allowed","reason":"' || replace(reason, '"', '\\"')
        || '","request_id":"' || req || '","resource_id":"' || child
        || '","resource_type":"people.child","subject_id":"' || child || '"}', 'UTF8')), 'hex')
FROM named
"""


def load(n: int, months: int, witness_path: Path, chunk: int = 1_000_000) -> float:
    """Bulk-load N rows over ``months`` months ending now, link them (computing every
    link in Python) and write a witness entry every 500 links. Secondary indexes are
    dropped during the load and built afterwards, as one would for a bulk import.
    Returns seconds."""
    import psycopg
    from django.conf import settings
    from django.db import connection

    from samverkan.audit import hashing, partitions

    started = time.perf_counter()
    end = datetime.datetime.now(UTC) - datetime.timedelta(minutes=5)
    start = end - datetime.timedelta(days=30.4 * months)
    partitions.ensure(starts=start, ends=end)
    db = settings.DATABASES["default"]
    dsn = f"dbname={db['NAME']} host={db['HOST']} port={db['PORT'] or 5432} user={db['USER']}"
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT indexname, indexdef FROM pg_indexes i
               JOIN pg_class c ON c.relname = i.indexname JOIN pg_index x ON x.indexrelid = c.oid
               WHERE tablename = 'audit_auditevent' AND NOT x.indisunique"""
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        step = (end - start) / n
        for first in range(1, n + 1, chunk):
            last = min(n, first + chunk - 1)
            cursor.execute(
                _ROWS_SQL,
                {
                    "start": start,
                    "step": step,
                    "children": max(1, n // 10),
                    "first": first,
                    "last": last,
                },
            )
            print(f"   rows {last:,} ({time.perf_counter() - started:.0f} s)", flush=True)
    prev = hashing.GENESIS_HASH
    sealed_at = datetime.datetime.now(UTC).isoformat()
    seal_sql = (
        "COPY audit_auditseal (seq, event_id, event_occurred_at, prev_hash, chain_hash, "
        "sealed_at) FROM STDIN"
    )
    source = _copy_lines(
        dsn,
        "SELECT id, content_hash, to_char(occurred_at AT TIME ZONE 'UTC', "
        '\'YYYY-MM-DD"T"HH24:MI:SS.US"Z"\') FROM audit_auditevent ORDER BY id',
    )
    with psycopg.connect(dsn) as seals, witness_path.open("w") as witness:
        seals.execute("SET session_replication_role = replica")  # consistent by construction
        lines = []
        for number, block in enumerate(source, start=1):
            event_id, content, at = block.decode().split("\t")
            link = hashing.chain_hash(prev, number, int(event_id), content)
            lines.append(f"{number}\t{event_id}\t{at}\t{prev}\t{link}\t{sealed_at}")
            prev = link
            if number % 500 == 0 or number == n:
                entry = {"kind": "head", "seq": number, "hash": link, "at": sealed_at}
                witness.write(f"samverkan-audit-witness {json.dumps(entry)}\n")
            if len(lines) >= 200_000 or number == n:
                with seals.cursor() as cur, cur.copy(seal_sql) as copy:
                    copy.write("\n".join(lines) + "\n")
                lines = []
        seals.commit()
    print(f"   links ({time.perf_counter() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        for _, definition in indexes:
            # pg_indexes shows a partitioned table's index as "ON ONLY parent": build
            # it on every partition.
            cursor.execute(definition.replace(" ON ONLY ", " ON "))
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('audit_auditevent', 'id'), {n})")
        cursor.execute("ANALYZE audit_auditevent")
        cursor.execute("ANALYZE audit_auditseal")
    print(f"   indexes ({time.perf_counter() - started:.0f} s)", flush=True)
    return time.perf_counter() - started


def _copy_lines(dsn: str, sql: str):
    """The lines of ``COPY (sql) TO STDOUT`` (without the newline), streamed."""
    import psycopg

    with (
        psycopg.connect(dsn) as conn,
        conn.cursor() as cur,
        cur.copy(f"COPY ({sql}) TO STDOUT") as copy,
    ):
        rest = b""
        for data in copy:
            lines = (rest + bytes(data)).split(b"\n")
            rest = lines.pop()
            yield from lines


def _dsn() -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    return f"dbname={db['NAME']} host={db['HOST']} port={db['PORT'] or 5432} user={db['USER']}"


def _joined(segment) -> str:
    return f'"{segment.seal_table}" s FULL JOIN "{segment.event_table}" e ON e.id = s.event_id'


def floor_count() -> tuple[int, float]:
    """Floor (a): PostgreSQL reads the rows verify reads (each month's events joined
    with its links) and only counts them, one month after the other."""
    from django.db import connection

    from samverkan.audit import partitions

    total = 0
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for segment in partitions.segments():
            cursor.execute(f"SELECT count(*) FROM {_joined(segment)}")  # noqa: S608
            total += cursor.fetchone()[0]
    return total, time.perf_counter() - started


def floor_copy() -> tuple[int, float]:
    """Floor (b): the same rows' hashed fields streamed to Python with COPY (the way
    verify read them before it became set-based), not hashed."""
    from samverkan.audit import partitions

    columns = "s.seq, s.prev_hash, s.chain_hash, e.*"
    total = 0
    started = time.perf_counter()
    for segment in partitions.segments():
        for _line in _copy_lines(_dsn(), f"SELECT {columns} FROM {_joined(segment)}"):  # noqa: S608
            total += 1
    return total, time.perf_counter() - started


def run_verify(workers: int, witness_path: Path) -> dict:
    """In a fresh process, so that its peak RSS is verify's own."""
    import subprocess

    out = subprocess.run(  # noqa: S603 - this script, with its own arguments
        [sys.executable, __file__, "--verify-only", str(workers), str(witness_path)],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def verify_only(workers: int, witness_path: Path) -> dict:
    import django

    django.setup()
    from samverkan.audit import verify, witness

    started = time.perf_counter()
    result = verify.chain_verify(workers=workers, witnesses=[witness.FileWitness(witness_path)])
    seconds = time.perf_counter() - started
    own, children = peak_rss_mib()
    return {
        "workers": workers,
        "ok": result.ok,
        "problems": [p.message for p in result.problems[:5]],
        "rows": result.rows,
        "links": result.checked,
        "slow_path": result.slow,
        "segments": result.segments,
        "witnessed_seq": result.witnessed_seq,
        "seconds": round(seconds, 2),
        "rows_per_s": round(result.checked / seconds),
        "peak_rss_mib": round(own, 1),
        "peak_rss_workers_mib": round(children, 1),
    }


def insert_rate(threads: int, seconds: float) -> dict:
    from django.db import connection, transaction

    from samverkan.audit import services

    stop = threading.Event()
    counts = [0] * threads
    latencies: list[float] = []

    def writer(index):
        actor = BenchActor(user_id=index, username=f"bench{index}", display_name="Bench")
        i = 0
        while not stop.is_set():
            t = time.perf_counter()
            with transaction.atomic():
                services.event_record(
                    actor=actor,
                    action="read",
                    resource_type="people.child",
                    resource_id=str(i),
                    subject_id=f"c-{i % 5000:05d}",
                )
            latencies.append(time.perf_counter() - t)
            counts[index] += 1
            i += 1
        connection.close()

    pool = [threading.Thread(target=writer, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in pool:
        thread.join()
    latencies.sort()
    return {
        "threads": threads,
        "rows_per_s": round(sum(counts) / seconds),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 2),
        "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 2),
    }


def sealer(backlog: int) -> dict:
    from django.db import transaction

    from samverkan.audit import services

    rows_left = backlog
    while rows_left:
        size = min(rows_left, 5000)
        services.events_record(
            [
                {
                    "actor": None,
                    "action": "read",
                    "resource_type": "people.child",
                    "resource_id": str(i),
                }
                for i in range(size)
            ]
        )
        rows_left -= size
    started = time.perf_counter()
    sealed = services.seal_pending()
    seconds = time.perf_counter() - started
    idle = []
    for _ in range(5):
        t = time.perf_counter()
        with transaction.atomic():
            services._pending_ids(services.AuditSeal.objects.order_by("-seq").first().event_id, 500)
        idle.append((time.perf_counter() - t) * 1000)
    return {
        "backlog": sealed,
        "seconds": round(seconds, 2),
        "rows_per_s": round(sealed / seconds),
        "idle_poll_ms": round(statistics.median(idle), 1),
    }


def loggkontroll(n: int, samples: int = 50) -> dict:
    from django.db import connection

    from samverkan.audit.models import AuditEvent

    with connection.cursor() as cursor:  # children and organisations that are in the log
        cursor.execute(
            "SELECT subject_id, actor_organisation_id FROM audit_auditevent "
            "TABLESAMPLE SYSTEM (1) LIMIT %s",
            [samples],
        )
        picks = cursor.fetchall()
    times = []
    found = 0
    for child, org in picks:
        t = time.perf_counter()
        result = list(
            AuditEvent.objects.filter(actor_organisation_id=org, subject_id=child).order_by(
                "-occurred_at"
            )[:1000]
        )
        times.append((time.perf_counter() - t) * 1000)
        found += len(result)
    times.sort()
    child, org = picks[0]
    query = AuditEvent.objects.filter(actor_organisation_id=org, subject_id=child).order_by(
        "-occurred_at"
    )[:1000]
    plan = query.explain(analyze=True)
    return {
        "plan": plan.splitlines()[:6] + plan.splitlines()[-3:],
        "samples": len(picks),
        "rows_found": found,
        "p50_ms": round(times[len(times) // 2], 1),
        "p95_ms": round(times[int(len(times) * 0.95)], 1),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--insert-seconds", type=float, default=10)
    parser.add_argument("--backlog", type=int, default=50_000)
    parser.add_argument("--json", default="")
    parser.add_argument("--max-seconds", type=float, default=7200)
    parser.add_argument(
        "--verify-alone",
        action="store_true",
        help="verify and its floors only (no insert, sealer, loggkontroll)",
    )
    parser.add_argument("--verify-only", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.verify_only:  # the child process of run_verify
        print(json.dumps(verify_only(int(args.verify_only[0]), Path(args.verify_only[1]))))
        return 0
    db = BenchDatabase(args.database_url)
    if db.vendor != "postgresql":
        raise SystemExit("This benchmark measures PostgreSQL (partitions, COPY).")
    os.environ["DATABASE_URL"] = db.url
    os.environ["DJANGO_SETTINGS_MODULE"] = "samverkan.config.settings.test"
    os.environ.setdefault("SAMVERKAN_LOG_LEVEL", "WARNING")

    def watchdog():
        print(f"!! time limit of {args.max_seconds:.0f}s reached; dropping", file=sys.stderr)
        db.drop()
        os._exit(3)

    timer = threading.Timer(args.max_seconds, watchdog)
    timer.daemon = True
    timer.start()
    results: dict = {"args": vars(args)}
    db.create()
    try:
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0, interactive=False)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            results["machine"] = {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "database": "PostgreSQL " + cursor.fetchone()[0],
                "loadavg_start": [round(x, 2) for x in os.getloadavg()],
            }
        with tempfile.TemporaryDirectory(prefix="samverkan-bench-witness-") as tmp:
            witness_path = Path(tmp) / "chain.log"
            print(f"== loading {args.rows:,} rows over {args.months} months", flush=True)
            seconds = load(args.rows, args.months, witness_path)
            results["load"] = {"rows": args.rows, "seconds": round(seconds, 1)}
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_database_size(current_database())")
                results["load"]["database_gib"] = round(cursor.fetchone()[0] / 2**30, 2)
            connection.close()
            results["verify"] = []
            for workers in sorted({1, args.workers}):
                outcome = run_verify(workers, witness_path)
                results["verify"].append(outcome)
                print(f"   verify: {outcome}", flush=True)
            n, s = floor_count()
            results["floor_count"] = {"rows": n, "seconds": round(s, 2), "rows_per_s": round(n / s)}
            print(
                f"   floor (a) SELECT count(*) of the joined rows: {n / s:,.0f} rows/s", flush=True
            )
            n, s = floor_copy()
            results["floor_copy"] = {"rows": n, "seconds": round(s, 2), "rows_per_s": round(n / s)}
            print(f"   floor (b) COPY of the rows to Python: {n / s:,.0f} rows/s", flush=True)
            if not args.verify_alone:
                results["insert"] = insert_rate(args.threads, args.insert_seconds)
                print(f"   insert: {results['insert']}", flush=True)
                results["sealer"] = sealer(args.backlog)
                print(f"   sealer: {results['sealer']}", flush=True)
                results["loggkontroll"] = loggkontroll(args.rows)
                print(f"   loggkontroll per child: {results['loggkontroll']}", flush=True)
            results["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
        connection.close()
    finally:
        db.drop()
        timer.cancel()
    print(json.dumps(results, indent=2, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0 if all(v["ok"] for v in results.get("verify", [])) else 1


if __name__ == "__main__":
    sys.exit(main())

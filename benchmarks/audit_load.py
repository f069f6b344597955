"""Audit throughput benchmark: how fast can requests write audit rows, and does the
sealer keep up?

Every read of personal data writes an audit row, so ``event_record`` is the hottest
write path of the product. This script builds a fresh database of its own, migrates it
and measures, under concurrent load:

  (a) audit rows inserted per second by 1, 4, 8 and 16 writer threads, each row written
      by ``event_record`` inside ``transaction.atomic`` (one row per transaction, as a
      request that shows one child does);
  (b) the same while a sealer thread runs ``seal_pending()`` continuously, with the
      largest backlog it let build up and how long it needed to catch up;
  (c) the sealer's own rate on a backlog (default 50 000 rows);
  (d) the rate of ``chain_verify()`` over the whole chain;
  (e) p50/p95/p99 latency of one insert (the whole transaction, commit included);
  (f) peak memory (RSS) of the process.

Usage (from the repository root):

    uv run python benchmarks/audit_load.py                      # SQLite, temp file
    uv run python benchmarks/audit_load.py \\
        --database-url postgresql://postgres@127.0.0.1:5432/postgres
    uv run python benchmarks/audit_load.py --threads 1,4 --seconds 3 --backlog 10000

For PostgreSQL the URL names the server and a maintenance database to connect to; the
script creates a uniquely named database ``samverkan_bench_*`` there and drops it when
it is done (also on Ctrl-C or on its time limit). Only 127.0.0.1 / localhost / ::1
are accepted. For SQLite it uses a file in a temporary directory (an in-memory database
is not shared between threads). The whole run stops by itself after ``--max-seconds``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


# --------------------------------------------------------------------------- database


class BenchDatabase:
    """A throw-away database: created before Django is set up, dropped at the end."""

    def __init__(self, url: str | None):
        self.vendor = "sqlite"
        self.url = ""
        self._tmpdir: tempfile.TemporaryDirectory | None = None
        self._admin_url = ""
        self.name = ""
        if url in (None, "", "sqlite"):
            self._tmpdir = tempfile.TemporaryDirectory(prefix="samverkan-bench-")
            path = Path(self._tmpdir.name) / "bench.sqlite3"
            self.url = f"sqlite:///{path}"
            self.name = str(path)
            return
        if url in ("postgres", "postgresql", "pg"):
            url = DEFAULT_PG_URL
        parts = urlsplit(url)
        if parts.scheme.startswith("sqlite"):
            raise SystemExit("For SQLite, pass no --database-url (a temp file is used).")
        if not parts.scheme.startswith("postgres"):
            raise SystemExit(f"Unsupported database URL scheme {parts.scheme!r}.")
        if (parts.hostname or "") not in LOCAL_HOSTS:
            raise SystemExit(
                f"Refusing to benchmark against {parts.hostname!r}: only a local server "
                "(127.0.0.1) is allowed."
            )
        self.vendor = "postgresql"
        self._admin_url = url
        self.name = f"samverkan_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        self.url = urlunsplit(parts._replace(path=f"/{self.name}"))

    def create(self) -> None:
        if self.vendor != "postgresql":
            return
        import psycopg

        with psycopg.connect(self._admin_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        if self.vendor == "postgresql" and self.name:
            import psycopg

            try:
                with psycopg.connect(self._admin_url, autocommit=True, connect_timeout=5) as c:
                    c.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            except Exception as exc:  # report, never hide a left-over database
                print(f"!! could not drop database {self.name}: {exc}", file=sys.stderr)
            self.name = ""
        if self._tmpdir is not None:
            self._tmpdir.cleanup()
            self._tmpdir = None


# --------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class BenchActor:
    """Satisfies samverkan.audit.services.AuditActor, like a logged-in social worker."""

    user_id: int
    username: str
    display_name: str
    organisation_id: int = 1
    organisation_name: str = "Exempelkommun socialtjänst"
    unit_name: str = "Barn och unga, mottagning"
    function_name: str = "Socialsekreterare"


def rss_kib() -> tuple[int, int]:
    """(current RSS, peak RSS) of this process in KiB."""
    current = peak = 0
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                current = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1])
    except OSError:
        pass
    peak = max(peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return current, peak


def percentile(sorted_values: list[float], pct: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(pct / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


@dataclass
class PhaseResult:
    name: str
    threads: int
    seconds: float
    rows: int
    errors: int
    latencies_ms: list[float] = field(repr=False, default_factory=list)
    sealed: int = 0
    max_backlog: int = 0
    backlog_at_stop: int = 0
    drain_seconds: float = 0.0
    seal_calls: int = 0
    sealer_busy: float = 0.0  # share of the load window the sealer spent in seal_pending
    client_cpu: float = 0.0  # CPU time of this process / wall time (1.0 = one core)

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def summary(self) -> dict:
        lat = sorted(self.latencies_ms)
        return {
            "name": self.name,
            "threads": self.threads,
            "seconds": round(self.seconds, 3),
            "rows": self.rows,
            "errors": self.errors,
            "rows_per_s": round(self.rate, 1),
            "p50_ms": round(percentile(lat, 50), 3),
            "p95_ms": round(percentile(lat, 95), 3),
            "p99_ms": round(percentile(lat, 99), 3),
            "max_ms": round(lat[-1], 3) if lat else None,
            "sealed": self.sealed,
            "max_backlog": self.max_backlog,
            "backlog_at_stop": self.backlog_at_stop,
            "drain_seconds": round(self.drain_seconds, 3),
            "seal_calls": self.seal_calls,
            "sealer_busy": round(self.sealer_busy, 3),
            "client_cpu": round(self.client_cpu, 3),
        }


# --------------------------------------------------------------------------- the load


class Bench:
    def __init__(self, args):
        self.args = args
        self.stop_all = threading.Event()  # set by the watchdog
        self.errors_seen: list[str] = []

    # Django is imported lazily: DATABASE_URL must be set before settings load.
    def setup_django(self) -> None:
        import django
        from django.core.management import call_command

        django.setup()
        from django.db import connection

        call_command("migrate", verbosity=0, interactive=False)
        self.vendor = connection.vendor
        self.server_version = ""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SHOW server_version")
                self.server_version = "PostgreSQL " + cursor.fetchone()[0]
            else:
                cursor.execute("select sqlite_version()")
                self.server_version = "SQLite " + cursor.fetchone()[0]
        connection.close()

    def _insert_one(self, actor, i: int) -> None:
        from django.db import transaction

        from samverkan.audit import services
        from samverkan.core import request_context

        token = request_context.activate(
            request_context.RequestContext(request_id=uuid.uuid4().hex, ip_address="127.0.0.1")
        )
        try:
            with transaction.atomic():
                services.event_record(
                    actor=actor,
                    action="read",
                    resource_type="people.child",
                    resource_id=str(i),
                    subject_id=f"c-{i % 5000:05d}",
                    ground=services.Ground(
                        code="own_matter",
                        label="Eget ärende: Exempelkommun socialtjänst",
                        reference="SoL 26 kap. 1 §",
                    ),
                    reason="",
                    details={"view": "child_detail"},
                )
        finally:
            request_context.deactivate(token)

    def _writer(self, index, barrier, state, committed, latencies, errors) -> None:
        from django.db import connection

        actor = BenchActor(user_id=1000 + index, username=f"bench{index}", display_name="B")
        i = 0
        try:
            barrier.wait()
            while not state["stop"].is_set() and not self.stop_all.is_set():
                t0 = time.perf_counter()
                try:
                    self._insert_one(actor, index * 10_000_000 + i)
                except Exception as exc:
                    errors[index] += 1
                    if len(self.errors_seen) < 5:
                        self.errors_seen.append(f"writer: {exc!r}")
                    continue
                latencies.append((time.perf_counter() - t0) * 1000)
                committed[index] += 1
                i += 1
        finally:
            connection.close()

    def _sealer(self, state, counters) -> None:
        from django.db import connection

        from samverkan.audit import services

        try:
            while not state["sealer_stop"].is_set() and not self.stop_all.is_set():
                t0 = time.perf_counter()
                try:
                    sealed = services.seal_pending()
                except Exception as exc:
                    counters["errors"] += 1
                    if len(self.errors_seen) < 5:
                        self.errors_seen.append(f"sealer: {exc!r}")
                    time.sleep(0.01)
                    continue
                counters["busy"] += time.perf_counter() - t0
                counters["calls"] += 1
                counters["sealed"] += sealed
                if self.args.seal_interval > 0:
                    # like `samverkan audit seal --loop --interval N`
                    state["sealer_stop"].wait(self.args.seal_interval)
                elif not sealed:
                    state["sealer_stop"].wait(self.args.seal_idle)
        finally:
            connection.close()

    def run_writers(self, name: str, threads: int, seconds: float, *, sealer: bool) -> PhaseResult:
        state = {"stop": threading.Event(), "sealer_stop": threading.Event()}
        committed = [0] * threads
        errors = [0] * threads
        latencies: list[float] = []  # list.append is atomic under the GIL
        seal_counters = {"sealed": 0, "calls": 0, "errors": 0, "busy": 0.0}
        barrier = threading.Barrier(threads + 1)
        workers = [
            threading.Thread(
                target=self._writer,
                args=(n, barrier, state, committed, latencies, errors),
                daemon=True,
            )
            for n in range(threads)
        ]
        sealer_thread = None
        if sealer:
            sealer_thread = threading.Thread(
                target=self._sealer, args=(state, seal_counters), daemon=True
            )
        for worker in workers:
            worker.start()
        barrier.wait()
        started = time.perf_counter()
        cpu_started = time.process_time()
        if sealer_thread:
            sealer_thread.start()
        max_backlog = 0
        deadline = started + seconds
        while time.perf_counter() < deadline and not self.stop_all.is_set():
            time.sleep(min(0.1, max(0.0, deadline - time.perf_counter())))
            max_backlog = max(max_backlog, sum(committed) - seal_counters["sealed"])
        state["stop"].set()
        busy_at_stop = seal_counters["busy"]
        for worker in workers:
            worker.join(timeout=30)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        result = PhaseResult(
            name=name,
            threads=threads,
            seconds=elapsed,
            rows=sum(committed),
            errors=sum(errors) + seal_counters["errors"],
            latencies_ms=latencies,
            client_cpu=cpu / elapsed if elapsed else 0.0,
            sealer_busy=busy_at_stop / elapsed if elapsed else 0.0,
        )
        if sealer_thread:
            stop_time = time.perf_counter()
            result.backlog_at_stop = result.rows - seal_counters["sealed"]
            drain_deadline = stop_time + self.args.drain_seconds
            while (
                seal_counters["sealed"] < result.rows
                and time.perf_counter() < drain_deadline
                and not self.stop_all.is_set()
            ):
                time.sleep(0.01)
            result.drain_seconds = time.perf_counter() - stop_time
            state["sealer_stop"].set()
            sealer_thread.join(timeout=60)
            result.sealed = seal_counters["sealed"]
            result.max_backlog = max(max_backlog, result.backlog_at_stop)
            result.seal_calls = seal_counters["calls"]
        return result

    # ----------------------------------------------------------------- single-thread parts

    def seal_all(self) -> tuple[int, float]:
        from django.db import connection

        from samverkan.audit import services

        t0 = time.perf_counter()
        sealed = services.seal_pending()
        elapsed = time.perf_counter() - t0
        connection.close()
        return sealed, elapsed

    def make_backlog(self, rows: int) -> float:
        """Insert ``rows`` unsealed rows quickly (bulk, as list views do)."""
        from django.db import transaction

        from samverkan.audit import services

        actor = BenchActor(user_id=99, username="backlog", display_name="Backlog")
        t0 = time.perf_counter()
        done = 0
        while done < rows and not self.stop_all.is_set():
            n = min(1000, rows - done)
            with transaction.atomic():
                services.events_record(
                    [
                        {
                            "actor": actor,
                            "action": "read",
                            "resource_type": "people.child",
                            "resource_id": str(done + k),
                            "subject_id": f"c-{(done + k) % 5000:05d}",
                            "details": {"view": "child_list"},
                        }
                        for k in range(n)
                    ]
                )
            done += n
        return time.perf_counter() - t0

    def pending_query_ms(self, repeats: int = 5) -> float:
        """Cost of one idle poll of the sealer (nothing pending): the pending-row query."""
        from django.db import transaction

        from samverkan.audit import services
        from samverkan.audit.models import AuditSeal

        last = AuditSeal.objects.order_by("-seq").first()
        after = last.event_id if last else 0
        best = float("inf")
        for _ in range(repeats):
            with transaction.atomic():
                t0 = time.perf_counter()
                services._pending_ids(after, 500)  # private on purpose: measured
                best = min(best, time.perf_counter() - t0)
        return best * 1000

    def verify(self):
        from samverkan.audit import services

        t0 = time.perf_counter()
        result = services.chain_verify()
        return result, time.perf_counter() - t0

    def grow_sealed(self, target_rows: int) -> None:
        """Pad the log with synthetic, already sealed rows up to ``target_rows`` (fast,
        in SQL; the padding is not a valid chain, so this runs after the verify)."""
        from django.db import connection, transaction
        from django.db.models import Max

        from samverkan.audit.models import AuditEvent, AuditSeal

        first_id = (AuditEvent.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        first_seq = (AuditSeal.objects.aggregate(m=Max("seq"))["m"] or 0) + 1
        count = target_rows - AuditEvent.objects.count()
        if count <= 0:
            return
        if connection.vendor == "postgresql":
            series = "SELECT g AS x FROM generate_series(1, %s) g"
            now = "now()"
        else:
            series = (
                "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < %s) "
                "SELECT x FROM s"
            )
            now = "'2026-01-01 00:00:00'"
        # Only constant fragments are put into the SQL text; the numbers are parameters.
        events_sql = (
            "INSERT INTO audit_auditevent (id, occurred_at, request_id, actor_username, "  # noqa: S608
            "actor_name, actor_organisation_name, actor_unit_name, actor_function, action, "
            "outcome, resource_type, resource_id, subject_id, ground_code, ground_label, "
            "ground_reference, reason, details, content_hash) "
            f"SELECT %s + x, {now}, 'pad', 'pad', '', '', '', '', 'read', "
            "'allowed', 'people.child', '', '', '', '', '', '', '{}', 'pad' "
            f"FROM ({series}) AS t"
        )
        seals_sql = (
            "INSERT INTO audit_auditseal (seq, event_id, prev_hash, chain_hash, sealed_at) "  # noqa: S608
            f"SELECT %s + x, %s + x, 'pad', 'pad', {now} FROM ({series}) AS t"
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(events_sql, [first_id - 1, count])
            cursor.execute(seals_sql, [first_seq - 1, first_id - 1, count])
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def counts(self) -> tuple[int, int]:
        from samverkan.audit.models import AuditEvent, AuditSeal

        return AuditEvent.objects.count(), AuditSeal.objects.count()


# --------------------------------------------------------------------------- main


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=None,
        help=f"PostgreSQL server URL on 127.0.0.1 (e.g. {DEFAULT_PG_URL}, or just "
        "'postgres'); default: SQLite in a temp file",
    )
    parser.add_argument(
        "--threads", default="1,4,8,16", help="writer thread counts, comma separated"
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per load phase")
    parser.add_argument("--backlog", type=int, default=50_000, help="rows for the sealer test")
    parser.add_argument(
        "--seal-idle", type=float, default=0.05, help="sealer sleep when nothing is pending"
    )
    parser.add_argument(
        "--seal-interval",
        type=float,
        default=0.0,
        help="sealer sleep after every seal_pending() call in (b); 0 = run continuously "
        "(the default); 2 = like `samverkan audit seal --loop`",
    )
    parser.add_argument(
        "--drain-seconds", type=float, default=60.0, help="max wait for the sealer to catch up"
    )
    parser.add_argument(
        "--max-seconds", type=float, default=900.0, help="hard time limit of the whole run"
    )
    parser.add_argument(
        "--poll-at",
        default="",
        help="also time the sealer's idle poll after padding the log to these sizes "
        "(comma separated, e.g. 1000000,3000000)",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write results here")
    args = parser.parse_args(argv)
    args.thread_counts = [int(t) for t in args.threads.split(",") if t.strip()]
    args.poll_at = sorted(int(n) for n in args.poll_at.split(",") if n.strip())
    if not args.thread_counts or min(args.thread_counts) < 1:
        parser.error("--threads needs positive integers")
    return args


def fmt_row(cells, widths):
    return "  ".join(str(c).rjust(w) for c, w in zip(cells, widths, strict=True))


def main(argv=None) -> int:
    args = parse_args(argv)
    db = BenchDatabase(args.database_url)
    os.environ["DATABASE_URL"] = db.url
    os.environ["DJANGO_SETTINGS_MODULE"] = "samverkan.config.settings.test"
    os.environ.setdefault("SAMVERKAN_LOG_LEVEL", "WARNING")
    bench = Bench(args)

    def watchdog():
        print(f"!! time limit of {args.max_seconds:.0f}s reached, stopping", file=sys.stderr)
        bench.stop_all.set()
        time.sleep(30)
        print("!! threads did not stop; dropping the database and exiting", file=sys.stderr)
        db.drop()
        os._exit(3)

    timer = threading.Timer(args.max_seconds, watchdog)
    timer.daemon = True
    results: dict = {"phases": []}
    run_started = time.perf_counter()
    db.create()
    try:
        timer.start()
        bench.setup_django()
        from django.db import connection

        results["machine"] = {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "database": bench.server_version,
            "seal_interval": args.seal_interval,
            "loadavg_start": [round(x, 2) for x in os.getloadavg()],
        }
        print(
            f"Audit load benchmark: {bench.server_version}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, {args.seconds:g}s per phase, sealer "
            + (f"every {args.seal_interval:g}s" if args.seal_interval else "continuous")
        )
        # Warm-up: connections, imports, caches; not reported.
        bench.run_writers("warm-up", 2, min(1.0, args.seconds), sealer=False)
        bench.seal_all()

        # (a) writers only
        for threads in args.thread_counts:
            if bench.stop_all.is_set():
                break
            res = bench.run_writers("insert", threads, args.seconds, sealer=False)
            results["phases"].append(res.summary())
            print(f"  (a) {threads:>2} writers: {res.rate:8.0f} rows/s  ({res.rows} rows)")
        sealed, secs = bench.seal_all()
        results["seal_after_a"] = {"rows": sealed, "seconds": round(secs, 3)}

        # (b) writers + a sealer
        for threads in args.thread_counts:
            if bench.stop_all.is_set():
                break
            res = bench.run_writers("insert+sealer", threads, args.seconds, sealer=True)
            results["phases"].append(res.summary())
            print(
                f"  (b) {threads:>2} writers + sealer: {res.rate:8.0f} rows/s, "
                f"max backlog {res.max_backlog}, caught up {res.drain_seconds:.2f}s after stop"
            )
        bench.seal_all()

        # (c) sealer on a backlog
        table_before, _ = bench.counts()
        idle_poll_ms = bench.pending_query_ms()
        backlog_secs = bench.make_backlog(args.backlog)
        sealed, seal_secs = bench.seal_all()
        results["sealer"] = {
            "backlog": args.backlog,
            "table_rows_before": table_before,
            "backlog_insert_seconds": round(backlog_secs, 3),
            "bulk_insert_rows_per_s": round(args.backlog / backlog_secs, 1) if backlog_secs else 0,
            "sealed": sealed,
            "seconds": round(seal_secs, 3),
            "rows_per_s": round(sealed / seal_secs, 1) if seal_secs else 0,
            "idle_poll_ms": round(idle_poll_ms, 2),
        }
        print(f"  (c) sealer: {sealed} rows in {seal_secs:.2f}s")
        results["sealer"]["idle_poll_ms_after"] = round(bench.pending_query_ms(), 2)

        # (d) verify
        verify, verify_secs = bench.verify()
        results["verify"] = {
            "rows": verify.checked,
            "seconds": round(verify_secs, 3),
            "rows_per_s": round(verify.checked / verify_secs, 1) if verify_secs else 0,
            "ok": verify.ok,
            "unsealed": verify.unsealed,
        }
        print(f"  (d) verify: {verify.checked} rows in {verify_secs:.2f}s, ok={verify.ok}")
        events, seals = bench.counts()
        results["final_counts"] = {"events": events, "seals": seals}

        # (g) optional: the sealer's idle poll on a larger log (synthetic sealed rows)
        results["poll_at_size"] = []
        for size in args.poll_at:
            if bench.stop_all.is_set():
                break
            bench.grow_sealed(size)
            rows, _ = bench.counts()
            poll_ms = bench.pending_query_ms()
            results["poll_at_size"].append({"rows": rows, "idle_poll_ms": round(poll_ms, 2)})
            print(f"  (g) idle sealer poll at {rows} rows: {poll_ms:.1f} ms")
        connection.close()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        bench.stop_all.set()
        return 130
    finally:
        timer.cancel()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - best effort before dropping
            pass
        db.drop()

    current, peak = rss_kib()
    results["memory"] = {"rss_kib": current, "peak_rss_kib": peak}
    results["total_seconds"] = round(time.perf_counter() - run_started, 1)
    results.setdefault("machine", {})["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    results["errors"] = bench.errors_seen
    print_report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    complete = not bench.stop_all.is_set() and results.get("verify", {}).get("ok")
    return 0 if complete else 1


def print_report(results: dict) -> None:
    machine = results.get("machine", {})
    print()
    print(
        f"== {machine.get('database', '?')} | {machine.get('cpus')} CPUs | "
        f"Python {machine.get('python')} =="
    )
    headers = [
        "phase",
        "threads",
        "rows/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "errors",
        "client cpu",
        "max backlog",
        "catch-up s",
        "sealer busy",
    ]
    widths = [14, 7, 7, 7, 7, 7, 8, 6, 10, 11, 10, 11]
    print(fmt_row(headers, widths))
    for p in results["phases"]:
        sealer = p["name"] == "insert+sealer"
        print(
            fmt_row(
                [
                    p["name"],
                    p["threads"],
                    f"{p['rows_per_s']:.0f}",
                    f"{p['p50_ms']:.2f}",
                    f"{p['p95_ms']:.2f}",
                    f"{p['p99_ms']:.2f}",
                    f"{p['max_ms']:.1f}" if p["max_ms"] is not None else "-",
                    p["errors"],
                    f"{p['client_cpu']:.0%}",
                    p["max_backlog"] if sealer else "-",
                    f"{p['drain_seconds']:.2f}" if sealer else "-",
                    f"{p['sealer_busy']:.0%}" if sealer else "-",
                ],
                widths,
            )
        )
    print(
        "client cpu = CPU time of this Python process / wall time (100% = one core); "
        "sealer busy = share of the phase spent inside seal_pending()"
    )
    s = results.get("sealer")
    if s:
        print(
            f"sealer (c): {s['sealed']} rows sealed in {s['seconds']:.2f}s = "
            f"{s['rows_per_s']:.0f} rows/s (table had {s['table_rows_before']} rows before "
            f"the backlog; bulk insert of the backlog {s['bulk_insert_rows_per_s']:.0f} rows/s)"
        )
        print(
            f"idle sealer poll (pending-row query, nothing pending): "
            f"{s['idle_poll_ms']:.1f} ms at {s['table_rows_before']} rows, "
            f"{s['idle_poll_ms_after']:.1f} ms after the backlog"
        )
    v = results.get("verify")
    if v:
        print(
            f"verify (d): {v['rows']} rows in {v['seconds']:.2f}s = {v['rows_per_s']:.0f} "
            f"rows/s, chain ok={v['ok']}, unsealed={v['unsealed']}"
        )
    for p in results.get("poll_at_size", []):
        print(f"idle sealer poll at {p['rows']} rows (padded): {p['idle_poll_ms']:.1f} ms")
    m = results["memory"]
    print(f"memory (f): peak RSS {m['peak_rss_kib'] / 1024:.0f} MiB")
    print(
        f"total run time {results['total_seconds']:.0f}s; load average (1, 5, 15 min) "
        f"at start {machine.get('loadavg_start')}, at end {machine.get('loadavg_end')} "
        "(anything above 0 is other work sharing the CPUs)"
    )
    for err in results["errors"]:
        print(f"  error sample: {err}")


if __name__ == "__main__":
    sys.exit(main())

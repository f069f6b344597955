"""Profile the runner's pages in one process, as production serves them (decision 0359).

    uv run python benchmarks/profile_pages.py \
        --database-url postgresql://postgres@127.0.0.1:5432/samverkan_bench_2000 \
        --pages "child overview,consent panel" --rounds 200

The world is built first with ``benchmarks/world.py``. With the production settings
(collected static files, the cached template loader, JSON logs at WARNING) and the
runner's logged-in sessions (second factor passed), each page is requested through
Django's full handler (middleware, context processors, templates, the audit write),
warmed up first, then timed ``--rounds`` times beside the floor (``/healthz``), and
profiled with ``cProfile`` over as many rounds: the in-process p50 of both, their
ratio, and the functions with the most cumulative and own time. No server and no
sockets: what is printed is the per-request Python and database cost alone.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # benchmarks/run.py: the same pages, users and sessions


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--pages", default="child overview")
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--no-profile", action="store_true", help="time only")
    parser.add_argument("--dump", help="write each page's pstats to this prefix")
    return parser.parse_args(argv)


def setup(url: str, static_root: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "samverkan.config.settings.prod",
            "SAMVERKAN_SECRET_KEY": run.SECRET,
            "SAMVERKAN_STATIC_ROOT": static_root,
            "SAMVERKAN_LOG_LEVEL": "WARNING",
        }
    )
    subprocess.run(
        [sys.executable, "-m", "samverkan", "collectstatic", "--noinput", "-v0"],
        env=os.environ,
        check=True,
        cwd=run.ROOT,
    )
    import django

    django.setup()


def client_for(session_key: str | None):
    """A browser behind the HTTPS proxy; ``None``: without a session (the floor, as the
    runner asks for it)."""
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return client


def call(client, page) -> None:
    post = page.method == "POST"
    response = client.post(page.path, page.data) if post else client.get(page.path)
    if response.status_code != 200:
        raise RuntimeError(f"{page.name}: {response.status_code}")


def timed(fn, rounds: int) -> tuple[float, float]:
    """p50 of the wall time and of this process's CPU time (ms): on a shared machine
    the CPU time is the steadier measure of the Python cost (the database's own work
    is in its processes, not counted)."""
    wall, cpu = [], []
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def main(argv=None) -> int:
    args = parse_args(argv)
    static_root = tempfile.mkdtemp(prefix="samverkan-profile-static-")
    try:
        setup(args.database_url, static_root)
        wanted = [n.strip() for n in args.pages.split(",") if n.strip()]
        targets = [p for p in run.pages() if p.name in wanted]
        keys = run.sessions(sorted({p.user for p in targets}))
        floor = client_for(None)
        for page in targets:
            client = client_for(keys[page.user])
            for _ in range(10):
                call(client, page)
                floor.get("/healthz")
            page_ms, page_cpu = timed(functools.partial(call, client, page), args.rounds)
            floor_ms, floor_cpu = timed(lambda: floor.get("/healthz"), args.rounds)
            print(
                f"\n## {page.name} (in process, {args.rounds} rounds): wall p50 {page_ms:.2f} ms, "
                f"floor {floor_ms:.2f} ms, {page_ms / floor_ms:.1f}×; CPU p50 {page_cpu:.2f} ms, "
                f"floor {floor_cpu:.2f} ms, {page_cpu / floor_cpu:.1f}×",
                flush=True,
            )
            if args.no_profile:
                continue
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.rounds):
                call(client, page)
            profile.disable()
            calls = pstats.Stats(profile).total_calls / args.rounds
            print(f"function calls per request: {calls:,.0f} (deterministic)", flush=True)
            if args.dump:
                profile.dump_stats(f"{args.dump}-{page.name.replace(' ', '_')}.prof")
            for order in ("cumulative", "tottime"):
                out = io.StringIO()
                stats = pstats.Stats(profile, stream=out).strip_dirs().sort_stats(order)
                stats.print_stats(args.top)
                print(f"\n### by {order}\n" + out.getvalue().split("\n\n", 2)[-1], flush=True)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

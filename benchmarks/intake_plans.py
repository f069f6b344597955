"""Every SELECT of the intake dashboard under EXPLAIN (ANALYZE, BUFFERS) (docs/benchmarks.md).

    uv run python benchmarks/intake_plans.py \
        --database-url postgresql://postgres@127.0.0.1:5432/samverkan_bench_20000 [--page 2]

The page is requested in-process as maria (Django's test client), its queries captured,
and each ``SELECT`` run again under ``EXPLAIN (ANALYZE, BUFFERS)`` on PostgreSQL: the
execution time and the shared buffers hit and read, per query and in all.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # the runner's Django setup and sessions


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--page", type=int, default=1)
    parser.add_argument("--plans", action="store_true", help="print each plan in full")
    args = parser.parse_args(argv)
    run.django_setup(args.database_url)

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp.plugins.otp_totp.models import TOTPDevice

    run.sessions(["maria"])
    client = Client(HTTP_HOST="localhost")
    user = get_user_model().objects.get(username="maria")
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=user, name="benchmark").persistent_id
    session.save()
    path = "/anmalan/mottagning/" + (f"?page={args.page}" if args.page > 1 else "")
    client.get(path)  # warm: caches, compiled statements
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path}: {response.status_code}")
    total_ms, total_buffers = 0.0, 0
    with connection.cursor() as cursor:
        for query in ctx.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            ms = float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1))
            top = re.search(r"Buffers: shared ([^\n]*)", plan)
            counted = re.findall(r"(?:hit|read)=(\d+)", top.group(1)) if top else []
            buffers = sum(int(n) for n in counted)
            total_ms += ms
            total_buffers += buffers
            print(f"{ms:8.2f} ms {buffers:7d} buffers  {sql[:110]}")
            if args.plans:
                print(plan, "\n")
    print(f"{total_ms:8.2f} ms {total_buffers:7d} buffers  all the page's SELECTs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Serve a benchmark world as in production and measure its pages (docs/benchmarks.md).

    uv run python benchmarks/run.py \
        --database-url postgresql://postgres@127.0.0.1:5432/samverkan_bench_200000 \
        --label "200 000"

The world is built first with ``benchmarks/world.py``. The runner:

1. collects the static files and starts gunicorn (2 sync workers, the production
   settings, persistent database connections) on 127.0.0.1 only;
2. logs the demo users in by creating their sessions in the database, second factor
   included (a TOTP device marked as verified in the session), so every page is served
   exactly as to a logged-in user over HTTPS behind a proxy (``X-Forwarded-Proto``);
3. for each page: warms it up, then requests it ``--rounds`` times, each time
   followed by the floor (``/healthz``: one JSON view, one single-row query, through
   the same middleware) on the same connection type, and prints p50/p95 of both and
   their ratio; the number of queries of each page is counted in-process (Django test
   client, the development settings) on the same database;
4. throughput, closed loop: ``wrk`` (Debian) with 50 connections for ``--seconds`` on
   the child overview and on the floor, one after the other, and their ratio;
5. latency at a fixed offered rate, open loop: ``loadtest`` (npm, pinned in
   ``benchmarks/loadtool``) sends ``--rates`` requests per second whether or not the
   earlier ones were answered, to the floor and then to the child overview, for
   ``--open-seconds`` each, and prints the rate served and p50/p95/p99 of both. A rate
   the overview does not hold (less than 90 % served, or p95 over a second) ends the
   series: a higher one would only queue for minutes.

Tools: ``apt-get install wrk`` and ``npm ci --prefix benchmarks/loadtool`` (the runner
says so and stops when one is missing).

Everything talks to 127.0.0.1 only and stops by itself (``--max-seconds``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
SECRET = "benchmark-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"  # nosec B105


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--label", default="")
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-seconds", type=int, default=900)
    parser.add_argument(
        "--rates",
        default="25,50,100,200",
        help="offered rates (requests/s) for the open-loop measure, comma-separated",
    )
    parser.add_argument("--open-seconds", type=int, default=10)
    parser.add_argument(
        "--pages",
        default="",
        help="only these pages, comma-separated names as printed (e.g. 'search by name')",
    )
    parser.add_argument(
        "--no-load",
        action="store_true",
        help="pages beside the floor only: no wrk or loadtest (not needed then)",
    )
    parser.add_argument("--json", help="write the results to this file")
    return parser.parse_args(argv)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, url: str, workers: int, static_root: str):
        self.port = free_port()
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "samverkan.config.settings.prod",
            "SAMVERKAN_SECRET_KEY": SECRET,
            "SAMVERKAN_STATIC_ROOT": static_root,
            "SAMVERKAN_LOG_LEVEL": "WARNING",
        }
        self.workers = workers
        self.process = None

    def start(self):
        subprocess.run(
            [sys.executable, "-m", "samverkan", "collectstatic", "--noinput", "-v0"],
            env=self.env,
            check=True,
            cwd=ROOT,
        )
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "samverkan.config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--log-level",
                "warning",
            ],
            env=self.env,
            cwd=ROOT,
            start_new_session=True,
        )
        for _ in range(200):
            try:
                status, _, _ = request(self.port, "GET", "/healthz", {})
                if status == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


def request(port, method, path, headers, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        return response.status, response.getheaders(), data
    finally:
        conn.close()


def django_setup(url: str):
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "samverkan.config.settings.dev"
    # Sessions made here are read by the server: same secret key.
    os.environ["SAMVERKAN_SECRET_KEY"] = SECRET
    import django

    django.setup()


def sessions(usernames: list[str], *, many: bool = False):
    """A logged-in session (second factor passed) for each demo user, as the login view
    would leave it; returns the session keys by user (``many``: a list, one session per
    entry of ``usernames``, repeats allowed)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp.plugins.otp_totp.models import TOTPDevice

    keys = {}
    found = {u.username: u for u in get_user_model().objects.filter(username__in=usernames)}
    made = []
    for user in (found[name] for name in usernames):
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="benchmark", defaults={"confirmed": True}
        )
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store["otp_device_id"] = device.persistent_id
        store.create()
        keys[user.username] = store.session_key
        made.append(store.session_key)
    return made if many else keys


class Page:
    def __init__(self, name, user, method, path, data=None):
        self.name, self.user, self.method, self.path, self.data = name, user, method, path, data


def pages() -> list[Page]:
    from django.apps import apps

    Child = apps.get_model("people", "Child")
    Plan = apps.get_model("plans", "Plan")
    Meeting = apps.get_model("meetings", "Meeting")
    melwin = Child.objects.filter(first_name="Melwin", last_name="Andersson").order_by("pk")[0]
    plan = Plan.objects.filter(child=melwin).order_by("pk").first()
    meeting = Meeting.objects.filter(from_cadence=False).order_by("pk").first() or (
        Meeting.objects.order_by("pk").first()
    )
    number = melwin.personal_number_display
    return [
        Page("child overview", "frida", "GET", f"/barn/{melwin.public_id}/"),
        Page("search by personnummer", "sofia", "POST", "/barn/", {"q": number}),
        Page("search by name", "sofia", "POST", "/barn/", {"q": "Anders"}),
        Page("child list", "sofia", "GET", "/barn/"),
        Page("intake dashboard", "maria", "GET", "/anmalan/mottagning/"),
        Page("consent panel", "sofia", "GET", f"/samtycken/barn/{melwin.public_id}/?fragment=1"),
        Page("SIP page", "karin", "GET", f"/sip/{plan.public_id}/"),
        Page("meeting page", "sofia", "GET", f"/forum/mote/{meeting.public_id}/"),
        # Sent with POST: the personnummer stays out of URLs (decision 0172).
        Page("loggkontroll per child", "gustav", "POST", "/logg/barn/", {"personnummer": number}),
        # The organisation's whole log, newest first, with its filters' choices.
        Page("loggkontroll whole log", "gustav", "GET", "/logg/anvandare/"),
    ]


def pages_named(targets: list[Page], name: str) -> Page | None:
    return next((p for p in targets if p.name == name), None)


def count_queries(page: Page) -> int:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(HTTP_HOST="localhost")
    user = get_user_model().objects.get(username=page.user)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=user, name="benchmark").persistent_id
    session.save()
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        if page.method == "POST":
            response = client.post(page.path, page.data)
        else:
            response = client.get(page.path)
    if response.status_code != 200:
        raise RuntimeError(f"{page.name}: {response.status_code}")
    return len(ctx.captured_queries)


class Browser:
    """One user's cookies and CSRF token, sent as a browser behind HTTPS would."""

    def __init__(self, port, session_key):
        self.port = port
        self.cookies = {"__Host-sessionid": session_key}
        self.token = None

    def headers(self, extra=None):
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Cookie": cookie,
            **(extra or {}),
        }

    def _remember(self, headers):
        for name, value in headers:
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]

    def call(self, page: Page):
        if page.method == "POST":
            if self.token is None:
                status, headers, body = request(self.port, "GET", "/barn/", self.headers())
                self._remember(headers)
                self.token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)[1]
            body = urllib.parse.urlencode({**page.data, "csrfmiddlewaretoken": self.token})
            extra = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://127.0.0.1:{self.port}",
                "Referer": f"https://127.0.0.1:{self.port}/barn/",
            }
            status, headers, data = request(self.port, "POST", page.path, self.headers(extra), body)
        else:
            status, headers, data = request(self.port, "GET", page.path, self.headers())
        self._remember(headers)
        if status != 200:
            raise RuntimeError(f"{page.name}: HTTP {status} {data[:300]!r}")
        return len(data)


def measure(port, browser: Browser, page: Page, rounds: int):
    floor = Page("floor", page.user, "GET", "/healthz")
    for _ in range(3):
        browser.call(page)
        request(port, "GET", "/healthz", {"Host": f"127.0.0.1:{port}"})
    page_times, floor_times = [], []
    size = 0
    for _ in range(rounds):
        start = time.perf_counter()
        size = browser.call(page)
        page_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        status, _, _ = request(port, "GET", floor.path, {"Host": f"127.0.0.1:{port}"})
        floor_times.append(time.perf_counter() - start)
        assert status == 200
    return summary(page_times), summary(floor_times), size


def summary(times):
    ordered = sorted(times)
    return {
        "p50": statistics.median(ordered) * 1000,
        "p95": ordered[max(0, int(round(0.95 * len(ordered))) - 1)] * 1000,
    }


WRK_SCRIPT = """
local cookies = {%s}
local i = 0
request = function()
  i = i + 1
  local headers = {["Host"] = "%s", ["X-Forwarded-Proto"] = "https"}
  if #cookies > 0 then headers["Cookie"] = cookies[(i %% #cookies) + 1] end
  return wrk.format("GET", "%s", headers)
end
"""


def wrk(port, path, cookies, seconds, connections=50):
    """``wrk`` with ``connections`` connections; each request carries the next of
    ``cookies`` (one session per simulated user, as 50 people would have)."""
    script = WRK_SCRIPT % (
        ", ".join(json.dumps(c) for c in cookies),
        f"127.0.0.1:{port}",
        path,
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    command += ["-s", handle.name, f"http://127.0.0.1:{port}{path}"]
    try:
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(handle.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", output)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)

    def ms(match):
        factor = {"us": 0.001, "ms": 1, "s": 1000}[match[2]]
        return float(match[1]) * factor

    return {"rps": rate, "p50": ms(p50), "p99": ms(p99), "errors": int(non2xx[1]) if non2xx else 0}


LOADTEST = ROOT / "benchmarks" / "loadtool" / "node_modules" / ".bin" / "loadtest"


def tools_missing() -> list[str]:
    """What the load measures need and is not installed, with how to install it."""
    missing = []
    if shutil.which("wrk") is None:
        missing.append("wrk: apt-get install wrk")
    if shutil.which("node") is None:
        missing.append("node: apt-get install nodejs npm")
    if not LOADTEST.exists():
        missing.append("loadtest: npm ci --prefix benchmarks/loadtool")
    return missing


def open_loop(port, path, cookie, rate, seconds):
    """``loadtest`` at ``rate`` requests/s for ``seconds``: each request is sent on its
    schedule whether or not the earlier ones were answered (more connections are opened
    as needed), so a slow server shows as latency, not as a lower rate asked of it."""
    command = [str(LOADTEST), "--rps", str(rate), "-t", str(seconds), "-c", "8", "-k"]
    command += ["-d", "10000", "-H", "X-Forwarded-Proto:https"]
    if cookie:
        command += ["-C", cookie]
    command.append(f"http://127.0.0.1:{port}{path}")
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout

    def number(label):
        match = re.search(rf"{label}:?\s+([\d.]+)", output)
        return float(match[1]) if match else 0.0

    completed = number("Completed requests")
    return {
        "offered": rate,
        "served": completed / seconds,
        "completed": int(completed),
        "errors": int(number("Total errors")),
        "p50": number("50%"),
        "p95": number("95%"),
        "p99": number("99%"),
    }


def holds(result) -> bool:
    return result["served"] >= 0.9 * result["offered"] and result["p95"] <= 1000


def drain(port, limit=120.0) -> None:
    """Wait until the requests still queued from a load run are served (the load tool
    stops sending, not the server working): until the floor answers in under 50 ms
    three times running, at most ``limit`` seconds, so that the next run starts on an
    idle server."""
    time.sleep(1)
    end = time.monotonic() + limit
    quick = 0
    while quick < 3 and time.monotonic() < end:
        start = time.perf_counter()
        request(port, "GET", "/healthz", {"Host": f"127.0.0.1:{port}"})
        quick = quick + 1 if time.perf_counter() - start < 0.05 else 0
        time.sleep(0.2)


def open_loop_series(port, path, cookie, args) -> list[dict]:
    print(
        f"\nOpen loop, {args.open_seconds} s per rate (served req/s, p50 / p95 / p99 ms):\n"
        "| offered req/s | floor served | floor p50 / p95 / p99 | overview served "
        "| overview p50 / p95 / p99 | errors | held |\n|---:|---:|---:|---:|---:|---:|---|",
        flush=True,
    )
    series = []
    for rate in [int(r) for r in args.rates.split(",") if r.strip()]:
        floor = open_loop(port, "/healthz", "", rate, args.open_seconds)
        drain(port)
        page = open_loop(port, path, cookie, rate, args.open_seconds)
        drain(port)
        held = holds(page)
        series.append({"offered": rate, "floor": floor, "page": page, "held": held})
        print(
            f"| {rate} | {floor['served']:.0f} | {floor['p50']:.0f} / {floor['p95']:.0f} / "
            f"{floor['p99']:.0f} | {page['served']:.0f} | {page['p50']:.0f} / "
            f"{page['p95']:.0f} / {page['p99']:.0f} | {floor['errors']} / {page['errors']} | "
            f"{'yes' if held else 'no'} |",
            flush=True,
        )
        if not held:
            break
    return series


def main(argv=None) -> int:
    args = parse_args(argv)
    deadline = time.monotonic() + args.max_seconds
    missing = [] if args.no_load else tools_missing()
    if missing:
        print("Missing load tools:\n  " + "\n  ".join(missing), file=sys.stderr)
        return 2
    django_setup(args.database_url)
    targets = pages()
    if args.pages:
        wanted = [name.strip() for name in args.pages.split(",") if name.strip()]
        unknown = set(wanted) - {p.name for p in targets}
        if unknown:
            print(f"Unknown pages: {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
        targets = [p for p in targets if p.name in wanted]
    overview = pages_named(targets, "child overview")
    users = sorted({p.user for p in targets})
    keys = sessions(users)
    static_root = tempfile.mkdtemp(prefix="samverkan-bench-static-")
    server = Server(args.database_url, args.workers, static_root)
    results = {"label": args.label, "pages": [], "throughput": {}}
    try:
        server.start()
        browsers = {u: Browser(server.port, keys[u]) for u in users}
        print(f"| page ({args.label}) | p50 ms | p95 ms | floor p50 | ratio p50 | queries |")
        print("|---|---:|---:|---:|---:|---:|")
        for page in targets:
            if time.monotonic() > deadline:
                raise TimeoutError("--max-seconds reached")
            queries = count_queries(page)
            timing, floor, size = measure(server.port, browsers[page.user], page, args.rounds)
            ratio = timing["p50"] / floor["p50"]
            results["pages"].append(
                {
                    "page": page.name,
                    **timing,
                    "floor_p50": floor["p50"],
                    "floor_p95": floor["p95"],
                    "ratio": ratio,
                    "queries": queries,
                    "bytes": size,
                }
            )
            print(
                f"| {page.name} | {timing['p50']:.1f} | {timing['p95']:.1f} | "
                f"{floor['p50']:.1f} | {ratio:.1f}× | {queries} |",
                flush=True,
            )
        if not args.no_load and overview is not None:
            crowd = [f"__Host-sessionid={key}" for key in sessions([overview.user] * 50, many=True)]
            floor_rate = wrk(server.port, "/healthz", [], args.seconds)
            drain(server.port)
            page_rate = wrk(server.port, overview.path, crowd, args.seconds)
            drain(server.port)
            results["throughput"] = {"page": page_rate, "floor": floor_rate}
            print(
                f"\n50 connections, {args.seconds} s each: child overview {page_rate['rps']:.0f} req/s "
                f"(p50 {page_rate['p50']:.0f} ms, p99 {page_rate['p99']:.0f} ms, "
                f"{page_rate['errors']} errors); floor {floor_rate['rps']:.0f} req/s "
                f"(p50 {floor_rate['p50']:.0f} ms); ratio {page_rate['rps'] / floor_rate['rps']:.2f}",
                flush=True,
            )
            results["open_loop"] = open_loop_series(server.port, overview.path, crowd[0], args)
    finally:
        server.stop()
        shutil.rmtree(static_root, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

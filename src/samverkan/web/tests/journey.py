"""The "a municipality can run it" journey, over HTTPS against the production stack
(`samverkan serve`, production settings), following docs/operations.md:

    setup (done by the caller, the documented command) → the system administrator logs
    in with e-legitimation → creates an organisation → imports 200 staff from a CSV
    file (dry run, then import) → one of them logs in with e-legitimation → registers a
    child (a write) → opens the child's page (personal data) → logs out (single logout);
    the administrator logs out at the provider, which ends the Samverkan session too
    (back-channel logout).

Used by the pytest journey test (web/tests/browser/test_production_stack.py, on a
scratch database of either kind) and by `.ci/run`'s production-stack section:

    uv run python -m samverkan.web.tests.journey --base-url https://127.0.0.1:8443 \\
        --ca cert.pem

Nothing here reads the database: every step is what a person (or the IT department)
does in a browser, and every check is on what the pages answer.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
from dataclasses import dataclass
from html import unescape
from urllib.parse import urlsplit

import requests
from stdnum import luhn

from . import oidc

CALLBACK = "/logga-in/e-legitimation/svar/"
BACKCHANNEL = "/logga-in/e-legitimation/utloggning/"
STAFF_COUNT = 200
FUNCTIONS = ["rektor", "kurator", "larare", "mentor", "skolskoterska", "specialpedagog"]


def fictional(birth: datetime.date, serial: int) -> str:
    nine = f"{birth:%y%m%d}{serial:03d}"
    return f"{birth:%Y%m%d}{serial:03d}{luhn.calc_check_digit(nine)}"


SYSADMIN_PNR = fictional(datetime.date(1975, 5, 5), 951)


def staff_rows() -> list[dict]:
    """200 staff of Testskolan: the first is the rektor who logs in."""
    rows = []
    for n in range(STAFF_COUNT):
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=n * 41)
        rows.append(
            {
                "förnamn": f"Person{n:03d}",
                "efternamn": "Testsson",
                "e-post": f"person{n:03d}@testskolan.example",
                "personnummer": fictional(birth, 960 + n % 30),
                "funktion": FUNCTIONS[n % len(FUNCTIONS)],
            }
        )
    return rows


def staff_csv() -> bytes:
    rows = staff_rows()
    lines = ["organisation;" + ";".join(rows[0].keys())]
    lines += ["Testskolan;" + ";".join(row.values()) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def provider_accounts() -> dict[str, dict]:
    """Who the test provider can vouch for: the system administrator, the rektor
    (imported), and a person nobody registered."""
    first = staff_rows()[0]
    return {
        "sam": oidc.account(SYSADMIN_PNR, name="Sam Systemsson"),
        "rektor": oidc.account(first["personnummer"], name="Person000 Testsson"),
        "okand": oidc.account(fictional(datetime.date(1980, 8, 8), 977), name="Okänd"),
    }


SETUP_ARGS = [
    "setup",
    "--no-input",
    "--principal",
    "Testkommun",
    "--principal-kind",
    "kommun",
    "--organisation",
    "Kommunens IT-enhet",
    "--org-type",
    "annan",
    "--first-name",
    "Sam",
    "--last-name",
    "Systemsson",
    "--username",
    "sam",
    "--personnummer",
    SYSADMIN_PNR,
]

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_PAYLOAD = re.compile(r'name="payload" value="([^"]+)"')
_OPTION = re.compile(r'<option value="(\d+)"[^>]*>([^<]+)</option>')


class JourneyFailed(AssertionError):
    pass


def check(condition, message: str) -> None:
    if not condition:
        raise JourneyFailed(message)


@dataclass
class Person:
    """One browser: its session at Samverkan and its session at the provider."""

    base_url: str
    verify: str | bool

    def __post_init__(self):
        self.http = requests.Session()
        # Loopback only: no proxy or CA bundle from the environment.
        self.http.trust_env = False
        self.http.verify = self.verify
        self.at_provider = oidc.ProviderBrowser()

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.url(path), timeout=60, **kwargs)

    def post(self, path: str, data=None, *, form_path: str | None = None, **kwargs):
        """POST as the page's form does: with the CSRF token from the page and the
        page as Referer (Django checks it over HTTPS)."""
        page = self.get(form_path or path)
        token = _CSRF.search(page.text)
        check(token, f"no CSRF token on {form_path or path} ({page.status_code})")
        data = {**(data or {}), "csrfmiddlewaretoken": unescape(token.group(1))}
        headers = {"Referer": page.url}
        return self.http.post(
            self.url(path), data=data, headers=headers, timeout=120, allow_redirects=False, **kwargs
        )

    def log_in(self, login: str, acr: str = oidc.LOA3) -> requests.Response:
        start = self.get("/logga-in/e-legitimation/", allow_redirects=False)
        check(start.status_code == 302, f"e-legitimation start answered {start.status_code}")
        self.provider_issuer = "{0.scheme}://{0.netloc}".format(urlsplit(start.headers["Location"]))
        callback = self.at_provider.authorise(
            start.headers["Location"], login=login, acr=acr, until=self.url(CALLBACK)
        )
        return self.http.get(callback, timeout=60, allow_redirects=False)

    def log_out_at_provider(self) -> None:
        """At the provider (not in Samverkan): its logout page, confirmed."""
        discovery = self.at_provider.session.get(
            f"{self.provider_issuer}/.well-known/openid-configuration", timeout=10
        ).json()
        self.at_provider.end_session(discovery["end_session_endpoint"], until=self.base_url)


def run(base_url: str, verify: str | bool, log=print) -> dict:
    """Walk the journey; raise JourneyFailed at the first thing that is not as a person
    would expect. Returns what was made (ids), for the caller's own checks."""
    made: dict = {}

    log("1. An unknown person is refused, and nothing is created.")
    stranger = Person(base_url, verify)
    refused = stranger.log_in("okand")
    check(refused.status_code == 403, f"unknown person: {refused.status_code}")
    check("Du är inte upplagd i Samverkan" in refused.text, "no Swedish refusal message")

    log("2. The system administrator (from `samverkan setup`) logs in with e-legitimation.")
    admin = Person(base_url, verify)
    response = admin.log_in("sam")
    check(response.status_code == 302, f"administrator login: {response.status_code}")
    home = admin.get("/")
    check("Sam Systemsson" in home.text, "the administrator is not logged in")
    check('href="/administration/"' in home.text, "no Administration in the menu")

    log("3. The administrator creates the organisation Testskolan.")
    form = admin.get("/administration/organisation/ny/")
    principal = next((v for v, label in _OPTION.findall(form.text) if label == "Testkommun"), None)
    check(principal, "the huvudman from setup is not offered")
    response = admin.post(
        "/administration/organisation/ny/",
        {"principal": principal, "name": "Testskolan", "org_type": "skola", "is_active": "on"},
    )
    check(response.status_code == 302, f"creating the organisation: {response.status_code}")
    made["organisation_url"] = response.headers["Location"]
    check("Testskolan" in admin.get(made["organisation_url"]).text, "organisation page")

    log(f"4. The administrator imports {STAFF_COUNT} staff from a CSV file: dry run first.")
    preview = admin.post(
        "/administration/import/",
        {"kind": "staff"},
        form_path="/administration/import/?kind=staff",
        files={"file": ("personal.csv", staff_csv(), "text/csv")},
    )
    check(preview.status_code == 200, f"import preview: {preview.status_code}")
    check(f"Läggs till: {STAFF_COUNT}" in preview.text, "the dry run does not add 200")
    check("Avvisas: 0" in preview.text, "the dry run rejects rows")
    payload = _PAYLOAD.search(preview.text)
    check(payload, "no plan to confirm")
    done = admin.http.post(
        admin.url("/administration/import/"),
        data={
            "payload": unescape(payload.group(1)),
            "csrfmiddlewaretoken": unescape(_CSRF.search(preview.text).group(1)),
        },
        headers={"Referer": admin.url("/administration/import/")},
        timeout=300,
    )
    check(done.status_code == 200 and "Importen är klar" in done.text, "the import did not run")
    check(f"Läggs till: {STAFF_COUNT}" in done.text, "the import did not add 200")
    staff_page = admin.get(made["organisation_url"])
    check(staff_page.text.count("Testsson") >= STAFF_COUNT, "the staff list lacks people")

    log("5. One of them, the rektor, logs in with e-legitimation (LoA 3).")
    rektor = Person(base_url, verify)
    response = rektor.log_in("rektor")
    check(response.status_code == 302, f"rektor login: {response.status_code}")
    home = rektor.get("/")
    check("Person000 Testsson" in home.text and "Rektor, Testskolan" in home.text, "home page")

    log("6. The rektor registers a child (a write) and opens the child's page.")
    number = fictional(datetime.date.today() - datetime.timedelta(days=10 * 365), 900)
    response = rektor.post(
        "/barn/registrera/",
        {
            "personal_number": number,
            "first_name": "Tilde",
            "last_name": "Testbarn",
            "context": "education",
        },
        form_path=f"/barn/registrera/?personal_number={number}",
    )
    check(response.status_code == 302, f"registering the child: {response.status_code}")
    child_path = response.headers["Location"]
    page = rektor.get(child_path)
    check(page.status_code == 200, f"child page: {page.status_code}")
    check("Tilde" in page.text and "Testbarn" in page.text, "the child page lacks the child")
    made["child_path"] = child_path

    log("7. Another organisation's administrator cannot see the child.")
    check(admin.get(child_path).status_code == 404, "the administrator sees the child")

    log("8. The rektor logs out: Samverkan and the provider both forget the session.")
    out = rektor.post("/logga-ut/", form_path="/")
    check(out.status_code == 302, f"logout: {out.status_code}")
    check("/session/end" in out.headers["Location"], "no single logout at the provider")
    check(rektor.get(child_path, allow_redirects=False).status_code == 302, "still logged in")

    log("9. /healthz and the sealer.")
    health = admin.get("/healthz").json()
    check(health["status"] == "ok", f"healthz: {health}")
    made["health"] = health

    log("10. The administrator logs out at the provider: Samverkan's session ends too.")
    check(admin.get("/administration/", allow_redirects=False).status_code == 200, "admin")
    admin.log_out_at_provider()
    after = admin.get("/administration/", allow_redirects=False)
    check(after.status_code == 302, f"back-channel logout did not end the session: {after}")
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--ca", help="The server certificate (PEM), to trust it.")
    args = parser.parse_args(argv)
    try:
        made = run(args.base_url.rstrip("/"), args.ca or True)
    except JourneyFailed as exc:
        print(f"JOURNEY FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"Journey passed: {json.dumps(made)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The production stack, once per run: `samverkan serve` over HTTPS with production
settings, on a new database of the configured kind set up with `samverkan setup`, and
the test OpenID provider on loopback (web/tests/stack.py).

First the journey of docs/operations.md (web/tests/journey.py, which `.ci/run` also runs
against the stack it starts itself): on an empty database an administrator creates an
organisation and imports 200 staff from a CSV file, one of them logs in with
e-legitimation and opens a child page; all audited. Then, in Chromium on the same stack,
the system administrator logs in, creates an organisation on the administration pages
(checked with axe-core) and logs out of both Samverkan and the provider; an unknown person
is refused. The tests run in file order: the journey's audit assertions come before the
browser adds its own rows."""

from __future__ import annotations

import json
import os
import re

import pytest
import requests
from playwright.sync_api import expect

from .. import journey, oidc, scratch
from ..stack import production_stack
from . import a11y
from .conftest import record_a11y, watch

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def stack(stack_static, tmp_path_factory):
    # On SQLite, from the run's one migrated database (on PostgreSQL, migrated in full).
    template = None if os.environ.get("DATABASE_URL") else scratch.migrated(tmp_path_factory)
    try:
        with production_stack(
            setup_args=journey.SETUP_ARGS,
            accounts=journey.provider_accounts(),
            static_root=stack_static,
            sqlite_template=template,
        ) as running:
            yield running
    except oidc.ProviderUnavailable as exc:
        if oidc.in_ci():
            raise
        pytest.skip(str(exc))


AUDIT_SUMMARY = """
import json
import os
from django.apps import apps
rows = apps.get_model("audit", "AuditEvent").objects.all()
by_sam = rows.filter(actor_username="sam", action="create")
child = rows.filter(resource_type="people.child").exclude(subject_id="")
print(json.dumps({
    "logins": sorted(
        {(r.actor_username, r.assurance_level or "") for r in rows.filter(action="login")}
    ),
    "refused": list(rows.filter(action="login_failed").values_list("reason", flat=True)),
    "staff_created": by_sam.filter(resource_type="auth.user").count(),
    "organisation_created": by_sam.filter(resource_type="directory.organisation")
    .values_list("details", flat=True).first(),
    "import": list(rows.filter(resource_type="directory.import").values_list("details", flat=True)),
    "child_reads": list(
        child.filter(action="read")
        .values_list("actor_username", "assurance_level", "outcome").distinct()
    ),
    "child_created": rows.filter(action="create").exclude(subject_id="")
    .values_list("actor_username", flat=True).first(),
    "ended_by_provider": list(
        rows.filter(action="logout", details__initiated_by="provider")
        .values_list("actor_username", "assurance_level")
    ),
}))
"""


@pytest.fixture(scope="module")
def made(stack):
    """The journey, once per stack: the tests below read what it left (the log, the
    audit rows), whichever of them runs first."""
    return journey.run(stack.base_url, stack.cert, log=lambda _: None)


def test_from_an_empty_database_to_staff_reading_a_child_page(stack, made):
    assert made["health"]["audit_sealer"]["state"] == "ok"

    verify = stack.command("audit", "verify")
    assert "Loggen är hel" in verify.stdout
    summary = stack.shell_json(AUDIT_SUMMARY)
    rektor = next(u for u, _ in summary["logins"] if u != "sam")
    assert ["sam", "loa3"] in summary["logins"] and [rektor, "loa3"] in summary["logins"]
    assert "unknown" in summary["refused"]
    assert summary["organisation_created"]["name"] == "Testskolan"
    assert summary["staff_created"] == journey.STAFF_COUNT
    assert summary["import"] == [
        {"kind": "staff", "create": 200, "update": 0, "unchanged": 0, "rejected": 0}
    ]
    assert summary["child_created"] == rektor
    assert [rektor, "loa3", "allowed"] in summary["child_reads"]
    # The administrator's look at the child was refused, and that is in the log too.
    assert ["sam", "loa3", "denied"] in summary["child_reads"]
    # The administrator's logout at the provider ended the session here (back-channel).
    assert summary["ended_by_provider"] == [["sam", "loa3"]]


def test_metrics_are_protected_and_report_latency_and_sealer_lag(stack):
    url = f"{stack.base_url}/metrics"
    assert requests.get(url, verify=stack.cert, timeout=10).status_code == 401
    wrong = {"Authorization": "Bearer wrong"}
    assert requests.get(url, verify=stack.cert, headers=wrong, timeout=10).status_code == 401
    right = {"Authorization": "Bearer stack-metrics-token"}
    text = requests.get(url, verify=stack.cert, headers=right, timeout=10).text
    assert 'samverkan_http_request_duration_seconds_count{method="GET",route="healthz"' in text
    assert "samverkan_audit_sealer_lag_seconds" in text
    assert "samverkan_audit_unsealed_events" in text


def test_logs_are_json_with_request_id_and_no_personal_data(stack, made):
    lines = [line for line in stack.log("web").splitlines() if line.startswith("{")]
    requests_logged = [line for line in lines if '"event": "request"' in line]
    assert requests_logged
    parsed = [json.loads(line) for line in requests_logged]
    assert all(entry["request_id"] and entry["route"] for entry in parsed)
    assert any(entry.get("organisation_id") for entry in parsed)
    text = stack.log("web")
    for secret in ("Tilde", "Testbarn", journey.SYSADMIN_PNR, "/barn/"):
        assert secret not in text


@pytest.fixture
def page(browser, stack):
    context = browser.new_context(
        base_url=stack.base_url,
        ignore_https_errors=True,  # the stack's certificate is made for the test
        locale="sv-SE",
        viewport={"width": 1280, "height": 900},
        bypass_csp=True,  # axe-core is added to each page (the app's CSP is tested elsewhere)
    )
    context.set_default_timeout(20_000)
    a11y.install(context)
    page = context.new_page()
    errors = watch(page)
    yield page
    context.close()
    assert not errors, errors


def _log_in_with_e_legitimation(page, account: str) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/logga-in/"))
    page.get_by_role("link", name="Logga in med e-legitimation").click()
    # At the provider: identify, as with a card or an app.
    expect(page.get_by_role("heading", name="Testleverantör av e-legitimation")).to_be_visible()
    page.get_by_label("Konto").fill(account)
    page.get_by_label("Tillitsnivå").select_option(label="LoA 3")
    page.get_by_role("button", name="Legitimera").click()


def _no_violations(page, where: str, found: dict) -> None:
    a11y.settle(page)
    result = a11y.violations(page)
    if result:
        found[where] = result


@pytest.mark.browser
def test_system_administrator_logs_in_administers_and_logs_out(page, stack):
    _log_in_with_e_legitimation(page, "sam")
    expect(page.locator(".who-name")).to_have_text("Sam Systemsson")
    expect(page.locator(".who-role")).to_contain_text("Systemadministratör")

    found: dict = {}
    page.get_by_role("link", name="Administration").click()
    expect(page.get_by_role("heading", name="Administration", level=1)).to_be_visible()
    _no_violations(page, "administration", found)

    page.get_by_role("link", name="Ny organisation").click()
    _no_violations(page, "ny organisation", found)
    page.get_by_label("Namn").fill("Förskolan Blåklockan")
    page.get_by_label("Typ av verksamhet").select_option(label="Förskola")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", name="Förskolan Blåklockan", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Förskolan Blåklockan är sparad")
    _no_violations(page, "organisationssida", found)

    page.get_by_role("link", name="Ny person").click()
    _no_violations(page, "ny person", found)
    page.get_by_role("button", name="Spara").click()  # empty: the errors are explained
    expect(page.get_by_role("alert")).to_contain_text("Formuläret innehåller fel")
    _no_violations(page, "ny person med fel", found)

    page.goto("/administration/import/")
    _no_violations(page, "import", found)
    record_a11y("systemadministratör (e-legitimation)", 6, len(found))
    assert not found, a11y.report(found)

    # Logging out ends the provider's session too (single logout).
    page.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/session/end"))
    page.get_by_role("button").first.click()  # the provider asks: sign out?
    expect(page).to_have_url(re.compile(re.escape(stack.base_url) + r"/logga-in/"))
    page.get_by_role("link", name="Logga in med e-legitimation").click()
    expect(page.get_by_role("heading", name="Testleverantör av e-legitimation")).to_be_visible()


@pytest.mark.browser
def test_unknown_person_is_refused_in_swedish(page, stack):
    _log_in_with_e_legitimation(page, "okand")
    expect(page.get_by_role("alert")).to_contain_text("Du är inte upplagd i Samverkan")
    expect(page.get_by_role("link", name="Logga in med e-legitimation")).to_be_visible()

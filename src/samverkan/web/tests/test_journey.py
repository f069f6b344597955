"""Done when: on an empty database, following docs/operations.md only, `samverkan
setup` → an administrator creates an organisation and imports 200 staff from a CSV file
→ one of them logs in through the OpenID provider and opens a child page; all audited.
Against the production stack (`samverkan serve`, HTTPS, production settings) on a new
database of the configured kind (web/tests/stack.py); the steps are
web/tests/journey.py, which `.ci/run` also runs against the stack it starts itself."""

from __future__ import annotations

import pytest
import requests

from . import journey, oidc
from .stack import production_stack

pytestmark = pytest.mark.stack

AUDIT_SUMMARY = """
import json
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
def stack(stack_static):
    try:
        with production_stack(
            setup_args=journey.SETUP_ARGS,
            accounts=journey.provider_accounts(),
            static_root=stack_static,
        ) as running:
            yield running
    except oidc.ProviderUnavailable as exc:
        if oidc.in_ci():
            raise
        pytest.skip(str(exc))


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
    import json

    parsed = [json.loads(line) for line in requests_logged]
    assert all(entry["request_id"] and entry["route"] for entry in parsed)
    assert any(entry.get("organisation_id") for entry in parsed)
    text = stack.log("web")
    for secret in ("Tilde", "Testbarn", journey.SYSADMIN_PNR, "/barn/"):
        assert secret not in text

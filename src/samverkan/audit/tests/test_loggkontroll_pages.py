"""Loggkontroll as a list (issue 13 item 14): paged, filtered by period, unit, user,
action and outcome (a validated form), record types and actions in Swedish, repeated
identical rows shown once with a count, and the personnummer never in a URL."""

from __future__ import annotations

import ast
import datetime
import pathlib

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from samverkan.audit import display, partitions
from samverkan.audit.models import AuditEvent
from samverkan.directory.tests.factories import MembershipFactory, OrganisationFactory, UnitFactory
from samverkan.people.tests.factories import ChildFactory

SRC = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture
def org(db):
    return OrganisationFactory(name="Socialtjänsten Test", org_type="socialtjanst")


@pytest.fixture
def auditor(org):
    client = Client()
    client.force_login(MembershipFactory(code="granskare", organisation=org).user)
    return client


def _row(org, *, at=None, username="olle", unit="Mottagningen", action="read", **kw):
    values = {
        "occurred_at": at or timezone.now(),
        "request_id": "test",
        "actor_username": username,
        "actor_name": username.capitalize() + " Testsson",
        "actor_organisation_id": org.pk,
        "actor_organisation_name": org.name,
        "actor_unit_name": unit,
        "actor_function": "Socialsekreterare",
        "action": action,
        "outcome": "allowed",
        "resource_type": "concerns.report",
        "resource_id": "r1",
        "content_hash": "x" * 64,
    }
    values.update(kw)
    # A row dated back may fall in a month before the partitions made at migration
    # (the previous month onwards): make its month, as a restore does.
    partitions.ensure_for("default", [values["occurred_at"]])
    return AuditEvent.objects.create(**values)


def _spread(org, n, **kw):
    """n rows, each a different record, one minute apart."""
    start = timezone.now() - datetime.timedelta(hours=2)
    for i in range(n):
        _row(org, at=start + datetime.timedelta(minutes=i), resource_id=f"rec-{i}", **kw)


def test_the_log_is_paged_and_says_which_rows_it_shows(org, auditor):
    _spread(org, 60)
    first = auditor.get("/logg/anvandare/")
    assert first.status_code == 200
    assert first.text.count('class="log-row"') == 50
    assert "Visar 1–50 (sida 1)" in first.text
    assert 'rel="next"' in first.text
    second = auditor.get("/logg/anvandare/", {"page": 2})
    assert second.text.count('class="log-row"') >= 10
    assert "Visar 51–" in second.text


def test_filters_by_period_unit_user_action_and_outcome(org, auditor):
    now = timezone.now()
    _row(org, username="olle", unit="Mottagningen", action="read", resource_id="a")
    _row(org, username="stina", unit="Utredning", action="change", resource_id="b")
    _row(
        org, username="olle", unit="Mottagningen", action="read", outcome="denied", resource_id="c"
    )
    _row(org, username="olle", at=now - datetime.timedelta(days=40), resource_id="old")

    def shown(**filters):
        response = auditor.get("/logg/anvandare/", filters)
        assert response.status_code == 200
        return response.text.count('class="log-row"')

    assert shown(username="olle") == 3
    assert shown(username="stina") == 1
    assert shown(unit="Utredning") == 1
    assert shown(action="change") == 1
    assert shown(outcome="denied") == 1
    week_ago = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    assert shown(username="olle", date_from=week_ago) == 2
    assert shown(username="olle", outcome="allowed", date_from=week_ago) == 1


def test_bad_filters_are_refused_in_swedish_and_kept(org, auditor):
    response = auditor.get(
        "/logg/anvandare/", {"date_from": "0001-01-01", "date_to": "2026-13-45", "action": "x"}
    )
    assert response.status_code == 200
    text = response.text
    assert "Datumet måste ligga mellan" in text
    assert "ÅÅÅÅ-MM-DD" in text
    assert "Välj ett av alternativen." in text
    assert 'value="0001-01-01"' in text  # what was typed is shown again
    later = timezone.localdate().isoformat()
    earlier = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    response = auditor.get("/logg/anvandare/", {"date_from": later, "date_to": earlier})
    assert "Slutdatumet kan inte vara före startdatumet." in response.text


def test_record_types_and_actions_are_in_swedish(org, auditor):
    _row(org, resource_type="concerns.report", action="change")
    _row(org, resource_type="plans.plan", action="read", resource_id="p")
    text = auditor.get("/logg/anvandare/").text
    assert "Orosanmälan" in text
    assert "SIP" in text
    assert "Ändring" in text
    assert "concerns.report" not in text
    assert "plans.plan" not in text


def test_repeated_identical_rows_are_shown_once_with_a_count(org, auditor):
    start = timezone.now() - datetime.timedelta(minutes=30)
    for i in range(5):  # the same user opens the same report five times in 4 minutes
        _row(org, at=start + datetime.timedelta(minutes=i), resource_id="same")
    _row(org, at=start + datetime.timedelta(minutes=5), resource_id="same", action="change")
    _row(org, at=start + datetime.timedelta(minutes=6), resource_id="same")
    text = auditor.get("/logg/anvandare/").text
    assert text.count('class="log-row"') == 3
    assert "5 gånger" in text


def _written_resource_types() -> set[str]:
    """Every resource_type the product's code writes: literal strings given as
    resource_type=... or to a RESOURCE constant, and every model's label (services write
    ``obj._meta.label_lower``)."""
    found = set()
    for path in SRC.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.keyword)
                and node.arg == "resource_type"
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                found.add(node.value.value)
            # The apps' own audit helpers: _audit(actor, action, "knowledge.catalogue", …)
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_audit", "_record")
            ):
                found.update(
                    arg.value
                    for arg in node.args
                    if isinstance(arg, ast.Constant)
                    and isinstance(arg.value, str)
                    and "." in arg.value
                    and " " not in arg.value
                )
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
                if any(n.endswith("RESOURCE") for n in names) and isinstance(node.value.value, str):
                    found.add(node.value.value)
    for model in apps.get_models():
        if model.__module__.startswith("samverkan."):
            found.add(model._meta.label_lower)
    return found


def test_every_record_type_the_code_writes_has_a_swedish_name():
    written = _written_resource_types()
    assert {"concerns.report", "auth.session", "people.child", "audit.log"} <= written
    missing = sorted(t for t in written if t not in display.RECORD_TYPES)
    assert not missing, f"add Swedish names to audit/data/record_types.yaml: {missing}"


def test_the_child_log_keeps_the_personnummer_out_of_urls(org, auditor):
    child = ChildFactory()
    _row(org, resource_type="people.child", subject_id=str(child.public_id))
    page = auditor.get("/logg/barn/")
    assert 'method="post"' in page.text
    # A number in the query string is not looked up.
    by_get = auditor.get("/logg/barn/", {"personnummer": child.personal_number})
    assert child.first_name not in by_get.text
    by_post = auditor.post("/logg/barn/", {"personnummer": child.personal_number})
    assert by_post.status_code == 200
    assert child.first_name in by_post.text
    assert by_post.text.count('class="log-row"') == 1
    assert "?personnummer=" not in by_post.text  # export and extract are sent with POST
    export = auditor.post("/logg/export.csv", {"personnummer": child.personal_number})
    assert export.status_code == 200
    # The extract's draft (secrecy review first, decision 0161).
    extract = auditor.post("/logg/utdrag/", {"personnummer": child.personal_number})
    assert extract.status_code == 302


def test_the_unit_filter_offers_the_units_in_the_log(org, auditor):
    UnitFactory(organisation=org, name="Familjecentralen")
    _row(org, unit="Familjecentralen")
    text = auditor.get("/logg/anvandare/").text
    assert '<option value="Familjecentralen">' in text


def test_the_child_log_offers_the_units_and_users_of_the_childs_rows_only(org, auditor):
    """The per-child page's filter choices come from the child's rows, not from the
    whole organisation's log (a scan of every row, 0.47 s at 200,000 children); a unit
    chosen for one child is kept when another child is looked up with it."""
    anna, bo = ChildFactory(), ChildFactory()
    _row(org, username="olle", unit="Mottagningen", subject_id=str(anna.public_id))
    _row(org, username="stina", unit="Utredningsenheten", subject_id=str(bo.public_id))
    _row(org, username="ulla", unit="Familjehemsenheten", resource_id="elsewhere")

    page = auditor.post("/logg/barn/", {"personnummer": anna.personal_number}).text
    assert '<option value="Mottagningen">' in page and '<option value="olle">' in page
    for other in ("Utredningsenheten", "Familjehemsenheten", "stina", "ulla"):
        assert f'<option value="{other}">' not in page

    with_unit = auditor.post(
        "/logg/barn/", {"personnummer": bo.personal_number, "unit": "Mottagningen"}
    )
    assert with_unit.status_code == 200
    assert "Välj ett giltigt alternativ" not in with_unit.text
    assert "Ingen i din organisation har loggad åtkomst till barnet." in with_unit.text
    # Without the unit: stina's row (and the auditor's own looks, which are logged too).
    just_bo = auditor.post("/logg/barn/", {"personnummer": bo.personal_number}).text
    assert "Stina Testsson" in just_bo and '<option value="stina">' in just_bo

"""Every loggkontroll view is paged (issue 12, item 3; decision 0236): the list of
extracts, and the secrecy review of one child's extract, whose ticked boxes and
written reasons are kept from page to page and decided together. Their query counts
do not grow with the number of extracts or rows."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samverkan.audit import extracts, partitions
from samverkan.audit.models import AuditEvent, ExtractStatus, GuardianExtract
from samverkan.directory.tests.factories import MembershipFactory, OrganisationFactory
from samverkan.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return OrganisationFactory(name="Socialtjänsten Sida", org_type="socialtjanst")


@pytest.fixture
def auditor(org):
    client = Client()
    client.force_login(MembershipFactory(code="granskare", organisation=org).user)
    return client


def _rows(org, child, n: int) -> list[int]:
    start = timezone.now() - datetime.timedelta(hours=n)
    partitions.ensure_for("default", [start])
    events = AuditEvent.objects.bulk_create(
        AuditEvent(
            occurred_at=start + datetime.timedelta(minutes=i),
            request_id="test",
            actor_username="olle",
            actor_organisation_id=org.pk,
            actor_organisation_name=org.name,
            actor_unit_name=f"Enhet {i}",
            action="read",
            resource_type="people.child",
            resource_id=str(child.public_id),
            subject_id=str(child.public_id),
            content_hash="x" * 64,
        )
        for i in range(n)
    )
    return [e.pk for e in reversed(events)]  # newest first, as a draft keeps them


def _draft(org, n: int, flagged: list[int] = ()) -> GuardianExtract:
    child = ChildFactory()
    row_ids = _rows(org, child, n)
    return GuardianExtract.objects.create(
        organisation_id=org.pk,
        subject_id=str(child.public_id),
        created_at=timezone.now(),
        created_by_name="Granskare",
        row_ids=row_ids,
        flags={str(row_ids[i]): ["Kan röja en orosanmälan."] for i in flagged},
    )


def _queries(client, method, path, data=None) -> tuple[int, object]:
    client.get("/")  # a warm session
    with CaptureQueriesContext(connection) as queries:
        response = client.post(path, data) if method == "POST" else client.get(path, data)
    assert response.status_code == 200
    return len(queries), response


def test_the_list_of_extracts_is_paged_and_costs_the_same_at_any_length(org, auditor):
    first = _draft(org, 2)
    few, response = _queries(auditor, "GET", "/logg/utdrag/")
    assert str(first.public_id) in response.content.decode()
    for _ in range(extracts.LIST_PAGE_SIZE + 4):
        GuardianExtract.objects.create(
            organisation_id=org.pk,
            subject_id=str(ChildFactory().public_id),
            created_at=timezone.now() - datetime.timedelta(days=2),
            status=ExtractStatus.REVIEWED,
            reviewed_at=timezone.now(),
            review_reason="Inget undantas.",
        )
    many, response = _queries(auditor, "GET", "/logg/utdrag/")
    html = response.content.decode()
    assert many == few
    assert html.count('href="/logg/utdrag/') == extracts.LIST_PAGE_SIZE
    assert str(first.public_id) in html  # the draft waiting for review comes first
    assert "Nästa sida" in html
    _, response = _queries(auditor, "GET", "/logg/utdrag/", {"page": 2})
    assert response.content.decode().count('href="/logg/utdrag/') == 5


def test_the_review_page_is_paged_and_costs_the_same_at_any_length(org, auditor):
    small = _draft(org, 3)
    large = _draft(org, extracts.REVIEW_PAGE_SIZE * 3)
    few, _ = _queries(auditor, "GET", f"/logg/utdrag/{small.public_id}/")
    many, response = _queries(auditor, "GET", f"/logg/utdrag/{large.public_id}/")
    html = response.content.decode()
    assert many == few
    assert html.count('name="withhold"') == extracts.REVIEW_PAGE_SIZE
    assert f"av {extracts.REVIEW_PAGE_SIZE * 3}" in html
    newest = AuditEvent.objects.get(pk=large.row_ids[0])
    assert f'value="{newest.pk}"' in html


def test_choices_and_reasons_are_kept_across_the_review_pages_and_decided_together(org, auditor):
    size = extracts.REVIEW_PAGE_SIZE
    draft = _draft(org, size + 20, flagged=[size + 5])  # flagged on page 2
    ids = [str(i) for i in draft.row_ids]
    path = f"/logg/utdrag/{draft.public_id}/"
    _, response = _queries(auditor, "GET", path)
    html = response.content.decode()
    on_page = response.context["on_page"]
    assert on_page.split(",") == sorted(ids[:size], key=int)
    # The flagged row on page 2 is carried as chosen from the start.
    assert response.context["kept"] == ids[size + 5]
    # Tick one row on page 1, write a reason, go to page 2.
    _, response = _queries(
        auditor,
        "POST",
        path,
        {
            "withhold": [ids[3]],
            "withhold_kept": response.context["kept"],
            "on_page": on_page,
            "shown_page": "1",
            "reason": "Rad 4 röjer var barnet bor.",
            "page": "2",
        },
    )
    html = response.content.decode()
    assert response.context["page"].number == 2
    assert html.count('name="withhold"') == 20
    assert f'value="{ids[size + 5]}" id="withhold-{ids[size + 5]}" checked' in html
    assert response.context["kept"] == ids[3]
    assert "Rad 4 röjer var barnet bor." in html
    assert "field-error" not in html  # turning a page refuses nothing
    draft.refresh_from_db()
    assert draft.status == ExtractStatus.DRAFT  # and saves nothing
    # Save from page 2, with the flagged row still ticked: both rows are withheld.
    response = auditor.post(
        path,
        {
            "withhold": [ids[size + 5]],
            "withhold_kept": response.context["kept"],
            "on_page": response.context["on_page"],
            "shown_page": "2",
            "reason": "Rad 4 röjer var barnet bor.",
            "save": "1",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ExtractStatus.REVIEWED
    assert sorted(draft.withheld, key=int) == sorted([ids[3], ids[size + 5]], key=int)


def test_a_reviewed_extract_is_paged_with_links(org, auditor):
    draft = _draft(org, extracts.REVIEW_PAGE_SIZE + 1)
    GuardianExtract.objects.filter(pk=draft.pk).update(
        status=ExtractStatus.REVIEWED, reviewed_at=timezone.now(), review_reason="Inget."
    )
    _, response = _queries(auditor, "GET", f"/logg/utdrag/{draft.public_id}/", {"page": 2})
    html = response.content.decode()
    assert html.count("Lämnas ut") == 1
    assert "Föregående sida" in html

"""The whole log's filter choices (decision 0368): the user and unit names the
organisation's log contains, read from the names the sealer records and from the rows
it has not linked yet, never from another organisation's rows; and the page's cost
does not grow with the number of children its rows name."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from samverkan.audit import services
from samverkan.audit.models import AuditName
from samverkan.audit.tests import test_loggkontroll_pages as pages
from samverkan.directory.tests.factories import OrganisationFactory
from samverkan.people.tests.factories import ChildFactory

# The organisation, its auditor's client and a row of its log, as the pages' tests make them.
org, auditor, _row = pages.org, pages.auditor, pages._row


def _options(client) -> str:
    return client.get("/logg/anvandare/").text


def test_names_are_offered_before_and_after_the_sealer_links_their_rows(org, auditor):
    _row(org, username="olle", unit="Mottagningen")
    before = _options(auditor)
    assert '<option value="olle">' in before and '<option value="Mottagningen">' in before

    services.seal_pending()
    assert AuditName.objects.filter(organisation_id=org.pk, value="Mottagningen").exists()
    _row(org, username="stina", unit="Utredningsenheten")  # after the last link
    after = _options(auditor)
    for name in ("olle", "stina", "Mottagningen", "Utredningsenheten"):
        assert f'<option value="{name}">' in after


def test_another_organisations_names_are_never_offered(org, auditor):
    other = OrganisationFactory(name="BUP Test", org_type="bup")
    _row(other, username="doktorn", unit="Hemliga mottagningen")
    services.seal_pending()
    _row(other, username="sjukskoterskan", unit="Akuten")
    page = _options(auditor)
    for name in ("doktorn", "Hemliga mottagningen", "sjukskoterskan", "Akuten"):
        assert name not in page


def test_the_names_are_offered_in_alphabetical_order_once(org, auditor):
    for username, unit in [("ulla", "Barngruppen"), ("Anna", "alfa"), ("ulla", "Barngruppen")]:
        _row(org, username=username, unit=unit)
    services.seal_pending()
    _row(org, username="bertil", unit="Barngruppen")
    page = _options(auditor)
    assert page.count('<option value="Barngruppen">') == 1
    assert page.index('value="Anna"') < page.index('value="bertil"') < page.index('value="ulla"')
    assert page.index('value="alfa"') < page.index('value="Barngruppen"')


def _page_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/logg/anvandare/")
    assert page.status_code == 200
    return len(queries), page.text


def test_the_whole_log_costs_the_same_queries_whatever_children_it_names(org, auditor):
    few = ChildFactory.create_batch(2)
    for child in few:
        _row(org, subject_id=str(child.public_id))
    services.seal_pending()
    _page_queries(auditor)  # session and caches warm
    with_few, _ = _page_queries(auditor)

    many = ChildFactory.create_batch(18)
    for child in many:
        _row(org, subject_id=str(child.public_id))
    with_many, text = _page_queries(auditor)
    # Every child's name is on the page, all found in one query.
    for child in few + many:
        assert f"{child.first_name} Testsson" in text
    assert with_many == with_few

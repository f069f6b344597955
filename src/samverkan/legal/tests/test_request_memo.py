"""The catalogue in force and the organisations' kinds are asked once per request
(decision 0342): a page deciding for many consents and matters pays one cache round
trip per answer, not one per decision; a change made during the request is seen at
once."""

from __future__ import annotations

import copy

import pytest
from django.core.cache import cache
from django.utils import timezone

from samverkan.core import request_context
from samverkan.directory.tests.factories import OrganisationFactory
from samverkan.legal import catalogue, history
from samverkan.legal import organisations as legal_organisations

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_reads(monkeypatch):
    """Counts the reads of Django's cache (the real cache answers them)."""
    reads = []
    get, get_many, get_or_set = cache.get, cache.get_many, cache.get_or_set
    monkeypatch.setattr(cache, "get", lambda *a, **k: reads.append(a[0]) or get(*a, **k))
    monkeypatch.setattr(
        cache, "get_many", lambda *a, **k: reads.append(tuple(a[0])) or get_many(*a, **k)
    )
    monkeypatch.setattr(
        cache, "get_or_set", lambda *a, **k: reads.append(a[0]) or get_or_set(*a, **k)
    )
    return reads


@pytest.fixture
def in_request():
    token = request_context.activate(request_context.RequestContext(request_id="memo-test"))
    yield
    request_context.deactivate(token)


def test_the_catalogue_is_read_from_the_cache_once_per_request(cache_reads, in_request):
    history.record()
    first = catalogue.load()
    after_first = len(cache_reads)
    assert after_first >= 2  # the generation and the day's version
    for _ in range(20):
        assert catalogue.load() is first
    assert len(cache_reads) == after_first


def test_outside_a_request_every_call_asks_the_cache(cache_reads):
    history.record()
    catalogue.load()
    start = len(cache_reads)
    catalogue.load()
    once = len(cache_reads) - start
    assert once >= 2
    catalogue.load()
    assert len(cache_reads) == start + 2 * once


def test_a_version_recorded_during_the_request_is_in_force_at_once(in_request):
    history.record()
    before = catalogue.load()
    data = copy.deepcopy(catalogue.read_file())
    data["version"] = "2099-01-01"
    data["adopted_on"] = timezone.localdate().isoformat()
    history.record(data)
    assert before.version != "2099-01-01"
    assert catalogue.load().version == "2099-01-01"


def test_organisations_kinds_once_per_request_and_a_change_is_seen(cache_reads, in_request):
    school = OrganisationFactory(org_type="skola")
    other = OrganisationFactory(org_type="socialtjanst")
    assert legal_organisations.kinds(school.pk, other.pk)[school.pk].org_type == "skola"
    asked = len(cache_reads)
    for _ in range(10):
        legal_organisations.kinds(school.pk, other.pk)
    assert len(cache_reads) == asked
    school.org_type = "forskola"
    school.save()
    assert legal_organisations.kinds(school.pk)[school.pk].org_type == "forskola"


def test_a_directory_of_thousands_of_organisations_stays_in_the_cache(
    django_assert_num_queries, in_request
):
    """The kinds of every organisation are cached at once on a miss: with a cache that
    keeps only 300 entries (Django's default for its local-memory cache), a directory
    of 2,400 organisations (a municipality of 200,000 children) was culled by its own
    entries and read again in full on every request (decision 0364)."""
    organisations = OrganisationFactory.create_batch(400)
    for organisation in organisations[:3]:
        legal_organisations.forget(instance=organisation)
    cache.clear()
    asked = [organisation.pk for organisation in organisations[::50]]
    legal_organisations.kinds(*asked)
    request_context.forget_memo(legal_organisations.MEMO)  # as in the next request
    with django_assert_num_queries(0):
        assert set(legal_organisations.kinds(*asked)) == set(asked)

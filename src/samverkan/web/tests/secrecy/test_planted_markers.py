"""Planted markers (issue 11): a unique marker in every text field of a child's records
(the child's and guardian's names, the consent's exclusions, the child's views and
notes, the SIP's purpose, question, place, needs, goals and efforts, the report of
concern's worry, observations and the child's words, an identified meeting item's title
and text) and in the texts the product makes
from them (a revocation note, the reason for a change of context, refusal reasons,
notices). Then every page and every API operation (GET) is requested as staff of BUP,
which has no ground, for each consent state, and no marker may appear in a body or a
header (HTML, JSON, .ics, PDF).

States: ``none`` (BUP was never a party), ``revoked``, ``expired``, ``lapsed`` (a
voluntary consent after social services' matter became an investigation).
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from samverkan.concerns import services as concern_services
from samverkan.consent import grants
from samverkan.consent import services as consent_services
from samverkan.meetings import services as meeting_services
from samverkan.people import services as people_services
from samverkan.plans import services as plan_services

from .world import secrecy_world

pytestmark = pytest.mark.django_db

PREFIX = "Qxzq"  # never in Swedish text, the product's chrome or a UUID


def marker(field: str) -> str:
    return f"{PREFIX}{field}"


STATES = ["none", "revoked", "expired", "lapsed"]
# Pages that end the session or are not pages (served files, metrics).
SKIP_ROUTES = ("logga-ut", "metrics", "static/", "i18n/")


def _world(state: str):
    world = secrecy_world(guardian=(marker("Guardianfirst"), marker("Guardianlast")))
    child = world.child
    _, social_matter = people_services.child_register(
        actor=world.actor("socsek"),
        personal_number=child.personal_number,
        first_name=child.first_name,
        last_name=child.last_name,
        context="voluntary_support",
        note=marker("Socialnote"),
    )
    parties = {
        "none": [world.school, world.social],
        "revoked": [world.school, world.bup],
        "expired": [world.school, world.bup],
        "lapsed": [world.school, world.social, world.bup],
    }[state]
    consent = world.consent(
        parties,
        purpose_codes=["sip", "allman_samverkan", "samverkanstraff"],
        exclusions=marker("Exclusions"),
        child_views=marker("Childviews"),
        note=marker("Consentnote"),
    )
    called = [o.pk for o in parties if o.pk != world.school.pk]
    plan = plan_services.plan_start(
        actor=world.actor("rektor"),
        child=child,
        called_organisation_ids=called,
        purpose=marker("Planpurpose"),
        question=marker("Planquestion"),
        long_term_goal=marker("Longgoal"),
        meeting_at=timezone.now() + datetime.timedelta(days=5),
        meeting_place=marker("Meetingplace"),
    )
    plan_services.plan_save(
        actor=world.actor("rektor"),
        plan=plan,
        expected_version=plan.version,
        needs=[marker("Need")],
        long_term_goal=marker("Longgoal"),
        short_term_goals=[marker("Shortgoal")],
        efforts=[
            plan_services.EffortInput(
                title=marker("Efforttitle"),
                organisation_id=world.school.pk,
                responsible=marker("Effortresponsible"),
            )
        ],
        responsible_organisation_id=world.school.pk,
        coordinator_user_id=world.staff["rektor"].user_id,
        follow_up_on=timezone.localdate() + datetime.timedelta(days=30),
        child_words=marker("Planchildwords"),
        disagreements=marker("Disagreements"),
    )
    item = _identified_item(world, parties)
    if state == "revoked":
        consent_services.consent_revoke(
            actor=world.actor("rektor"), consent=consent, note=marker("Revocationnote")
        )
    elif state == "expired":
        today = timezone.localdate()
        type(consent).objects.filter(pk=consent.pk).update(
            valid_from=today - datetime.timedelta(days=400),
            valid_until=today - datetime.timedelta(days=1),
        )
        grants.refresh([child.pk])
    elif state == "lapsed":
        people_services.involvement_change_context(
            actor=world.actor("socsek"),
            involvement_public_id=social_matter.public_id,
            context="investigation",
            reason=marker("Contextreason"),
        )
    report = concern_services.report_submit(
        actor=world.actor("rektor"),
        child=child,
        worry=marker("Worry"),
        observations=marker("Observations"),
        child_words=marker("Reportchildwords"),
        reporter_phone="08-123 456 78",
    )
    consent_services.consents_sweep()  # the notices (expired, lapsed)
    ids = {
        "child": child.public_id,
        "plan": plan.public_id,
        "consent": consent.public_id,
        "involvement": social_matter.public_id,
        "report": report.public_id,
        "meeting": item.meeting.public_id,
        "forum": item.meeting.forum.public_id,
        "item": item.public_id,
    }
    return world, ids


def _identified_item(world, parties):
    """A forum of the three organisations convened by social services; at its next
    meeting the school raises the child by name (an identified item, on the consent)
    with markers in its title and text. Only the consent's parties attend."""
    forum = meeting_services.forum_create(
        actor=None,
        name=f"Testforum {world.child.public_id}",
        level="basniva",
        cadence="monthly",
        convener_organisation_id=world.social.pk,
        convener_function_code="socialsekreterare",
        organisation_ids=[world.school.pk, world.social.pk, world.bup.pk],
        function_codes=["rektor", "socialsekreterare", "lakare"],
        purpose="Samverkan kring barn i skolåldern.",
    )
    convener = world.actor("socsek")
    meeting = meeting_services.meeting_book(
        actor=convener, forum=forum, starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    for organisation in (world.school, world.social, world.bup):
        meeting_services.attendance_set(
            actor=convener,
            meeting=meeting,
            organisation_id=organisation.pk,
            present=organisation in parties,
        )
    return meeting_services.item_add(
        actor=world.actor("rektor"),
        meeting=meeting,
        kind="identified",
        title=marker("Itemtitle"),
        text=marker("Itemtext"),
        child=world.child,
        category="skolsituation",
    )


_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def _routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _fill(route: str, ids: dict) -> list[str]:
    """Every URL the route gives with the world's ids in its UUID parameters (by name
    where the name says which record, otherwise each id in turn)."""
    if "^" in route or "(?P" in route or any(s in route for s in SKIP_ROUTES):
        return []
    params = _PARAM.findall(route)
    if any(kind not in {"uuid"} for kind, _ in params):
        return []  # slugs and numbers name no child's record
    urls = [route]
    for _, name in params:
        key = name.removesuffix("_id")
        choices = [ids[key]] if key in ids else list(ids.values())
        urls = [
            re.sub(r"<uuid:" + name + r">", str(value), url, count=1)
            for url in urls
            for value in choices
        ]
    return ["/" + url for url in urls]


def _api_paths(client: Client, ids: dict) -> list[str]:
    document = client.get("/api/openapi.json").json()
    paths = []
    for path, operations in document["paths"].items():
        if "get" not in operations:
            continue
        names = re.findall(r"{(\w+)}", path)
        urls = [path]
        for name in names:
            key = name.removesuffix("_id")
            choices = [ids[key]] if key in ids else list(ids.values())
            urls = [u.replace("{" + name + "}", str(v), 1) for u in urls for v in choices]
        paths += urls
    return paths


def _leaks(response) -> list[str]:
    found = []
    body = response.content.decode("utf-8", errors="replace")
    headers = str(dict(response.headers))
    for text in (body, headers):
        found += re.findall(PREFIX + r"\w+", text)
    return sorted(set(found))


@pytest.mark.parametrize("state", STATES)
def test_no_marker_reaches_an_organisation_without_a_ground(state):
    world, ids = _world(state)
    viewer = world.client("lakare")
    viewer.raise_request_exception = False
    urls = [u for route in _routes() for u in _fill(route, ids)]
    urls += _api_paths(viewer, ids)
    assert len(urls) > 60  # the crawl reaches the pages and the API
    leaks, errors = {}, []
    for url in urls:
        response = viewer.get(url)
        if response.status_code >= 500:
            errors.append(url)
        found = _leaks(response)
        if found:
            leaks[url] = found
    assert not leaks, f"{state}: markers reached BUP: {leaks}"
    assert not errors, f"{state}: server errors: {errors}"


def test_the_markers_are_really_planted():
    """The same crawl as the school that wrote them finds them (so a silent crawl would
    not pass the test above)."""
    world, ids = _world("revoked")
    client = world.client("rektor")
    seen = set()
    for route in _routes():
        for url in _fill(route, ids):
            seen.update(_leaks(client.get(url)))
    planted = ("Guardianfirst", "Exclusions", "Planpurpose", "Efforttitle", "Worry", "Itemtitle")
    for field in planted:
        assert marker(field) in seen, field

"""Twenty identical creations at once, continued (issue 13, "Done when"): giving a
consent, starting a SIP, a survey's question, a knowledge entry of every kind, and the
creations the first two modules did not reach. Each page is opened as its user would
open it and its form filled from what the page shows (``_race_form``); one record, and
every answer the redirect a success gives. A case where no record is made fails.

``test_every_create_route.py`` holds the checklist: every route that takes a POST is
raced in one of the concurrency modules or is named as not a creation, with why.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from samverkan.web.tests.formfuzz import plausible_data

from .test_concurrent_forms import _form, _race_form, _school_child, _session

pytestmark = pytest.mark.usefixtures("concurrent_db")


def _guardians(actor, child, names=("Sara", "Per")):
    from samverkan.people import services as people_services

    for first in names:
        people_services.guardian_add(
            actor=actor,
            child=child,
            data=people_services.GuardianInput(
                first_name=first, last_name="Testsson", custody_type="gemensam"
            ),
        )


def _family_consent(actor, child, party_ids, **consent) -> None:
    """The family's written consent, recorded by ``actor``'s organisation: signed by the
    guardians it holds for the child and by the child (16 years old: the child too)."""
    from samverkan.consent import services as consent_services
    from samverkan.people import selectors as people

    consent_services.consent_give(
        actor=actor,
        child=child,
        party_ids=party_ids,
        form="written",
        givers=[
            consent_services.GiverInput(kind="guardian", guardian_id=str(c.guardian.public_id))
            for c in people.system_custodies(child, actor.organisation_id)
        ]
        + [consent_services.GiverInput(kind="child")],
        **consent,
    )


def _ticked(form, name: str) -> str:
    """The first box of the group ``name`` as the page shows it."""
    boxes = [f.option for f in form.fields if f.name == name]
    assert boxes, f"no {name} on the form"
    return boxes[0]


def test_twenty_identical_consents_make_one(race):
    from samverkan.consent.models import Consent
    from samverkan.directory.tests.factories import OrganisationFactory, actor_of

    school, kurator, child = _school_child()
    OrganisationFactory(org_type="bup", principal=school.principal)
    _guardians(actor_of(kurator), child)
    client = _session(kurator)
    page = f"/samtycken/barn/{child.public_id}/nytt/"
    form = _form(client, page, page, None)
    values = {name: _ticked(form, name) for name in ("parties", "categories", "purposes", "givers")}
    values["given_on"] = timezone.localdate().isoformat()
    values["child_views"] = "Vill att skolan och BUP pratar med varandra."
    statuses = _race_form(race, client, page, page, **values)
    assert set(statuses) == {302}, statuses
    assert Consent.objects.filter(child=child).count() == 1


def test_twenty_identical_starts_of_a_sip_make_one(race):
    from samverkan.directory.tests.factories import OrganisationFactory, actor_of
    from samverkan.plans.models import Plan

    school, kurator, child = _school_child()
    bup = OrganisationFactory(org_type="bup", principal=school.principal)
    actor = actor_of(kurator)
    _guardians(actor, child)
    _family_consent(
        actor,
        child,
        [school.pk, bup.pk],
        category_codes=["insatser"],
        purpose_codes=["sip"],
        context="voluntary",
        child_views="Vill att skolan och BUP pratar med varandra.",
    )
    client = _session(kurator)
    page = f"/sip/barn/{child.public_id}/ny/"
    values = {"called": [str(bup.pk)], "purpose": "Samordna stödet", "question": "Vad behövs?"}
    statuses = _race_form(race, client, page, page, **values)
    assert set(statuses) == {302}, statuses
    assert Plan.objects.filter(child=child).count() == 1


def test_twenty_identical_questions_to_a_survey_make_one(race):
    """The survey is a draft: an open survey takes no new questions, and a refusal by
    a message would make no question at all (the count below then fails)."""
    from samverkan.directory.tests.factories import actor_of
    from samverkan.governance import surveys
    from samverkan.governance.survey_models import SurveyQuestion
    from samverkan.governance.tests.factories import Setting

    setting = Setting()
    survey = surveys.survey_create(
        actor=actor_of(setting.strategist),
        title="Samverkan i skolan",
        audience="verksamheter",
        org_types=["skola"],
    )
    client = _session(setting.strategist)
    page = f"/strategi/enkater/{survey.public_id}/"
    action = f"{page}andra/fraga/"
    values = {"text": "Hur väl fungerar samverkan?"}
    statuses = _race_form(race, client, page, action, **values)
    assert set(statuses) == {302}, statuses
    assert SurveyQuestion.objects.filter(survey=survey).count() == 1


KNOWLEDGE = {
    "aktorer": "ActorProfile",
    "begrepp": "Concept",
    "faktorer": "Factor",
    "forslag": "ChecklistSuggestion",
    "metoder": "Method",
}


@pytest.mark.parametrize("segment", sorted(KNOWLEDGE))
def test_twenty_identical_knowledge_entries_make_one(race, segment):
    from django.apps import apps

    from samverkan.directory.tests.factories import MembershipFactory

    model = apps.get_model("knowledge", KNOWLEDGE[segment])
    admin = MembershipFactory(code="systemadministrator")
    client = _session(admin)
    page = f"/kunskap/{segment}/ny/"
    form = _form(client, page, page, None)
    title = f"Samma post ({segment})"
    named = {f.name: title for f in form.fields if f.name in {"name", "title", "term", "text"}}
    assert named, [f.name for f in form.fields]
    before = model.objects.count()
    statuses = _race_form(race, client, page, page, **named)
    assert set(statuses) == {302}, statuses
    assert model.objects.count() == before + 1


# A report's own creations: the reporter's addition, intake's protection assessment.
# Each must make what one post makes (``_rows``: every table's count, so also the inbox
# items and the audit rows).


def _rows():
    from collections import Counter

    from django.apps import apps

    return Counter(
        {
            m._meta.label: m._default_manager.count()
            for m in apps.get_models()
            if m._meta.managed and not m._meta.proxy
        }
    )


def _made(before, after) -> dict:
    return {label: after[label] - before[label] for label in after if after[label] != before[label]}


def _race_like_one(race, client, page, action, having=None, **values):
    """Races the form twenty times with one key, then sends it once more with a new key
    and every given text changed (a second, deliberate creation; a name may be unique):
    the twenty must have made exactly what the one made, and something (a visitor's
    first post opens a session, which is no record). Returns what one creation makes."""
    start = _rows()
    statuses = _race_form(race, client, page, action, having, **values)
    assert set(statuses) == {302}, statuses
    raced = _rows()
    form = _form(client, page, action, having)
    data = {**plausible_data(form), **values, "submission_key": "ny-nyckel-1"}
    typed = {f.name for f in form.fields if f.kind in {"text", "textarea"}}
    data = {k: f"{v} (2)" if k in typed and v else v for k, v in data.items()}
    again = client.post(form.action or action, data)
    assert again.status_code == 302, (again.status_code, _errors(again))
    made_once = _made(raced, _rows())
    ignored = {"core.Submission", "sessions.Session"}
    made = {k: v for k, v in _made(start, raced).items() if k not in ignored}
    made_once = {k: v for k, v in made_once.items() if k not in ignored}
    assert made_once, "one post made nothing"
    assert made == made_once, (made, made_once)
    return made


def _errors(response) -> list:
    import re

    return re.findall(r'class="field-error"[^>]*>([^<]*)<', response.content.decode())


def _submitted_report():
    from samverkan.concerns import services
    from samverkan.concerns.tests.factories import report_world
    from samverkan.directory.tests.factories import actor_of
    from samverkan.people.tests.factories import ChildFactory, InvolvementFactory

    world = report_world()
    child = ChildFactory()
    InvolvementFactory(child=child, organisation=world.school)
    report = services.report_submit(
        actor=actor_of(world.teacher),
        personal_number=child.personal_number,
        worry="Barnet säger att hen inte vågar gå hem.",
        reporter_phone="0123-456 78",
    )
    return world, report


@pytest.mark.parametrize(
    "what,who",
    [
        ("tillagg", "teacher"),
        ("skyddsbedomning", "intake"),
    ],
)
def test_twenty_identical_creations_on_a_report_make_one(race, what, who):
    world, report = _submitted_report()
    client = _session(getattr(world, who))
    page = f"/anmalan/{report.public_id}/"
    made = _race_like_one(race, client, page, f"{page}{what}/")
    print(what, made)


def _admin():
    from samverkan.directory.tests.factories import MembershipFactory, OrganisationFactory

    it = OrganisationFactory(name="IT-enheten", org_type="annan")
    return _session(MembershipFactory(organisation=it, code="systemadministrator"))


def _an_organisation():
    from samverkan.directory.tests.factories import OrganisationFactory

    return OrganisationFactory(org_type="skola")


ADMIN = {
    "huvudman": lambda: ("/administration/huvudman/ny/", {"name": "Samma huvudman"}),
    "organisation": lambda: ("/administration/organisation/ny/", {"name": "Samma skola"}),
    "enhet": lambda: (
        f"/administration/organisation/{_an_organisation().public_id}/enhet/ny/",
        {"name": "Samma enhet"},
    ),
    "funktion": lambda: (
        f"/administration/organisation/{_an_organisation().public_id}/funktion/ny/",
        {"name": "Samma funktion"},
    ),
    "kontaktfunktion": lambda: (
        f"/administration/organisation/{_an_organisation().public_id}/kontaktfunktion/ny/",
        {"title": "Samma kontaktfunktion"},
    ),
}


@pytest.mark.parametrize("what", sorted(ADMIN))
def test_twenty_identical_creations_in_the_administration_make_one(race, what):
    client = _admin()
    page, values = ADMIN[what]()
    made = _race_like_one(race, client, page, page, **values)
    print(what, made)


def test_twenty_identical_public_reports_file_one(race):
    from samverkan.concerns.tests.factories import report_world

    report_world()
    client = Client(raise_request_exception=False)
    page = "/anmalan/privatperson/"
    values = {"child_details": "Nora, 9 år, Exempelskolan", "worry": "Hen är ofta ledsen."}
    made = _race_like_one(race, client, page, page, **values)
    print("public", made)


def test_twenty_identical_forums_make_one(race):
    client = _admin()
    page = "/forum/nytt/"
    form = _form(client, page, page, None)
    boxes = {f.name for f in form.fields if f.kind == "checkbox"}
    values = {name: _ticked(form, name) for name in boxes}
    made = _race_like_one(race, client, page, page, name="Samma forum", **values)
    print("forum", made)


def test_twenty_identical_comments_on_an_agreement_make_one(race):
    from samverkan.governance.tests.factories import Setting, agreement

    setting = Setting()
    a = agreement(setting, title="Rutin att tycka till om")  # titles are unique
    client = _session(setting.strategist)
    page = f"/avtal/{a.public_id}/"
    made = _race_like_one(race, client, page, f"{page}synpunkt/", text="Samma synpunkt.")
    print("comment", made)


@pytest.mark.parametrize("what", sorted(ADMIN))
def test_twenty_creations_of_one_name_from_twenty_tabs_make_one_and_no_500(race, what):
    """Twenty different keys (two administrators, or two tabs): a name is unique by
    nature, so one is made and the others are refused at the field, never a 500."""
    client = _admin()
    page, values = ADMIN[what]()
    values = {k: f"{v} i flikar" for k, v in values.items()}  # not the one-key test's names
    form = _form(client, page, page, None)
    data = {**plausible_data(form), **values}
    start = _rows()
    results = race(20, lambda i: client.post(page, {**data, "submission_key": f"flik-{i:04d}"}))
    statuses = [r if isinstance(r, Exception) else r.status_code for r in results]
    assert statuses.count(302) == 1 and set(statuses) == {200, 302}, statuses
    made = _made(start, _rows())
    made.pop("core.Submission", None)  # the winner's key
    assert sum(made.values()) == 2, made  # the record and its audit row

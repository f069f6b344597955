"""The portal in English for a reader who chose it: the login button's default label, a
consent's kinds of information and purposes (in the page and in the form that removes
them) and an effort's status are English; the text the guardian signs stays the Swedish
text its digest was taken of."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.test import Client
from django.utils import timezone

from samverkan.plans import services as plan_services
from samverkan.plans.tests.factories import PlanFactory, PlanOrganisationFactory

from .conftest import portal_client


def _english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_login_button_is_in_english(settings):
    settings.SAMVERKAN_PORTAL_OIDC = {
        **settings.SAMVERKAN_PORTAL_OIDC,
        "ISSUER": "https://id.example.se",
        "CLIENT_ID": "samverkan-familj",
        "BUTTON_LABEL": "Logga in med BankID eller Freja eID",
    }
    page = _english(Client()).get("/familj/logga-in/").content.decode()
    assert "Log in with BankID or Freja eID" in page
    assert "Logga in med BankID" not in page
    # A label the municipality set is shown as written.
    settings.SAMVERKAN_PORTAL_OIDC = {
        **settings.SAMVERKAN_PORTAL_OIDC,
        "BUTTON_LABEL": "Logga in med e-legitimation (Exempelkommun)",
    }
    page = _english(Client()).get("/familj/logga-in/").content.decode()
    assert "Logga in med e-legitimation (Exempelkommun)" in page


def test_a_consent_names_its_kinds_of_information_and_purposes_in_english(family):
    client = _english(portal_client(family.accounts[0]))
    page = client.get(f"/familj/samtycke/{family.consent.public_id}/").content.decode()
    for english in ("School situation and attendance", "Health", "Collaboration meeting"):
        assert f"<li>{english}</li>" in page, english
    for swedish in ("Skolsituation och närvaro", "Samverkansträff"):
        assert f"<li>{swedish}</li>" not in page, swedish
    # The text signed is the Swedish one shown to every signer (portal.receipt).
    assert 'class="signed-text" lang="sv"' in page


def test_a_narrowable_consent_offers_its_categories_in_english(family):
    from samverkan.consent import services as consent_services
    from samverkan.directory.tests.factories import actor_of

    givers = [
        consent_services.GiverInput(kind="guardian", guardian_id=str(g.public_id))
        for g in family.guardians
    ]
    consent = consent_services.consent_give(
        actor=actor_of(family.kurator),
        child=family.child,
        party_ids=[family.bup.pk],
        category_codes=["skolsituation", "halsa"],
        purpose_codes=["samverkanstraff"],
        form="written",
        context="voluntary",
        givers=givers,
    )
    page = (
        _english(portal_client(family.accounts[0]))
        .get(f"/familj/samtycke/{consent.public_id}/")
        .content.decode()
    )
    assert 'name="narrow-categories"' in page
    # In the list of what the consent covers and as a choice in the form.
    assert page.count("School situation and attendance") == 2
    assert "Skolsituation och närvaro" not in page


def test_an_effort_done_is_done_not_held(family):
    plan = PlanFactory(
        child=family.child,
        started_by_organisation=family.school,
        started_by=family.kurator.user,
        meeting_at=timezone.now() + datetime.timedelta(days=7),
    )
    PlanOrganisationFactory(plan=plan, organisation=family.school, is_starter=True)
    plan_services.plan_save(
        actor=family.staff(family.kurator),
        plan=plan,
        expected_version=plan.version,
        needs=["Orka hela skoldagen"],
        long_term_goal="Gå ut nian",
        short_term_goals=[],
        efforts=[
            plan_services.EffortInput(
                title="Läxhjälp", organisation_id=family.school.pk, responsible="Mentor"
            )
        ],
        responsible_organisation_id=family.school.pk,
        coordinator_user_id=family.kurator.user_id,
        follow_up_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    plan.refresh_from_db()
    content = plan.versions.get(number=plan.version).content
    key = content["efforts"][0]["key"]
    plan_services.followup_record(
        actor=family.staff(family.kurator),
        plan=plan,
        held_on=timezone.localdate(),
        assessments=[plan_services.AssessmentInput(effort_key=key, status="done", effect="")],
        note="",
        next_follow_up_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    page = _english(portal_client(family.accounts[0])).get(f"/familj/plan/{plan.public_id}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Läxhjälp</span>: Done" in text
    assert "Held" not in text

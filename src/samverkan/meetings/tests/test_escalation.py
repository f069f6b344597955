"""Escalation of disagreements (gråzon): the chain of steps, deadlines, overdue steps
shown to the step's owner, anonymised or under consent."""

import datetime

import pytest
from django.utils import timezone

from samverkan.core.errors import PermissionDenied, ValidationFailed
from samverkan.meetings import selectors, services
from samverkan.meetings.models import Escalation

pytestmark = pytest.mark.django_db


def _open(world, **kw):
    return services.escalation_open(
        actor=world.actor("karin"),
        title="Vem ansvarar?",
        description="En elev behöver stöd; verksamheterna är oeniga om vem som ska ge det.",
        counterpart_organisation_id=world.organisations["Socialtjänsten barn och familj"].pk,
        **kw,
    )


def test_the_default_chain_step_by_step(world):
    escalation = _open(world)
    steps = list(escalation.steps.all())
    assert [s.name for s in steps] == ["Eget internt forum"]
    first = steps[0]
    assert first.owner_organisation == world.organisations["Elevhälsan Frejaskolan"]
    assert first.deadline == timezone.localdate() + datetime.timedelta(days=14)
    with pytest.raises(PermissionDenied, match="ägare"):
        services.escalation_step_record(
            actor=world.actor("sofia"), step=first, positions="", decision="x", outcome="escalate"
        )
    services.escalation_step_record(
        actor=world.actor("karin"),
        step=first,
        positions="Elevhälsan: socialtjänsten. Socialtjänsten: skolan.",
        decision="Ingen enighet; lyfts.",
        outcome="escalate",
    )
    second = escalation.steps.get(position=1)
    assert second.name == "Gemensamt samverkansorgan"
    # The joint body: the base-level forum both organisations are members of.
    assert second.forum.name == "Samverkansträff 0–12"
    assert second.owner_organisation == world.organisations["Socialtjänsten barn och familj"]
    services.escalation_step_record(
        actor=world.actor("sofia"),
        step=second,
        positions="…",
        decision="Lyfts.",
        outcome="escalate",
    )
    third = escalation.steps.get(position=2)
    assert third.name == "Styrgrupp"
    assert third.forum.name == "Strategigruppen barn och unga"
    assert third.deadline == timezone.localdate() + datetime.timedelta(days=30)
    services.escalation_step_record(
        actor=world.actor("erik"), step=third, positions="…", decision="Lyfts.", outcome="escalate"
    )
    fourth = escalation.steps.get(position=3)
    assert fourth.name == "Politiskt forum"
    with pytest.raises(ValidationFailed, match="inget steg över"):
        services.escalation_step_record(
            actor=world.actor("karin"), step=fourth, positions="", decision="x", outcome="escalate"
        )
    fourth.refresh_from_db()
    services.escalation_step_record(
        actor=world.actor("karin"),
        step=fourth,
        positions="…",
        decision="Socialtjänsten ansvarar.",
        outcome="resolved",
    )
    escalation.refresh_from_db()
    assert escalation.status == "resolved"


def test_overdue_steps_are_shown_to_the_owner(world, login):
    demo = Escalation.objects.get(title__startswith="Vem ansvarar för stöd")
    step = demo.steps.get()
    assert step.deadline < timezone.localdate()
    assert step in selectors.overdue_steps(world.actor("karin"))
    assert selectors.overdue_steps(world.actor("sofia")) == []  # not the owner
    assert selectors.overdue_steps(world.actor("karin"), today=step.deadline) == []
    page = login("karin").get("/forum/")
    assert "Eskaleringssteg som passerat tidsgränsen" in page.text
    assert "försenat" in page.text


def test_chain_is_configurable(world, settings):
    settings.SAMVERKAN = {
        **settings.SAMVERKAN,
        "MEETINGS_ESCALATION_CHAIN": [
            {"name": "Rektor och enhetschef", "days": 5, "forum": ""},
            {"name": "Förvaltningsledning", "days": 10, "forum": ""},
        ],
    }
    escalation = _open(world)
    first = escalation.steps.get()
    assert first.name == "Rektor och enhetschef"
    assert first.deadline == timezone.localdate() + datetime.timedelta(days=5)


def test_anonymised_text_is_checked_and_consent_needed_for_a_name(world):
    with pytest.raises(services.IdentifyingText):
        services.escalation_open(
            actor=world.actor("karin"),
            title="Melwin",
            description="x",
            counterpart_organisation_id=world.organisations["BUP"].pk,
        )
    named = _open(world, child=world.children["melwin"])
    assert named.consent_reference
    with pytest.raises(services.ConsentMissing):
        services.escalation_open(
            actor=world.actor("karin"),
            title="Melwin",
            description="x",
            counterpart_organisation_id=world.organisations["Vårdcentralen"].pk,
            child=world.children["melwin"],
        )


def test_escalation_pages_for_parties_only(world, login):
    escalation = _open(world)
    assert login("karin").get(f"/forum/eskalering/{escalation.public_id}/").status_code == 200
    assert login("sofia").get(f"/forum/eskalering/{escalation.public_id}/").status_code == 200
    assert login("lena").get(f"/forum/eskalering/{escalation.public_id}/").status_code == 404
    assert login("admin").get("/forum/eskalering/").status_code == 403
    response = login("karin").post(
        f"/forum/eskalering/{escalation.public_id}/",
        {"positions": "Olika syn.", "decision": "Lyfts vidare.", "outcome": "escalate"},
    )
    assert response.status_code == 302
    assert escalation.steps.count() == 2

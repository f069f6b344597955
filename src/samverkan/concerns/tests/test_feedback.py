"""Feedback to the reporter: whitelisted statements pass on the named legal path, one
click each; anything else only on a consent for the purpose "återkoppling", and the
refusal says exactly why."""

from __future__ import annotations

import pytest

from samverkan.audit.models import AuditEvent
from samverkan.concerns import selectors, services
from samverkan.concerns.models import Statement
from samverkan.consent import services as consent_services
from samverkan.core.errors import PermissionDenied, ValidationFailed
from samverkan.people import selectors as people

from .conftest import SOCIAL

FREE_TEXT = "Familjen har fått ett stödsamtal varje vecka på Familjecentralen."


def _consent(world, *, purposes=("aterkoppling",), categories=("insatser",)):
    noah = world.children["noah"]
    frejaskolan = world.organisations["Frejaskolan"]
    return consent_services.consent_give(
        actor=world.actor("frida"),
        child=noah,
        party_ids=[world.organisations[SOCIAL].pk],
        category_codes=list(categories),
        purpose_codes=list(purposes),
        form="written",
        context="report_investigation",
        givers=[
            consent_services.GiverInput(kind="guardian", guardian_id=str(c.guardian.public_id))
            for c in people.system_custodies(noah, frejaskolan.pk)
        ],
    )


@pytest.mark.parametrize("statement", Statement.values)
def test_every_whitelisted_statement_passes_without_consent(world, assigned, statement):
    entry = services.feedback_send(actor=world.actor("olof"), report=assigned, statement=statement)
    assert entry.ground_code == "feedback_whitelist"
    assert entry.to_reporter
    view = selectors.report_get(world.actor("mats"), assigned.public_id)
    assert [e.text for e in view.feedback] == [Statement(statement).label]
    row = AuditEvent.objects.filter(action="disclose", resource_id=str(assigned.public_id)).last()
    assert row.ground_code == "feedback_whitelist" and row.outcome == "allowed"


def test_one_click_in_the_browser(world, login, assigned):
    client = login("olof")
    response = client.post(
        f"/anmalan/{assigned.public_id}/aterkoppling/", {"statement": "investigation_opened"}
    )
    assert response.status_code == 302
    page = login("mats").get(f"/anmalan/{assigned.public_id}/").content.decode()
    assert "En utredning har inletts." in page


def test_free_text_is_refused_without_consent_and_says_why(world, login, assigned):
    with pytest.raises(PermissionDenied) as err:
        services.feedback_send(actor=world.actor("olof"), report=assigned, text=FREE_TEXT)
    assert "Samtycke saknas" in err.value.message
    assert "Frejaskolan" in err.value.message and "Återkoppling" in err.value.message
    denied = AuditEvent.objects.filter(action="disclose", outcome="denied").last()
    assert denied.reason == err.value.message
    page = login("olof").post(
        f"/anmalan/{assigned.public_id}/aterkoppling/",
        {"text": FREE_TEXT, "category": "insatser"},
        follow=True,
    )
    assert "Återkopplingen skickades inte: Samtycke saknas" in page.content.decode()
    assert FREE_TEXT not in login("mats").get(f"/anmalan/{assigned.public_id}/").content.decode()


def test_free_text_passes_with_a_consent_for_feedback(world, assigned):
    given = _consent(world)
    entry = services.feedback_send(actor=world.actor("olof"), report=assigned, text=FREE_TEXT)
    assert entry.ground_code == "consent"
    assert entry.ground_reference == str(given.public_id)
    view = selectors.report_get(world.actor("mats"), assigned.public_id)
    assert FREE_TEXT in [e.text for e in view.feedback]


def test_consent_for_another_purpose_or_category_is_not_enough(world, assigned):
    _consent(world, purposes=("sip",))
    with pytest.raises(PermissionDenied) as err:
        services.feedback_send(actor=world.actor("olof"), report=assigned, text=FREE_TEXT)
    assert "omfattar inte syftet" in err.value.message
    with pytest.raises(PermissionDenied):
        services.feedback_send(
            actor=world.actor("olof"), report=assigned, text=FREE_TEXT, category="halsa"
        )


def test_revoked_consent_stops_free_text(world, assigned):
    given = _consent(world)
    consent_services.consent_revoke(actor=world.actor("frida"), consent=given)
    with pytest.raises(PermissionDenied) as err:
        services.feedback_send(actor=world.actor("olof"), report=assigned, text=FREE_TEXT)
    assert "återkallades" in err.value.message


def test_only_the_handler_sends_feedback(world, report, assigned):
    with pytest.raises(PermissionDenied):
        services.feedback_send(actor=world.actor("maria"), report=assigned, statement="handler")


def test_feedback_needs_a_handler(world, report):
    services.handling_assign(
        actor=world.actor("maria"),
        report=report,
        handler_membership_id=world.memberships["olof"].pk,
    )
    with pytest.raises(ValidationFailed):
        services.feedback_send(actor=world.actor("olof"), report=report)


def test_question_and_answer(world, login, assigned):
    question = services.reporter_entry_add(
        actor=world.actor("mats"), report=assigned, kind="question", text="Har ni träffat familjen?"
    )
    assert selectors.notices_for(world.actor("olof"))[0].report == assigned
    answer = services.feedback_send(
        actor=world.actor("olof"),
        report=assigned,
        statement="meeting_family",
        in_reply_to=question,
    )
    assert answer.in_reply_to == question
    page = login("mats").get(f"/anmalan/{assigned.public_id}/").content.decode()
    assert "Har ni träffat familjen?" in page and "Socialtjänsten träffar familjen." in page


def test_whitelist_path_needs_a_report_from_that_organisation(world, assigned):
    """The legal path opens only between the reporting organisation and social
    services: BUP asking for the same statement gets nothing."""
    from samverkan.concerns import legal
    from samverkan.consent import sharing

    decision = sharing.decide_sharing(
        child=assigned.child,
        from_organisation_id=assigned.receiving_organisation_id,
        to_organisation_id=world.organisations["BUP"].pk,
        category=legal.WHITELIST_CATEGORY,
        purpose=legal.WHITELIST_PURPOSE,
    )
    assert not decision.allowed
    decision = sharing.decide_sharing(
        child=assigned.child,
        from_organisation_id=world.organisations["Frejaskolan"].pk,
        to_organisation_id=assigned.receiving_organisation_id,
        category=legal.REPORT_CATEGORY,
        purpose=legal.REPORT_PURPOSE,
    )
    assert decision.allowed and decision.ground.code == "duty_to_report"
    assert decision.ground.reference in {str(assigned.public_id)} | {
        str(r.public_id) for r in type(assigned).objects.filter(child=assigned.child)
    }

"""Feedback to the reporter: typed statements from the catalogue (data/feedback.yaml),
each passing on its own ground (the statutory minimum, the municipality's list of
harmless facts, or a consent) and only while it is true of the matter; free text only
on a consent for the purpose "återkoppling", and the refusal says exactly why.
Defects 3 and 4 of issue 11 are reproduced here."""

from __future__ import annotations

import pytest

from samverkan.audit.models import AuditEvent
from samverkan.concerns import feedback, selectors, services
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


def _decide(world, report, decision):
    services.preliminary_decide(actor=world.actor("olof"), report=report, decision=decision)


def _close(world, report, outcome):
    services.handling_close(actor=world.actor("olof"), report=report, outcome=outcome)


# (steps before sending, statement, the ground it passes on)
PASSES = [
    ([], "handler", "feedback_whitelist"),
    ([], "meeting_family", "feedback_whitelist"),
    ([], "report_right", "feedback_whitelist"),
    ([], "new_worry_new_report", "feedback_whitelist"),
    ([("decide", "open")], "investigation_opened", "feedback_statutory"),
    ([("decide", "open")], "child_better", "feedback_whitelist"),
    ([("decide", "not_open")], "investigation_not_opened", "feedback_statutory"),
    ([("decide", "ongoing")], "investigation_ongoing", "feedback_statutory"),
    (
        [("decide", "open"), ("close", "no_intervention")],
        "investigation_closed",
        "feedback_whitelist",
    ),
    (
        [("decide", "open"), ("close", "no_intervention")],
        "closed_no_intervention",
        "feedback_whitelist",
    ),
]


def _steps(world, report, steps):
    for step, value in steps:
        (_decide if step == "decide" else _close)(world, report, value)


@pytest.mark.parametrize(("steps", "statement", "ground"), PASSES)
def test_each_statement_passes_on_its_ground_while_true(world, assigned, steps, statement, ground):
    _steps(world, assigned, steps)
    entry = services.feedback_send(actor=world.actor("olof"), report=assigned, statement=statement)
    assert entry.ground_code == ground
    assert entry.to_reporter
    view = selectors.report_get(world.actor("mats"), assigned.public_id)
    assert [e.text for e in view.feedback] == [feedback.statement(statement).text]
    row = AuditEvent.objects.filter(action="disclose", resource_id=str(assigned.public_id)).last()
    assert row.ground_code == ground and row.outcome == "allowed"


@pytest.mark.parametrize("statement", ["investigation_not_opened", "investigation_closed"])
def test_defect_4_contradicting_statements_are_refused(world, login, api, assigned, statement):
    """After "Utredning inleds" the reporter was told both "Någon utredning inleds inte"
    and "Utredningen är avslutad" next to "Utredning pågår". Now the service refuses
    them, the page does not offer them and the API answers 422."""
    _decide(world, assigned, "open")
    with pytest.raises(ValidationFailed) as refused:
        services.feedback_send(actor=world.actor("olof"), report=assigned, statement=statement)
    assert "stämmer inte med ärendet" in refused.value.message
    page = login("olof").get(f"/anmalan/{assigned.public_id}/").text
    assert f'value="{statement}"' not in page
    assert 'value="investigation_opened"' in page
    response = api("olof").post(
        f"/api/concerns/{assigned.public_id}/feedback",
        {"statement": statement},
        content_type="application/json",
    )
    assert response.status_code == 422
    reporter = login("mats").get(f"/anmalan/{assigned.public_id}/").text
    assert feedback.statement(statement).text not in reporter
    assert "Utredning pågår" in reporter


def test_closure_must_agree_with_the_decision(world, assigned):
    _decide(world, assigned, "open")
    with pytest.raises(ValidationFailed) as refused:
        _close(world, assigned, "no_investigation")
    assert "En utredning har inletts" in refused.value.message


OUTCOME_WORDS = ("insats", "överlämnad", "annan kommun")


def _reporter_sees(world, login, api, report) -> list[str]:
    """The status line the reporting side gets on every path that shows it."""
    mats = login("mats")
    mine = mats.get("/anmalan/mina/").text
    page = mats.get(f"/anmalan/{report.public_id}/").text
    panel = selectors.reports_for_child(world.actor("mats"), report.child)
    api_status = api("mats").get(f"/api/concerns/{report.public_id}").json()["status"]
    statuses = [v.status for v in panel if v.report.pk == report.pk] + [api_status]
    assert all(s in mine and s in page for s in statuses)
    return statuses


@pytest.mark.parametrize(
    ("steps", "status"),
    [
        ([("decide", "open"), ("close", "intervention")], "Utredningen är avslutad"),
        ([("decide", "open"), ("close", "referred")], "Utredningen är avslutad"),
        ([("decide", "not_open"), ("close", "referred")], "Någon utredning inleds inte"),
        ([("close", "referred")], "Avslutad"),
    ],
)
def test_defect_3_outcomes_reach_the_reporter_only_in_whitelisted_words(
    world, login, api, assigned, steps, status
):
    """With no consent covering the school, "Utredning avslutad med insats" was shown
    to the reporter as "Avslutad (utredning avslutad med insats)"."""
    _steps(world, assigned, steps)
    for seen in _reporter_sees(world, login, api, assigned):
        assert seen == status
    mine = login("mats").get("/anmalan/mina/").text
    assert "Avslutad (" not in mine
    assert not any(
        w in s.lower() for s in _reporter_sees(world, login, api, assigned) for w in OUTCOME_WORDS
    )
    # Social services still sees its own matter as it is.
    intake = selectors.report_get(world.actor("olof"), assigned.public_id)
    assert intake.status.startswith("Avslutad (")


def test_outcome_beyond_the_whitelist_needs_consent(world, login, api, assigned):
    _steps(world, assigned, [("decide", "open"), ("close", "intervention")])
    with pytest.raises(PermissionDenied) as refused:
        services.feedback_send(
            actor=world.actor("olof"), report=assigned, statement="closed_with_intervention"
        )
    assert "Samtycke saknas" in refused.value.message
    given = _consent(world)
    entry = services.feedback_send(
        actor=world.actor("olof"), report=assigned, statement="closed_with_intervention"
    )
    assert entry.ground_code == "consent" and entry.ground_reference == str(given.public_id)
    assert (
        _reporter_sees(world, login, api, assigned)
        == ["Avslutad – utredning avslutad med insats"] * 2
    )


def test_the_municipality_decides_its_harmless_list(world, settings, login, assigned):
    settings.SAMVERKAN = {
        **settings.SAMVERKAN,
        "CONCERN_FEEDBACK_HARMLESS": ["handler", "report_right", "new_worry_new_report"],
    }
    with pytest.raises(PermissionDenied) as refused:
        services.feedback_send(
            actor=world.actor("olof"), report=assigned, statement="meeting_family"
        )
    assert "Samtycke saknas" in refused.value.message
    # "Handläggare utsedd, förhandsbedömning pågår" is off the list: the reporter
    # sees what they know themselves.
    assert selectors.report_get(world.actor("mats"), assigned.public_id).status == "Mottagen"
    # The statutory minimum cannot be taken off.
    _decide(world, assigned, "open")
    assert selectors.report_get(world.actor("mats"), assigned.public_id).status == "Utredning pågår"


def test_codes_already_sent_keep_their_wording():
    """Feedback sent before the catalogue carries these codes and texts (migration
    0004 changes no row): each is still in the catalogue with the same words."""
    before = {
        "handler": "Ärendet handläggs av den handläggare som visas här.",
        "investigation_opened": "En utredning har inletts.",
        "investigation_not_opened": "Någon utredning inleds inte.",
        "investigation_ongoing": "En utredning pågår redan.",
        "meeting_family": "Socialtjänsten träffar familjen.",
        "child_better": "Barnet mår enligt socialtjänstens bedömning bättre nu.",
        "investigation_closed": "Utredningen är avslutad.",
        "closed_no_intervention": "Utredningen är avslutad utan insats från socialtjänsten.",
        "report_right": "Anmälan var riktig och gjordes i enlighet med anmälningsskyldigheten.",
        "new_worry_new_report": "Om ni blir oroliga för barnet igen ska ni göra en ny anmälan.",
    }
    assert {code: feedback.statement(code).text for code in before} == before


def test_one_click_in_the_browser(world, login, assigned):
    _decide(world, assigned, "open")
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
    # The school registered the consent: who revoked it is the school's to know. Social
    # services, which reads the refusal, is told that the consent no longer holds and
    # the lawful next step (issue 11: a refusal is explained for its reader).
    assert f"Samtycke {given.short_id} gäller inte längre" in err.value.message
    assert "återkallades" not in err.value.message


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
    from samverkan.notify import selectors as inbox

    assert any(
        row.shown.title.startswith(f"Nytt från anmälaren på anmälan {assigned.reference}")
        for row in inbox.inbox_page(world.actor("olof"))
    )
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

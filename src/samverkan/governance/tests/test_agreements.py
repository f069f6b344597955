"""Agreements and routines: who may read and edit, revisions and comparison, comments
and proposals, review reminders, the PDF, and that every change is audited."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from samverkan.audit.models import AuditEvent
from samverkan.core.errors import NotFound, PermissionDenied, StaleWrite, ValidationFailed
from samverkan.directory.models import Function
from samverkan.governance import selectors, services
from samverkan.governance.models import (
    Agreement,
    AgreementComment,
    AgreementRevision,
    AgreementStatus,
    CommentStatus,
)

from .factories import BODY, agreement

pytestmark = pytest.mark.django_db


def _data(a: Agreement, **changes) -> services.AgreementData:
    values = {
        "title": a.title,
        "kind": a.kind,
        "status": a.status,
        "summary": a.summary,
        "body": a.body,
        "owner_organisation": a.owner_organisation,
        "owner_function": a.owner_function,
        "decision_forum": a.decision_forum,
        "decided_on": a.decided_on,
        "valid_until": a.valid_until,
        "review_on": a.review_on,
        "parties": [p.organisation for p in a.parties.all()],
        "forums": list(a.forums.all()),
        "knowledge_links": list(a.knowledge_links),
    }
    values.update(changes)
    return services.AgreementData(**values)


def _changes(a):
    return AuditEvent.objects.filter(
        resource_type="governance.agreement", resource_id=str(a.public_id)
    )


# Who may read -------------------------------------------------------------------------
def test_the_library_page_exists_and_lists_what_the_reader_may_see(setting, client_for):
    a = agreement(setting)
    response = client_for(setting.reader).get("/avtal/")
    assert response.status_code == 200
    assert a.title in response.text
    response = client_for(setting.other).get("/avtal/")
    assert response.status_code == 200
    assert a.title not in response.text


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("reader", 200),  # staff of a party
        ("colleague", 200),  # staff of the owner organisation (a party)
        ("owner", 200),
        ("strategist", 200),
        ("other", 404),  # not a party
    ],
)
def test_who_may_read_an_agreement(setting, client_for, who, status):
    a = agreement(setting)
    response = client_for(getattr(setting, who)).get(
        reverse("governance:detail", args=[a.public_id])
    )
    assert response.status_code == status
    if status == 404:
        assert a.title not in response.text


def test_anonymous_is_sent_to_login(setting, client):
    a = agreement(setting)
    response = client.get(reverse("governance:detail", args=[a.public_id]))
    assert response.status_code == 302 and "logga-in" in response["Location"]


def test_a_draft_is_seen_only_by_those_who_write_it(setting, client_for, as_actor):
    a = agreement(setting, status=AgreementStatus.DRAFT, decided_on=None)
    url = reverse("governance:detail", args=[a.public_id])
    assert client_for(setting.reader).get(url).status_code == 404
    assert client_for(setting.owner).get(url).status_code == 200
    assert client_for(setting.strategist).get(url).status_code == 200
    assert a not in selectors.agreement_list(as_actor(setting.reader))
    assert a in selectors.agreement_list(as_actor(setting.owner))


# Who may edit -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "status"),
    [("reader", 404), ("colleague", 404), ("other", 404), ("owner", 200), ("strategist", 200)],
)
def test_who_may_open_the_edit_form(setting, client_for, who, status):
    a = agreement(setting)
    response = client_for(getattr(setting, who)).get(reverse("governance:edit", args=[a.public_id]))
    assert response.status_code == status


@pytest.mark.parametrize("who", ["reader", "colleague"])
def test_a_reader_cannot_change_the_text_and_nothing_changes(setting, as_actor, who):
    a = agreement(setting)
    before = _changes(a).count()
    with pytest.raises(PermissionDenied):
        services.agreement_update(
            actor=as_actor(getattr(setting, who)),
            agreement_id=a.public_id,
            data=_data(a, body="Ny text"),
            expected_version=1,
        )
    a.refresh_from_db()
    assert a.version == 1 and a.body == BODY.strip()
    assert _changes(a).count() == before


def test_a_non_party_gets_not_found_not_a_refusal(setting, as_actor):
    a = agreement(setting)
    with pytest.raises(NotFound):
        services.agreement_update(
            actor=as_actor(setting.other),
            agreement_id=a.public_id,
            data=_data(a, body="Ny text"),
            expected_version=1,
        )


def test_only_the_strategy_group_creates(setting, as_actor, client_for):
    with pytest.raises(PermissionDenied):
        agreement_data = _data(agreement(setting), title="Ännu en rutin")
        services.agreement_create(actor=as_actor(setting.owner), data=agreement_data)
    assert client_for(setting.owner).get(reverse("governance:create")).status_code == 404
    assert client_for(setting.strategist).get(reverse("governance:create")).status_code == 200


def test_the_strategy_group_creates_through_the_form_once(setting, client_for):
    enhetschef = Function.objects.get(code="enhetschef")
    form = {
        "title": "Överenskommelse om SIP",
        "kind": "overenskommelse",
        "status": "gallande",
        "body": "# Syfte\nAlla som kallas kommer.",
        "owner_organisation": setting.social.pk,
        "owner_function": enhetschef.pk,
        "decided_on": "2025-01-15",
        "parties": [setting.social.pk, setting.school.pk],
    }
    client = client_for(setting.strategist)
    response = client.post(reverse("governance:create"), form)
    assert response.status_code == 302
    again = client.post(reverse("governance:create"), form)
    assert again.status_code == 200
    assert "finns redan ett dokument med den rubriken" in again.text
    assert Agreement.objects.filter(title="Överenskommelse om SIP").count() == 1
    created = Agreement.objects.get(title="Överenskommelse om SIP")
    event = _changes(created).get()
    assert event.action == "create" and event.actor_username == setting.strategist.user.username
    assert event.ground_code == "strategy_group"


def test_bad_input_gets_a_clear_message_and_keeps_the_text(setting, client_for):
    client = client_for(setting.strategist)
    response = client.post(
        reverse("governance:create"),
        {
            "title": "Rutin utan beslut",
            "kind": "rutin",
            "status": "gallande",
            "body": "Min långa text som inte får försvinna.",
            "owner_organisation": setting.social.pk,
            "owner_function": Function.objects.get(code="enhetschef").pk,
            "parties": [setting.school.pk],
        },
    )
    assert response.status_code == 200
    assert "Ett gällande dokument behöver ett beslutsdatum." in response.text
    assert "Min långa text som inte får försvinna." in response.text
    assert not Agreement.objects.filter(title="Rutin utan beslut").exists()


# Revisions and comparison -------------------------------------------------------------
def test_every_save_keeps_a_revision_and_two_can_be_compared(setting, as_actor, client_for):
    a = agreement(setting)
    new_body = BODY.replace(
        "Socialtjänsten bekräftar mottagandet.", "Socialtjänsten bekräftar inom en dag."
    )
    services.agreement_update(
        actor=as_actor(setting.owner),
        agreement_id=a.public_id,
        data=_data(a, body=new_body, status=AgreementStatus.UNDER_REVISION),
        expected_version=1,
        comment="Tydligare frist",
    )
    a.refresh_from_db()
    assert a.version == 2
    assert list(AgreementRevision.objects.filter(agreement=a).values_list("number", flat=True)) == [
        2,
        1,
    ]
    revision = AgreementRevision.objects.get(agreement=a, number=2)
    assert set(revision.changed_fields) == {"body", "status"}
    assert revision.comment == "Tydligare frist"
    assert AgreementRevision.objects.get(agreement=a, number=1).data["body"] == BODY.strip()

    comparison = selectors.compare(as_actor(setting.reader), a.public_id, 1, 2)
    body = next(c for c in comparison.changes if c.name == "body")
    assert ("removed", "- Socialtjänsten bekräftar mottagandet.") in [
        (line.op, line.text) for line in body.lines
    ]
    assert ("added", "- Socialtjänsten bekräftar inom en dag.") in [
        (line.op, line.text) for line in body.lines
    ]
    status = next(c for c in comparison.changes if c.name == "status")
    assert (status.before, status.after) == ("Gällande", "Under revidering")

    page = client_for(setting.reader).get(
        reverse("governance:compare", args=[a.public_id]) + "?fran=1&till=2"
    )
    assert page.status_code == 200
    assert "<del" in page.text and "bekräftar inom en dag" in page.text
    event = _changes(a).filter(action="change").get()
    assert event.details["version"] == 2 and event.ground_code == "document_owner"


def test_a_stale_write_and_a_save_without_changes_are_refused(setting, as_actor):
    a = agreement(setting)
    owner = as_actor(setting.owner)
    services.agreement_update(
        actor=owner, agreement_id=a.public_id, data=_data(a, summary="Först"), expected_version=1
    )
    with pytest.raises(StaleWrite):
        services.agreement_update(
            actor=owner, agreement_id=a.public_id, data=_data(a, summary="Sen"), expected_version=1
        )
    a.refresh_from_db()
    with pytest.raises(ValidationFailed, match="Inget har ändrats"):
        services.agreement_update(
            actor=owner, agreement_id=a.public_id, data=_data(a), expected_version=2
        )
    assert a.summary == "Först" and a.version == 2


def test_a_comparison_of_versions_that_do_not_exist_is_not_found(setting, client_for):
    a = agreement(setting)
    url = reverse("governance:compare", args=[a.public_id]) + "?fran=1&till=7"
    assert client_for(setting.reader).get(url).status_code == 404


# The text -----------------------------------------------------------------------------
def test_the_body_is_rendered_with_headings_and_never_as_html(setting, client_for):
    a = agreement(setting, body="# Syfte <script>alert(1)</script>\n- punkt ett\n- punkt två")
    page = client_for(setting.reader).get(reverse("governance:detail", args=[a.public_id]))
    assert (
        '<h2 id="syfte-scriptalert1script">Syfte &lt;script&gt;alert(1)&lt;/script&gt;</h2>'
        in page.text
    )
    assert "<li>punkt ett</li><li>punkt två</li>" in page.text
    assert "<script>alert" not in page.text


def test_the_pdf_is_the_current_version_and_the_print_is_logged(setting, client_for, as_actor):
    a = agreement(setting)
    services.agreement_update(
        actor=as_actor(setting.owner),
        agreement_id=a.public_id,
        data=_data(a, body=BODY + "\n# Uppföljning\nVarje termin."),
        expected_version=1,
    )
    response = client_for(setting.reader).get(reverse("governance:pdf", args=[a.public_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Rutin för samverkan skola och socialtjänst" in text
    assert "Uppföljning" in text and "version 2" in text
    printed = _changes(a).filter(action="print").get()
    assert printed.actor_username == setting.reader.user.username
    assert printed.ground_code == "agreement_party"
    assert (
        client_for(setting.other).get(reverse("governance:pdf", args=[a.public_id])).status_code
        == 404
    )


# Comments and proposals ---------------------------------------------------------------
def _propose(setting, as_actor, a, text="Frist saknas"):
    return services.comment_add(
        actor=as_actor(setting.reader),
        agreement_id=a.public_id,
        kind="forslag",
        text=text,
        proposed_body=BODY + "\n# Frister\nÅterkoppling inom en vecka.",
    )


def test_the_owner_accepts_a_proposal_which_becomes_the_next_version(setting, as_actor):
    a = agreement(setting)
    proposal = _propose(setting, as_actor, a)
    with pytest.raises(PermissionDenied):  # a reader cannot decide
        services.comment_decide(
            actor=as_actor(setting.colleague),
            agreement_id=a.public_id,
            comment_id=proposal.public_id,
            accept=True,
        )
    services.comment_decide(
        actor=as_actor(setting.owner),
        agreement_id=a.public_id,
        comment_id=proposal.public_id,
        accept=True,
    )
    a.refresh_from_db()
    proposal.refresh_from_db()
    assert a.version == 2 and "Återkoppling inom en vecka." in a.body
    assert proposal.status == CommentStatus.ACCEPTED and proposal.resulting_version == 2
    assert "godtaget" in AgreementRevision.objects.get(agreement=a, number=2).comment
    assert _changes(a).filter(action="change", details__decision="godtagen").exists()


def test_the_owner_sees_what_an_open_proposal_changes(setting, as_actor, client_for):
    a = agreement(setting)
    _propose(setting, as_actor, a)
    page = client_for(setting.owner).get(reverse("governance:detail", args=[a.public_id]))
    assert "Förslaget ändrar de här raderna" in page.text
    added = '<ins class="kn-added"><span class="visually-hidden">[tillagt:] </span># Frister</ins>'
    assert added in page.text
    assert "Spara beslutet" in page.text
    assert (
        "Spara beslutet"
        not in client_for(setting.reader).get(reverse("governance:detail", args=[a.public_id])).text
    )


def test_a_rejection_needs_a_reason_and_changes_nothing(setting, as_actor):
    a = agreement(setting)
    proposal = _propose(setting, as_actor, a)
    owner = as_actor(setting.owner)
    with pytest.raises(ValidationFailed, match="varför"):
        services.comment_decide(
            actor=owner, agreement_id=a.public_id, comment_id=proposal.public_id, accept=False
        )
    services.comment_decide(
        actor=owner,
        agreement_id=a.public_id,
        comment_id=proposal.public_id,
        accept=False,
        note="Fristen står i lagen.",
    )
    a.refresh_from_db()
    proposal.refresh_from_db()
    assert a.version == 1
    assert (
        proposal.status == CommentStatus.REJECTED
        and proposal.decision_note == "Fristen står i lagen."
    )


def test_a_proposal_on_an_older_version_cannot_be_accepted_as_it_stands(setting, as_actor):
    a = agreement(setting)
    proposal = _propose(setting, as_actor, a)
    owner = as_actor(setting.owner)
    services.agreement_update(
        actor=owner, agreement_id=a.public_id, data=_data(a, summary="Ny"), expected_version=1
    )
    with pytest.raises(StaleWrite, match="version 1"):
        services.comment_decide(
            actor=owner, agreement_id=a.public_id, comment_id=proposal.public_id, accept=True
        )
    a.refresh_from_db()
    assert a.version == 2 and "Återkoppling inom en vecka." not in a.body


def test_a_comment_form_sent_twice_is_stored_once(setting, client_for):
    """A double click on "Skicka": the page's one-time key (the middleware, as in every
    form) makes one comment; the second post is told so and shown what was saved. The
    same text sent again from a new page is a new comment."""
    a = agreement(setting)
    client = client_for(setting.reader)
    page = client.get(reverse("governance:detail", args=[a.public_id])).content.decode()
    keys = re.findall(r'name="submission_key" value="([^"]+)"', page)
    assert len(set(keys)) == len(keys), "one key field per form"
    form = {"submission_key": keys[-1], "kind": "kommentar", "text": "Bra rutin!"}
    url = reverse("governance:comment", args=[a.public_id])
    assert client.post(url, form).status_code == 302
    again = client.post(url, form, follow=True)
    assert "Det här hade redan skickats, så inget nytt skapades." in again.content.decode()
    assert AgreementComment.objects.filter(agreement=a).count() == 1
    row = _changes(a).get(details__kind="kommentar")
    assert row.action == "create" and row.ground_code == "agreement_party"
    assert client.post(url, {**form, "submission_key": "en-annan-nyckel"}).status_code == 302
    assert AgreementComment.objects.filter(agreement=a).count() == 2


def test_a_proposal_without_text_is_refused_in_plain_swedish(setting, client_for):
    a = agreement(setting)
    response = client_for(setting.reader).post(
        reverse("governance:comment", args=[a.public_id]),
        {"kind": "forslag", "text": "Min motivering"},
    )
    assert response.status_code == 422
    assert "Skriv den text du föreslår." in response.text
    assert "Min motivering" in response.text
    assert not AgreementComment.objects.filter(agreement=a).exists()


def test_a_non_party_cannot_comment(setting, as_actor):
    a = agreement(setting)
    with pytest.raises(NotFound):
        services.comment_add(
            actor=as_actor(setting.other),
            agreement_id=a.public_id,
            kind="kommentar",
            text="Hej",
        )


# Reminders ----------------------------------------------------------------------------
def test_a_review_date_reminds_the_owner_on_the_start_page(setting, client_for, as_actor):
    today = timezone.localdate()
    soon = agreement(setting, title="Snart", review_on=today + datetime.timedelta(days=10))
    late = agreement(setting, title="Sen", review_on=today - datetime.timedelta(days=3))
    agreement(setting, title="Långt bort", review_on=today + datetime.timedelta(days=200))
    card = client_for(setting.owner).get(reverse("governance:home_card"))
    assert card.status_code == 200
    assert soon.title in card.text and late.title in card.text
    assert "Långt bort" not in card.text
    assert "försenad" in card.text
    overdue = [r for r in selectors.reminders(as_actor(setting.owner)) if r.overdue]
    assert [r.agreement.title for r in overdue] == ["Sen"]
    # Nobody else is reminded: not a colleague in another function, not a reader.
    assert selectors.reminders(as_actor(setting.colleague)) == []
    assert "Snart" not in client_for(setting.reader).get(reverse("governance:home_card")).text


def test_open_proposals_remind_the_owner(setting, as_actor):
    a = agreement(setting)
    _propose(setting, as_actor, a)
    texts = [r.text for r in selectors.reminders(as_actor(setting.owner))]
    assert "har 1 synpunkt som väntar på svar" in texts


def test_an_agreement_past_its_validity_is_shown_as_expired(setting, as_actor):
    today = timezone.localdate()
    a = agreement(
        setting,
        decided_on=today - datetime.timedelta(days=400),
        valid_until=today - datetime.timedelta(days=1),
    )
    shown = selectors.agreement_get(as_actor(setting.reader), a.public_id)
    assert shown.shown_status == "Upphört"


def test_a_personnummer_in_a_document_or_a_comment_is_refused(setting, as_actor):
    from samverkan.demo.world import fictional_number

    number = fictional_number(datetime.date(2012, 3, 4), 123)
    number = f"{number[:8]}-{number[8:]}"
    with pytest.raises(ValidationFailed, match="ser ut som ett personnummer"):
        agreement(setting, body=f"# Exempel\nBarnet {number} ska få stöd.")
    assert not Agreement.objects.filter(title="Rutin för samverkan skola och socialtjänst").exists()
    a = agreement(setting, body="# Kontakt\nRing Erik Wallin, 0123-456 00, före 2026-12-01.")
    with pytest.raises(ValidationFailed, match="ser ut som ett personnummer"):
        services.comment_add(
            actor=as_actor(setting.reader),
            agreement_id=a.public_id,
            kind="kommentar",
            text=f"Gäller {number}",
        )
    assert not AgreementComment.objects.filter(agreement=a).exists()

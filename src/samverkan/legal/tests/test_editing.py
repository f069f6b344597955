"""Changing the catalogue in the product (decision 0300): a proposal by someone who may
propose, approved or refused with a reason by a different reviewer; approval makes a new
version from a day not in the past, so a past date still answers from the old version;
the judgement requirement cannot be edited away; an edit that lets more pass
automatically must be acknowledged; a newer repository file never overwrites the
municipality's approved edits."""

from __future__ import annotations

import copy
import datetime

import pytest
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.core.errors import PermissionDenied, ValidationFailed
from samverkan.directory.tests.factories import MembershipFactory, actor_of
from samverkan.legal import catalogue, editing, history, upgrades
from samverkan.legal.models import CatalogueChange, CatalogueVersion, ChangeKind, ChangeStatus

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def people():
    history.record()
    jurist = MembershipFactory(code="kommunjurist")
    other_jurist = MembershipFactory(code="kommunjurist", organisation=jurist.organisation)
    strategist = MembershipFactory(code="strategigrupp", organisation=jurist.organisation)
    teacher = MembershipFactory(code="larare", organisation=jurist.organisation)
    return {
        "jurist": actor_of(jurist),
        "other": actor_of(other_jurist),
        "strategist": actor_of(strategist),
        "teacher": actor_of(teacher),
    }


def _ground(code: str, **changes) -> dict:
    ground = copy.deepcopy(editing.ground_data(editing.base().data, code))
    ground.update(changes)
    return ground


def _propose(actor, code="care_under_18", applies_from=None, **changes):
    return editing.propose(
        actor=actor,
        ground=_ground(code, **changes),
        applies_from=applies_from or timezone.localdate() + 10 * DAY,
        reason="Ny lydelse från 1 januari.",
    )


def test_an_approved_change_is_a_new_version_from_its_day_and_the_past_answers_as_before(
    people,
):
    before = catalogue.load()
    start = timezone.localdate() + 10 * DAY
    change = _propose(people["strategist"], applies_from=start, name="Vård och socialtjänst <18")
    assert catalogue.load() == before, "a proposal changes nothing"

    editing.review(actor=people["jurist"], change=change, approve=True, reason="Stämmer.")

    change.refresh_from_db()
    row = change.resulting_version
    assert change.status == ChangeStatus.APPROVED and row.adopted_on == start
    assert change.proposed_by_name.startswith(people["strategist"].display_name or "")
    assert change.reviewed_by_id == people["jurist"].user_id and change.review_reason == "Stämmer."
    # Today and yesterday still answer from the old version; the day it starts, the new.
    assert catalogue.load().get("care_under_18").name == before.get("care_under_18").name
    assert history.as_of(start - DAY)[0].version == before.version
    assert history.as_of(start)[0].get("care_under_18").name == "Vård och socialtjänst <18"
    assert history.in_force(start).version == row.version
    rows = AuditEvent.objects.filter(resource_type__startswith="legal.catalogue")
    assert {(r.resource_type, r.action) for r in rows} == {
        ("legal.cataloguechange", "create"),
        ("legal.cataloguechange", "change"),
        ("legal.catalogueversion", "create"),
    }


def test_the_proposer_may_never_review_their_own_proposal(people):
    change = _propose(people["jurist"], name="Ett nytt namn")
    with pytest.raises(PermissionDenied, match="fyra ögon"):
        editing.review(actor=people["jurist"], change=change, approve=True, reason="Bra.")
    assert not editing.may_decide(people["jurist"], change)
    assert editing.may_decide(people["other"], change)


def test_who_may_propose_and_review(people):
    with pytest.raises(PermissionDenied):
        _propose(people["teacher"], name="Något")
    change = _propose(people["strategist"], name="Något")
    with pytest.raises(PermissionDenied):
        editing.review(actor=people["strategist"], change=change, approve=True, reason="x")
    with pytest.raises(PermissionDenied):
        editing.change_list(people["teacher"])
    assert editing.change_list(people["other"]) == [change]


def test_a_refusal_keeps_the_proposal_and_changes_nothing(people):
    before = CatalogueVersion.objects.count()
    change = _propose(people["strategist"], name="Något annat")
    editing.review(actor=people["jurist"], change=change, approve=False, reason="Fel lagrum.")
    change.refresh_from_db()
    assert change.status == ChangeStatus.REFUSED and change.review_reason == "Fel lagrum."
    assert CatalogueVersion.objects.count() == before
    with pytest.raises(ValidationFailed, match="redan granskat"):
        editing.review(actor=people["other"], change=change, approve=True, reason="Ändå.")


def test_a_change_cannot_start_in_the_past(people):
    with pytest.raises(ValidationFailed, match="aldrig") as error:
        _propose(people["jurist"], applies_from=timezone.localdate() - DAY, name="X")
    assert error.value.field == "applies_from"
    change = _propose(people["jurist"], name="X")
    with pytest.raises(ValidationFailed, match="aldrig"):
        editing.review(
            actor=people["other"],
            change=change,
            approve=True,
            reason="Ok.",
            applies_from=timezone.localdate() - DAY,
        )


def test_the_judgement_requirement_cannot_be_edited_away(people):
    # The form has no such field; a crafted ground keeps the requirement anyway.
    change = _propose(people["jurist"], judgement=False, name="Y")
    assert change.data["judgement"] is True
    with pytest.raises(ValidationFailed, match="intresseavvägningen") as error:
        _propose(people["jurist"], code="general_clause", balancing=False)
    assert error.value.field == "balancing"


def test_a_change_letting_an_automatic_ground_pass_more_must_be_acknowledged(people):
    ground = _ground("duty_to_report")
    ground["categories"] = [*ground["categories"], "skyddad_identitet"]
    args = {
        "actor": people["jurist"],
        "ground": ground,
        "applies_from": timezone.localdate() + DAY,
        "reason": "Fler kategorier.",
    }
    with pytest.raises(ValidationFailed, match="fler kategorier") as error:
        editing.propose(**args)
    assert error.value.field == "acknowledge_wider"
    change = editing.propose(**args, acknowledged=True)
    assert "fler kategorier" in change.acknowledged


@pytest.mark.parametrize(
    ("statute", "ok"),
    [
        ("Offentlighets- och sekretesslag (2009:400) 10 kap. 15 a §", True),
        ("Polislag (1984:387) 2 §", True),
        ("Socialtjänstlag (2001:453) 2 a kap. 10 §", True),
        ("OSL 10:15a", False),
        ("Offentlighets- och sekretesslag 10 kap. 15 a §", False),
        ("<script>", False),
    ],
)
def test_statute_references_are_checked(people, statute, ok):
    ground = _ground("care_under_18")
    ground["statutes"] = [{"old": "–", "new": statute}]
    args = {
        "actor": people["jurist"],
        "ground": ground,
        "applies_from": timezone.localdate() + DAY,
        "reason": "Nytt lagrum.",
    }
    if ok:
        assert editing.propose(**args).data["statutes"][0]["new"] == statute
    else:
        with pytest.raises(ValidationFailed, match="har inte formen"):
            editing.propose(**args)


def test_a_proposal_written_against_an_older_version_of_its_ground_is_not_approved(people):
    first = _propose(people["strategist"], name="Första")
    second = _propose(people["strategist"], name="Andra")
    editing.review(actor=people["jurist"], change=first, approve=True, reason="Ok.")
    with pytest.raises(ValidationFailed, match="har ändrats sedan"):
        editing.review(actor=people["jurist"], change=second, approve=True, reason="Ok.")


def _newer_file(**ground_changes) -> dict:
    data = copy.deepcopy(catalogue.read_file())
    data["version"], data["adopted_on"] = "2099-01-01", "2099-01-01"
    for code, changes in ground_changes.items():
        next(g for g in data["grounds"] if g["code"] == code).update(changes)
    return data


def test_a_newer_file_without_local_edits_is_taken_in_as_before(people):
    row = history.record(_newer_file(consent={"summary": "Ny text från filen."}))
    assert isinstance(row, CatalogueVersion) and row.version == "2099-01-01"


def test_a_newer_file_never_overwrites_the_municipalitys_approved_edits(people):
    local = _propose(people["strategist"], applies_from=timezone.localdate(), name="Lokalt namn")
    editing.review(actor=people["jurist"], change=local, approve=True, reason="Ok.")
    newer = _newer_file(
        care_under_18={"name": "Filens namn"}, consent={"summary": "Ny text från filen."}
    )

    waiting = history.record(newer)

    assert isinstance(waiting, CatalogueChange) and waiting.kind == ChangeKind.UPGRADE
    assert history.record(newer) == waiting, "asked once"
    assert catalogue.load().get("care_under_18").name == "Lokalt namn"
    _merged, conflicts = upgrades.merge_for(waiting, history.latest())
    assert conflicts == ["care_under_18"]
    start = timezone.localdate() + DAY
    editing.review(
        actor=people["other"], change=waiting, approve=True, reason="Ok.", applies_from=start
    )
    after = history.in_force(start)
    assert after.get("care_under_18").name == "Lokalt namn"  # the local edit kept
    assert after.get("consent").summary == "Ny text från filen."  # the file's change taken

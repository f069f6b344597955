"""Guardians can be corrected, a custody ended and a guardian replaced, with history
and audit, so that a wrongly recorded guardian never blocks the right one ("högst
två"); guardians can be fetched from the population register (a file adapter here)."""

import datetime
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.core.errors import ValidationFailed
from samverkan.demo.world import fictional_number
from samverkan.directory.tests.factories import MembershipFactory, actor_of
from samverkan.people import population, selectors, services
from samverkan.people.models import Custody, CustodyEvent
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory

pytestmark = pytest.mark.django_db


def _adult(serial: int, years: int = 40) -> str:
    return fictional_number(timezone.localdate() - datetime.timedelta(days=years * 366), serial)


class _Family:
    """A school (a rektor) with a ten-year-old pupil; the school has recorded the mother
    and, by mistake, a wrong person as the second guardian."""

    def __init__(self):
        self.rektor = MembershipFactory(code="rektor", organisation__org_type="skola")
        self.actor = actor_of(self.rektor)
        today = timezone.localdate()
        self.child = ChildFactory(date_of_birth=today.replace(year=today.year - 10))
        InvolvementFactory(child=self.child, organisation=self.rektor.organisation)
        self.mother = self.add("Sara", "Berg", _adult(611))
        self.wrong = self.add("Per", "Bergh", _adult(622))

    def add(self, first, last, number, custody="gemensam") -> Custody:
        return services.guardian_add(
            actor=self.actor,
            child=self.child,
            data=services.GuardianInput(
                first_name=first, last_name=last, personal_number=number, custody_type=custody
            ),
        )

    def current(self) -> list[str]:
        return [c.guardian.full_name for c in selectors.system_custodies(self.child)]


def test_a_wrong_guardian_does_not_block_the_right_one():
    family = _Family()
    with pytest.raises(ValidationFailed, match=r"högst två.*ersätt"):
        family.add("Pelle", "Berg", _adult(633))
    services.guardian_replace(
        actor=family.actor,
        child=family.child,
        guardian_public_id=family.wrong.guardian.public_id,
        data=services.GuardianInput(
            first_name="Pelle",
            last_name="Berg",
            personal_number=_adult(633),
            custody_type="gemensam",
        ),
        reason="Fel person registrerades vid inskrivningen.",
    )
    assert family.current() == ["Sara Berg", "Pelle Berg"]
    family.wrong.refresh_from_db()
    assert family.wrong.ended_at and family.wrong.end_reason.startswith("Fel person")
    kinds = list(
        CustodyEvent.objects.filter(custody__child=family.child)
        .order_by("pk")
        .values_list("kind", flat=True)
    )
    assert kinds == ["added", "added", "replaced", "added"]
    replaced = CustodyEvent.objects.get(custody=family.wrong, kind="replaced")
    assert replaced.changes == {"guardian": ["Per Bergh", "Pelle Berg"]}
    audit = AuditEvent.objects.filter(subject_id=str(family.child.public_id)).latest("id")
    assert audit.details["custody_ended"] == str(family.wrong.guardian.public_id)


def test_correcting_keeps_the_record_and_its_history():
    family = _Family()
    right = _adult(644)
    services.guardian_correct(
        actor=family.actor,
        child=family.child,
        guardian_public_id=family.wrong.guardian.public_id,
        data=services.GuardianInput(
            first_name="Per", last_name="Berg", personal_number=right, custody_type="gemensam"
        ),
        reason="Felstavat efternamn och fel personnummer.",
    )
    family.wrong.guardian.refresh_from_db()
    assert family.wrong.guardian.last_name == "Berg"
    assert family.wrong.guardian.personal_number == right
    event = CustodyEvent.objects.get(custody=family.wrong, kind="corrected")
    assert event.changes["last_name"] == ["Bergh", "Berg"]
    assert event.changes["personal_number"][1] == right
    audit = AuditEvent.objects.filter(subject_id=str(family.child.public_id)).latest("id")
    assert audit.details["fields"] == ["last_name", "personal_number"]
    assert "Berg" not in json.dumps(audit.details)  # the audit row names fields, not values
    with pytest.raises(ValidationFailed, match="oförändrade"):
        services.guardian_correct(
            actor=family.actor,
            child=family.child,
            guardian_public_id=family.wrong.guardian.public_id,
            data=services.GuardianInput(
                first_name="Per", last_name="Berg", personal_number=right, custody_type="gemensam"
            ),
            reason="Igen",
        )


def test_ending_a_custody_frees_the_place_and_needs_a_reason():
    family = _Family()
    with pytest.raises(ValidationFailed, match="Skriv varför"):
        services.custody_end(
            actor=family.actor,
            child=family.child,
            guardian_public_id=family.wrong.guardian.public_id,
            reason=" ",
        )
    services.custody_end(
        actor=family.actor,
        child=family.child,
        guardian_public_id=family.wrong.guardian.public_id,
        reason="Registrerad av misstag.",
    )
    assert family.current() == ["Sara Berg"]
    family.add("Pelle", "Berg", _adult(655))
    assert family.current() == ["Sara Berg", "Pelle Berg"]


def test_only_the_organisations_own_record_can_be_changed():
    family = _Family()
    other = MembershipFactory(code="kurator", organisation__org_type="elevhalsa")
    InvolvementFactory(child=family.child, organisation=other.organisation)
    with pytest.raises(Exception, match="finns inte i din verksamhets register"):
        services.custody_end(
            actor=actor_of(other),
            child=family.child,
            guardian_public_id=family.wrong.guardian.public_id,
            reason="Försök",
        )


def test_the_child_page_corrects_and_shows_the_history():
    family = _Family()
    client = Client()
    client.force_login(family.rektor.user)
    url = reverse("people:child_detail", args=[family.child.public_id])
    page = client.get(url)
    ids = re.findall(r'\sid="([^"]+)"', page.text)
    assert len(ids) == len(set(ids)), "every field on the page has its own id"
    assert "Rätta, avsluta eller ersätt Per Bergh" in page.text
    prefix = f"g{family.wrong.guardian.public_id.hex[:12]}-ratta"
    response = client.post(
        reverse(
            "people:guardian_correct",
            args=[family.child.public_id, family.wrong.guardian.public_id],
        ),
        {
            f"{prefix}-first_name": "Per",
            f"{prefix}-last_name": "Berg",
            f"{prefix}-personal_number": family.wrong.guardian.personal_number,
            f"{prefix}-custody_type": "gemensam",
            f"{prefix}-reason": "Felstavat efternamn.",
        },
        follow=True,
    )
    assert "Uppgifterna är rättade." in response.text
    assert "efternamn: Bergh → Berg" in response.text
    assert "Felstavat efternamn." in response.text


# The population register ----------------------------------------------------------------
@pytest.fixture
def register(tmp_path, settings):
    """A register file with one child and its two guardians; returns (child, numbers)."""
    today = timezone.localdate()
    child = ChildFactory(date_of_birth=today.replace(year=today.year - 7))
    guardians = [("Maja", "Ek", _adult(711)), ("Jonas", "Ek", _adult(722))]
    path = tmp_path / "folkbokforing.json"
    path.write_text(
        json.dumps(
            {
                "persons": [
                    {
                        "personal_number": child.personal_number,
                        "first_name": child.first_name,
                        "last_name": child.last_name,
                        "guardians": [
                            {"personal_number": n, "first_name": f, "last_name": last}
                            for f, last, n in guardians
                        ],
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    settings.SAMVERKAN = {**settings.SAMVERKAN, "POPULATION_REGISTER": f"file:{path}"}
    return child, guardians


def test_guardians_are_fetched_from_the_register(register):
    child, _ = register
    rektor = MembershipFactory(code="rektor", organisation__org_type="skola")
    InvolvementFactory(child=child, organisation=rektor.organisation)
    added = services.guardians_from_register(actor=actor_of(rektor), child=child)
    assert [(c.guardian.full_name, c.custody_type, c.source) for c in added] == [
        ("Maja Ek", "gemensam", "population_register"),
        ("Jonas Ek", "gemensam", "population_register"),
    ]
    assert services.guardians_from_register(actor=actor_of(rektor), child=child) == []
    audit = AuditEvent.objects.filter(subject_id=str(child.public_id)).latest("id")
    assert audit.details["source"] == "population_register"


def test_a_record_the_register_does_not_know_must_be_put_right_first(register):
    child, _ = register
    rektor = MembershipFactory(code="rektor", organisation__org_type="skola")
    InvolvementFactory(child=child, organisation=rektor.organisation)
    services.guardian_add(
        actor=actor_of(rektor),
        child=child,
        data=services.GuardianInput(
            first_name="Fel",
            last_name="Person",
            personal_number=_adult(733),
            custody_type="gemensam",
        ),
    )
    with pytest.raises(ValidationFailed, match="Fel Person är inte vårdnadshavare"):
        services.guardians_from_register(actor=actor_of(rektor), child=child)


def test_the_demo_register_file_is_read_by_the_file_adapter(settings):
    register = population.configured()
    assert isinstance(register, population.FileRegister)
    saga = register.lookup("201605148129")
    assert saga.first_name == "Saga" and saga.custody_type == "gemensam"
    assert [g.first_name for g in saga.guardians] == ["Maja", "Jonas"]
    tindra = register.lookup("201911028452")
    assert tindra.custody_type == "ensam"
    assert register.lookup("201001011234") is None
    settings.SAMVERKAN = {**settings.SAMVERKAN, "POPULATION_REGISTER": ""}
    assert population.configured() is None


# The guardians and their history in one query (decision 0366) ---------------------------


def _overview(family, client):
    page = client.get(reverse("people:child_detail", args=[family.child.public_id]))
    assert page.status_code == 200
    return page.text


@pytest.mark.parametrize("joined_rows", [300, 0])
def test_the_overview_shows_the_same_guardians_and_history_joined_or_apart(
    monkeypatch, joined_rows
):
    """An ended custody, a corrected one, a custody without events and another
    organisation's record of the same child: the overview's guardians and history are
    the same whether read in one query or (more rows than the bound) in two."""
    from samverkan.people import custody_reads

    family = _Family()
    services.custody_end(
        actor=family.actor,
        child=family.child,
        guardian_public_id=family.wrong.guardian.public_id,
        reason="Registrerad av misstag.",
    )
    family.add("Pelle", "Berg", _adult(655))
    CustodyEvent.objects.filter(custody=family.mother).delete()  # a record without history
    other = MembershipFactory(code="rektor", organisation__org_type="skola")
    InvolvementFactory(child=family.child, organisation=other.organisation)
    services.guardian_add(
        actor=actor_of(other),
        child=family.child,
        data=services.GuardianInput(
            first_name="Okänd", last_name="Annan", personal_number=_adult(688), custody_type="ensam"
        ),
    )
    monkeypatch.setattr(custody_reads, "JOINED_ROWS", joined_rows)
    view = selectors.child_get(
        family.actor, family.child.public_id, with_matters=True, with_custody_history=True
    )
    assert [c.guardian.full_name for c in view.custodies] == ["Sara Berg", "Pelle Berg"]
    history = custody_reads.custody_history(family.actor, view)
    assert [(i.event.custody.guardian.full_name, i.event.kind) for i in history] == [
        ("Pelle Berg", "added"),
        ("Per Bergh", "ended"),
        ("Per Bergh", "added"),
    ]
    assert (view.custody_events is None) == (joined_rows == 0)
    client = Client()
    client.force_login(family.rektor.user)
    text = _overview(family, client)
    assert "Okänd Annan" not in text
    assert "Registrerad av misstag." in text

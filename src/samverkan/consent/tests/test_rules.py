"""The consent rules, enforced on the server: joint custody, the child's own part by
age (configurable), revocation by any one giver, renewal, who may give consent, the
dates, and what the API answers on bad input."""

from __future__ import annotations

import datetime
import uuid
from types import SimpleNamespace

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.consent import rules, services
from samverkan.consent.models import Consent, ConsentEvent
from samverkan.consent.sharing import decide_sharing
from samverkan.core.errors import ValidationFailed

from .conftest import SOCIAL, guardian_givers


def _ask(
    world,
    child,
    source,
    target,
    category="insatser",
    purpose="samverkanstraff",
    at=None,
    viewer=None,
):
    """``viewer``: the organisation the refusal is explained to (by default the
    receiving one). Who revoked and which guardian is missing is told only to the
    organisation that registered the consent (issue 11)."""
    return decide_sharing(
        child=child,
        from_organisation_id=world.organisations[source].pk,
        to_organisation_id=world.organisations[target].pk,
        category=category,
        purpose=purpose,
        at=at,
        viewer_organisation_id=world.organisations[viewer].pk if viewer else None,
    )


HOLDER = "Elevhälsan Frejaskolan"  # registered Melwin's consent (karin)


def _ebbas(world, ebba, **kwargs):
    """Ebba's parents, as her school (which registers the consents) recorded them."""
    return guardian_givers(ebba, world.organisations["Frejaskolan"].pk, **kwargs)


# Joint custody ------------------------------------------------------------------------


def test_joint_custody_needs_both_guardians(world, ebba, give):
    sara, per = _ebbas(world, ebba)
    consent = give(["BUP"], givers=[sara])
    decision = _ask(world, ebba, "Frejaskolan", "BUP", viewer="Frejaskolan")
    assert not decision.allowed
    assert "saknar samtycke från vårdnadshavare med vårdnad: Per Exempelsson" in decision.reason
    assert "Sara Exempelsson" not in decision.reason
    # BUP, the receiving party, learns only that the consent does not cover.
    told_bup = _ask(world, ebba, "Frejaskolan", "BUP").reason
    assert "Exempelsson" not in told_bup and "gäller inte" in told_bup

    services.consent_sign(actor=world.actor("frida"), consent=consent, givers=[per])
    decision = _ask(world, ebba, "Frejaskolan", "BUP")
    assert decision.allowed
    assert decision.ground.reference == str(consent.public_id)


def test_a_prepared_consent_covers_nothing_until_signed(world, ebba, give):
    consent = give(["BUP"], givers=[])
    decision = _ask(world, ebba, "Frejaskolan", "BUP", viewer="Frejaskolan")
    assert not decision.allowed
    assert "Sara Exempelsson och Per Exempelsson" in decision.reason
    assert list(consent.events.values_list("kind", flat=True)) == ["registered"]


# The child's own part, by age ----------------------------------------------------------


def test_child_views_are_required_from_twelve(world, melwin):
    """Melwin is 14: his own views must be written down."""
    count = Consent.objects.count()
    with pytest.raises(ValidationFailed) as excinfo:
        services.consent_give(
            actor=world.actor("karin"),
            child=melwin,
            party_ids=[world.organisations["BUP"].pk],
            category_codes=["halsa"],
            purpose_codes=["sip"],
            form="written",
            context="voluntary",
            child_views="   ",
        )
    assert excinfo.value.field == "child_views"
    assert excinfo.value.message == (
        "Melwin är 14 år. Skriv ned barnets egna synpunkter på att uppgifter lämnas."
    )
    assert Consent.objects.count() == count


def test_younger_childs_own_consent_is_refused(world, ebba, give):
    count = Consent.objects.count()
    with pytest.raises(ValidationFailed) as excinfo:
        give(["BUP"], givers=[services.GiverInput(kind="child")])
    assert "Ebba är 10 år. Barnets eget samtycke registreras från 12 år" in excinfo.value.message
    assert Consent.objects.count() == count


def test_own_consent_is_required_from_fifteen(world, melwin, melwin_consent):
    """Melwin's consent covers now (he is 14); on his 15th birthday it stops covering
    unless he has consented himself."""
    assert _ask(world, melwin, "BUP", "Elevhälsan Frejaskolan", "halsa", "sip").allowed
    today = timezone.localdate()
    try:
        birthday = melwin.date_of_birth.replace(year=melwin.date_of_birth.year + 15)
    except ValueError:  # born on 29 February
        birthday = datetime.date(melwin.date_of_birth.year + 15, 3, 1)
    assert today < birthday <= melwin_consent.valid_until
    noon = datetime.time(12, tzinfo=timezone.get_current_timezone())
    day_before = datetime.datetime.combine(birthday - datetime.timedelta(days=1), noon)
    on_the_day = datetime.datetime.combine(birthday, noon)
    assert _ask(world, melwin, "BUP", "Elevhälsan Frejaskolan", "halsa", "sip", day_before).allowed
    decision = _ask(world, melwin, "BUP", "Elevhälsan Frejaskolan", "halsa", "sip", on_the_day)
    assert not decision.allowed
    assert "Melwin är 15 år och måste själv samtycka" in decision.reason

    services.consent_sign(
        actor=world.actor("karin"),
        consent=melwin_consent,
        givers=[services.GiverInput(kind="child")],
    )
    assert _ask(world, melwin, "BUP", "Elevhälsan Frejaskolan", "halsa", "sip", on_the_day).allowed


def _with(settings, **values):
    settings.SAMVERKAN = {**settings.SAMVERKAN, **values}


def test_own_consent_age_is_configurable(world, melwin, melwin_consent, settings):
    assert _ask(world, melwin, "BUP", "Frejaskolan", "halsa", "sip").allowed
    _with(settings, CONSENT_CHILD_OWN_AGE=14)
    decision = _ask(world, melwin, "BUP", "Frejaskolan", "halsa", "sip", viewer=HOLDER)
    assert not decision.allowed
    assert "Melwin är 14 år och måste själv samtycka" in decision.reason
    assert "Melwin" not in _ask(world, melwin, "BUP", "Frejaskolan", "halsa", "sip").reason
    _with(settings, CONSENT_CHILD_OWN_AGE=16)
    assert _ask(world, melwin, "BUP", "Frejaskolan", "halsa", "sip").allowed


def test_child_views_age_is_configurable(world, ebba, give, settings):
    give(["BUP"])  # Ebba is 10: no views needed by default
    _with(settings, CONSENT_CHILD_VIEWS_AGE=10)
    with pytest.raises(ValidationFailed) as excinfo:
        give(["BUP"])
    assert excinfo.value.message.startswith("Ebba är 10 år. Skriv ned barnets egna synpunkter")
    # From that age the child's own consent may be registered too.
    consent = give(
        ["BUP"],
        child_views="Ebba tycker att det är bra.",
        givers=[*_ebbas(world, ebba), services.GiverInput(kind="child")],
    )
    assert {g.kind for g in consent.givers.all()} == {"guardian", "child"}


# The calendar day is the Swedish one --------------------------------------------------


def _local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


def test_expiry_follows_the_local_calendar_day(world, login, ebba, give, clock):
    """A consent valid "till och med" a date stops covering at midnight in Sweden —
    not an hour or two later, when the date turns in UTC."""
    last_day = timezone.localdate() + datetime.timedelta(days=2)
    consent = give(["BUP"], valid_until=last_day)
    late_on_last_day = _local(last_day, 23, 30)
    just_after_midnight = _local(last_day + datetime.timedelta(days=1), 0, 30)
    # As "now" arrives from the clock and the database: in UTC.
    assert just_after_midnight.astimezone(datetime.UTC).date() == last_day

    assert _ask(world, ebba, "Frejaskolan", "BUP", "skolsituation", at=late_on_last_day).allowed
    clock.set(just_after_midnight)
    decision = _ask(world, ebba, "Frejaskolan", "BUP", "skolsituation")
    assert not decision.allowed
    assert f"gick ut {last_day:%Y-%m-%d}" in decision.reason
    assert login("lena").get(f"/samtycken/{consent.public_id}/").status_code == 404


def test_revocation_date_is_the_local_date(world, melwin, melwin_consent, clock):
    """Revoked at 00:30 Swedish time: the reason gives that day, not the UTC one."""
    day = timezone.localdate() + datetime.timedelta(days=1)
    clock.set(_local(day, 0, 30))
    services.consent_revoke(actor=world.actor("karin"), consent=melwin_consent)
    decision = _ask(world, melwin, "BUP", SOCIAL, "halsa", "sip", viewer=HOLDER)
    assert f"återkallades {day:%Y-%m-%d}" in decision.reason


# A pure property test of rules.evaluate over ages and thresholds ------------------------

AT = datetime.datetime(2025, 6, 15, 12, tzinfo=datetime.UTC)
GUARDIANS = [
    SimpleNamespace(pk=1, full_name="Anna Exempel"),
    SimpleNamespace(pk=2, full_name="Bo Exempel"),
]


def _consent(valid_until=datetime.date(2025, 12, 31)):
    return SimpleNamespace(
        short_id="abcd1234",
        valid_from=datetime.date(2025, 1, 1),
        valid_until=valid_until,
        context="voluntary",
    )


def _giver(kind, guardian=None, revoked=False):
    return SimpleNamespace(
        kind=kind,
        guardian_id=guardian.pk if guardian else None,
        name=guardian.full_name if guardian else "Barnet",
        given_at=AT - datetime.timedelta(days=10),
        revoked_at=AT - datetime.timedelta(days=1) if revoked else None,
    )


@settings(max_examples=400, deadline=None)
@given(
    age=st.integers(0, 18),
    views_age=st.integers(8, 14),
    own_extra=st.integers(0, 6),
    custodians=st.integers(0, 2),
    guardians_given=st.sets(st.sampled_from([0, 1])),
    child_given=st.booleans(),
    revoked=st.booleans(),
    expired=st.booleans(),
    lapsed=st.booleans(),
)
def test_evaluate_covers_exactly_when_every_rule_holds(
    age, views_age, own_extra, custodians, guardians_given, child_given, revoked, expired, lapsed
):
    own_age = views_age + own_extra
    child = SimpleNamespace(first_name="Kim", date_of_birth=datetime.date(2025 - age, 3, 1))
    custodies = [SimpleNamespace(guardian_id=g.pk, guardian=g) for g in GUARDIANS[:custodians]]
    givers = [_giver("guardian", GUARDIANS[i]) for i in sorted(guardians_given)]
    if child_given:
        givers.append(_giver("child"))
    if revoked and givers:
        givers[0] = SimpleNamespace(**{**vars(givers[0]), "revoked_at": AT - datetime.timedelta(1)})
    involvements = [
        SimpleNamespace(
            organisation_id=7,
            ended_at=None,
            context="investigation" if lapsed else "voluntary_support",
            context_since=AT - datetime.timedelta(days=2),
            started_at=AT - datetime.timedelta(days=100),
        )
    ]
    result = rules.evaluate(
        consent=_consent(valid_until=datetime.date(2025, 6, 14)) if expired else _consent(),
        givers=givers,
        custodies=custodies,
        involvements=involvements,
        party_ids={7, 8},
        child=child,
        at=AT,
        thresholds=rules.Thresholds(child_views_age=views_age, child_own_age=own_age),
    )
    given_guardians = {g.guardian_id for g in givers if g.guardian_id}
    all_guardians = custodians > 0 and {c.guardian_id for c in custodies} <= given_guardians
    own_part = age < own_age or child_given
    expected = (
        not expired and not (revoked and givers) and all_guardians and own_part and not lapsed
    )
    assert result.covers == expected
    assert result.full_account  # always says why, in words
    if not expected and not expired and not (revoked and givers) and all_guardians:
        if not own_part:
            assert (
                result.full_account
                == f"Kim är {age} år och måste själv samtycka (Samtycke abcd1234)."
            )
            assert result.needs_renewal
        else:
            assert result.context_lapsed and "måste förnyas" in result.full_account
    if custodies and not all_guardians and not expired and not (revoked and givers):
        missing = [g.full_name for g in GUARDIANS[:custodians] if g.pk not in given_guardians]
        assert " och ".join(missing) in result.full_account


# Revocation, renewal -------------------------------------------------------------------


def test_revocation_by_one_giver_stops_sharing_at_once(world, melwin, melwin_consent):
    assert _ask(world, melwin, "Frejaskolan", SOCIAL, "skolsituation", "sip").allowed
    just_before = timezone.now()
    anna = melwin_consent.givers.get(name="Anna Andersson")
    services.consent_revoke(
        actor=world.actor("karin"), consent=melwin_consent, giver_ids=[anna.pk], note="Ringde."
    )
    decision = _ask(world, melwin, "Frejaskolan", SOCIAL, "skolsituation", "sip", viewer=HOLDER)
    assert not decision.allowed
    assert f"återkallades {timezone.localdate():%Y-%m-%d} av Anna Andersson" in decision.reason
    # Social services, a party but not the holder, is not told who revoked.
    told_social = _ask(world, melwin, "Frejaskolan", SOCIAL, "skolsituation", "sip").reason
    assert "Anna" not in told_social and "återkallades" not in told_social
    assert "gäller inte längre" in told_social
    # The other guardian's consent is untouched, yet one revocation is enough.
    assert melwin_consent.givers.get(name="Johan Andersson").revoked_at is None
    # Up to the moment of revocation it covered; the history says so.
    assert _ask(world, melwin, "Frejaskolan", SOCIAL, "skolsituation", "sip", just_before).allowed
    event = melwin_consent.events.get(kind="revoked")
    assert event.text == "Anna Andersson. Ringde."
    # A revoked consent cannot be signed again: a new consent is needed.
    with pytest.raises(ValidationFailed, match="Registrera ett nytt samtycke"):
        services.consent_sign(
            actor=world.actor("karin"),
            consent=melwin_consent,
            givers=[services.GiverInput(kind="child")],
        )


def test_renewal_links_both_ways_and_covers_again(world, melwin, melwin_consent):
    karin = world.actor("karin")
    services.consent_revoke(actor=karin, consent=melwin_consent)
    assert not _ask(world, melwin, "BUP", SOCIAL, "halsa", "sip").allowed

    renewal = services.consent_give(
        actor=karin,
        child=melwin,
        party_ids=[world.organisations[n].pk for n in ("Frejaskolan", SOCIAL, "BUP")],
        category_codes=["halsa", "insatser"],
        purpose_codes=["sip"],
        form="written",
        context="voluntary",
        child_views="Melwin vill fortfarande.",
        givers=guardian_givers(melwin, karin.organisation_id),
        renews=melwin_consent,
    )
    assert renewal.renews == melwin_consent
    assert list(melwin_consent.renewals.all()) == [renewal]
    assert renewal.events.filter(
        kind="renewed", text=f"Förnyar samtycke {melwin_consent.short_id}."
    ).exists()
    assert melwin_consent.events.filter(
        kind="renewed", text=f"Ersatt av samtycke {renewal.short_id}."
    ).exists()
    decision = _ask(world, melwin, "BUP", SOCIAL, "halsa", "sip")
    assert decision.allowed
    assert decision.ground.reference == str(renewal.public_id)
    # The renewal's scope, not the old one's: samverkansträff is no longer named.
    assert not _ask(world, melwin, "BUP", SOCIAL, "halsa", "samverkanstraff").allowed


# Who may give consent, and when --------------------------------------------------------


def test_only_a_guardian_with_custody_may_consent(world, ebba, melwin, give):
    count, events = Consent.objects.count(), ConsentEvent.objects.count()
    melwins_mother = guardian_givers(melwin)[0]
    unknown = services.GiverInput(kind="guardian", guardian_id=str(uuid.uuid4()))
    for giver in (melwins_mother, unknown):
        with pytest.raises(ValidationFailed) as excinfo:
            give(["BUP"], givers=[giver])
        assert excinfo.value.message == "Bara vårdnadshavare med vårdnad om barnet kan samtycka."
    with pytest.raises(ValidationFailed, match="Okänd typ av samtyckesgivare"):
        give(["BUP"], givers=[services.GiverInput(kind="neighbour")])
    assert (Consent.objects.count(), ConsentEvent.objects.count()) == (count, events)


def test_the_same_guardian_cannot_consent_twice(world, ebba, give):
    sara, _ = _ebbas(world, ebba)
    consent = give(["BUP"], givers=[sara])
    with pytest.raises(ValidationFailed, match="Sara Exempelsson har redan samtyckt"):
        services.consent_sign(actor=world.actor("frida"), consent=consent, givers=[sara])
    assert consent.givers.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"given_on": 1}, "givers", "Datum för samtycket kan inte ligga i framtiden."),
        ({"given_on": -31}, "givers", "mer än 30 dagar bakåt"),
        ({"valid_from": -31}, "valid_from", "Startdatum kan inte ligga mer än 30 dagar bakåt."),
        ({"valid_from": 10, "valid_until": 5}, "valid_until", "Slutdatum måste vara efter"),
        ({"valid_until": 3 * 366 + 1}, "valid_until", "Ett samtycke kan gälla högst tre år."),
    ],
    ids=["signed tomorrow", "signed 31 days ago", "from 31 days ago", "ends first", "4 years"],
)
def test_dates_out_of_range_are_refused(world, ebba, give, kwargs, field, message):
    today = timezone.localdate()
    count = Consent.objects.count()
    days = {k: today + datetime.timedelta(days=v) for k, v in kwargs.items()}
    givers = _ebbas(world, ebba, given_on=days.pop("given_on", None))
    with pytest.raises(ValidationFailed) as excinfo:
        give(["BUP"], givers=givers, **days)
    assert excinfo.value.field == field
    assert message in excinfo.value.message
    assert Consent.objects.count() == count


def test_dates_within_range_are_accepted(world, ebba, give):
    today = timezone.localdate()
    consent = give(
        ["BUP"],
        givers=_ebbas(world, ebba, given_on=today - datetime.timedelta(days=30)),
        valid_from=today - datetime.timedelta(days=30),
        valid_until=today - datetime.timedelta(days=30) + datetime.timedelta(days=3 * 366),
    )
    assert _ask(world, ebba, "Frejaskolan", "BUP", "skolsituation").allowed
    assert consent.valid_until - consent.valid_from == datetime.timedelta(days=3 * 366)


def test_default_validity_is_configurable(world, ebba, give, settings):
    _with(settings, CONSENT_DEFAULT_VALIDITY_DAYS=90)
    consent = give(["BUP"])
    assert consent.valid_until == timezone.localdate() + datetime.timedelta(days=90)


# The API ------------------------------------------------------------------------------


def _payload(world, **overrides):
    payload = {
        "parties": [str(world.organisations["BUP"].public_id)],
        "categories": ["skolsituation", "insatser"],
        "purposes": ["samverkanstraff"],
        "form": "written",
        "context": "voluntary",
        "exclusions": "Inget om syskonen.",
    }
    return payload | overrides


@pytest.mark.parametrize(
    ("overrides", "detail"),
    [
        ({"categories": []}, "Välj vilka slags uppgifter samtycket gäller."),
        ({"categories": ["hemligt"]}, "Välj vilka slags uppgifter samtycket gäller."),
        ({"purposes": []}, "Välj för vilka syften uppgifterna får lämnas."),
        ({"form": "telepati"}, "Välj hur samtycket ges."),
        ({"context": "okänt"}, "Välj i vilket sammanhang samtycket ges."),
        ({"parties": []}, "Välj minst en verksamhet till"),
        ({"parties": ["00000000-0000-0000-0000-000000000000"]}, "Okänd organisation"),
        ({"givers": [{"kind": "child"}]}, "Ebba är 10 år."),
        (
            {"valid_until": str(datetime.date.today() - datetime.timedelta(days=1))},
            "Slutdatum måste vara efter startdatum.",
        ),
        # A year 1 is outside any plausible window (core.bounds), refused by the schema.
        ({"valid_until": "0001-01-01"}, "valid_until: Datumet måste ligga mellan"),
        ({"categories": "insatser"}, "Ogiltig indata."),
    ],
    ids=[
        "no categories",
        "unknown category",
        "no purposes",
        "unknown form",
        "unknown context",
        "no other party",
        "unknown party",
        "child too young",
        "ends before it starts",
        "year one",
        "malformed",
    ],
)
def test_api_refuses_bad_input_with_422_in_swedish(world, api, ebba, overrides, detail):
    count = Consent.objects.count()
    response = api("frida").post(
        f"/api/children/{ebba.public_id}/consents",
        _payload(world, **overrides),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert detail in response.json()["detail"]
    assert Consent.objects.count() == count


def test_api_registers_a_consent(world, api, ebba, audit_since):
    givers = [
        {"kind": "guardian", "guardian_id": g.guardian_id, "method": "oral"}
        for g in _ebbas(world, ebba)
    ]
    response = api("frida").post(
        f"/api/children/{ebba.public_id}/consents",
        _payload(world, givers=givers),
        content_type="application/json",
    )
    assert response.status_code == 201
    data = response.json()
    consent = Consent.objects.get(public_id=data["id"])
    assert (data["status"], data["covers_now"]) == ("gäller", True)
    assert {p["name"] for p in data["parties"]} == {"Frejaskolan", "BUP"}
    assert data["categories"] == ["skolsituation", "insatser"]
    assert data["exclusions"] == "Inget om syskonen."
    assert {(g["name"], g["method"]) for g in data["givers"]} == {
        ("Sara Exempelsson", "oral"),
        ("Per Exempelsson", "oral"),
    }
    assert data["legal_ground"] == f"Part i samtycke {consent.short_id}"
    created = audit_since(action="create", resource_type="consent.consent").get()
    assert (created.actor_username, created.resource_id) == ("frida", data["id"])
    assert created.ground_code == "own_matter"
    assert _ask(world, ebba, "BUP", "Frejaskolan", "skolsituation").allowed


def test_api_renews_and_revokes(world, api, melwin, melwin_consent):
    response = api("karin").post(
        f"/api/consents/{melwin_consent.public_id}/revoke",
        {"note": "Båda ringde."},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert all(g["revoked_at"] for g in response.json()["givers"])
    again = api("karin").post(
        f"/api/consents/{melwin_consent.public_id}/revoke", {}, content_type="application/json"
    )
    assert again.status_code == 422
    assert again.json()["detail"] == "Det finns inget gällande samtycke att återkalla."

    karin = world.actor("karin")
    response = api("karin").post(
        f"/api/children/{melwin.public_id}/consents",
        _payload(
            world,
            child_views="Melwin vill.",
            renews=str(melwin_consent.public_id),
            givers=[
                {"kind": "guardian", "guardian_id": g.guardian_id}
                for g in guardian_givers(melwin, karin.organisation_id)
            ],
        ),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Consent.objects.get(public_id=response.json()["id"]).renews == melwin_consent


def test_pages_follow_the_configured_views_age(world, login, ebba, melwin, give, settings):
    """The give page offers the child as a giver, and the form has the child's part,
    from the configured age (not a fixed 12)."""
    from .test_form_pdf import pdf_text

    def offered(child, username):
        page = login(username).get(f"/samtycken/barn/{child.public_id}/nytt/")
        assert page.status_code == 200
        return f"{child.full_name} (barnet/den unge)" in page.text

    assert not offered(ebba, "frida")
    assert offered(melwin, "karin")
    _with(settings, CONSENT_CHILD_VIEWS_AGE=10)
    assert offered(ebba, "frida")
    consent = give(["BUP"], child_views="Ebba vill att skolan och BUP pratar.")
    text = pdf_text(login("frida").get(f"/samtycken/{consent.public_id}/formular.pdf"))
    assert "Barnets egna synpunkter" in text
    assert "Ebba Exempelsson (barnet/den unge)" in text
    _with(settings, CONSENT_CHILD_VIEWS_AGE=15)
    assert not offered(melwin, "karin")


@pytest.mark.parametrize("clock", ["12:00", "00:30"])
def test_thirty_days_back_is_counted_in_local_days_at_any_hour(world, ebba, give, clock):
    """Half past midnight in Sweden is still the day before in UTC, where the consent's
    creation time is stored: 31 days back must be refused then too, 30 accepted."""
    import time_machine

    day = timezone.localdate()
    hour, minute = map(int, clock.split(":"))
    instant = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
    with time_machine.travel(instant, tick=False):
        today = timezone.localdate()
        assert today == day
        with pytest.raises(ValidationFailed, match="mer än 30 dagar bakåt"):
            give(["BUP"], givers=_ebbas(world, ebba, given_on=today - datetime.timedelta(31)))
        consent = give(["BUP"], givers=_ebbas(world, ebba, given_on=today - datetime.timedelta(30)))
        assert consent.givers.count() == 2

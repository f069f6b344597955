"""The demo world: Exempelkommun and Region Exempel, their organisations, one user per
function, and a few children, among them Melwin, 14 (Socialstyrelsen's learning
module). Every record is fictional. Built only through the services, exactly as a user
would, so the demo also exercises the real rules and leaves a real audit trail.

Dates are relative to today so that the ages in the story stay true.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from stdnum import luhn

from samverkan.consent import services as consent
from samverkan.demo import concerns as concerns_demo
from samverkan.demo import history as history_demo
from samverkan.demo import meetings as meetings_demo
from samverkan.directory import selectors as directory_selectors
from samverkan.directory import services as directory
from samverkan.governance import demo as governance_demo
from samverkan.knowledge import demo as knowledge_demo
from samverkan.people import selectors as people_selectors
from samverkan.people import services as people
from samverkan.plans import demo as plans_demo

MUNICIPALITY = "Exempelkommun"
REGION = "Region Exempel"


def fictional_number(birth: datetime.date, serial: int, *, coordination: bool = False) -> str:
    """A 12-digit personnummer (or samordningsnummer) with a correct check digit."""
    day = birth.day + (60 if coordination else 0)
    nine = f"{birth:%y%m}{day:02d}{serial:03d}"
    return f"{birth:%Y%m}{day:02d}{serial:03d}{luhn.calc_check_digit(nine)}"


def born(years: int, days: int) -> datetime.date:
    """A birth date that makes the person ``years`` old today, ``days`` past a birthday."""
    today = timezone.localdate()
    try:
        anniversary = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        anniversary = today.replace(year=today.year - years, day=28)
    return anniversary - datetime.timedelta(days=days)


# username, first, last, organisation, unit, function
STAFF = [
    ("frida", "Frida", "Ek", "Frejaskolan", None, "rektor"),
    ("mats", "Mats", "Holm", "Frejaskolan", None, "mentor"),
    ("lina", "Lina", "Svensson", "Frejaskolan", None, "larare"),
    ("adam", "Adam", "Lund", "Frejaskolan", None, "administrator"),
    ("karin", "Karin", "Berg", "Elevhälsan Frejaskolan", None, "kurator"),
    ("sara", "Sara", "Nilsson", "Elevhälsan Frejaskolan", None, "skolskoterska"),
    ("pia", "Pia", "Ström", "Elevhälsan Frejaskolan", None, "psykolog"),
    ("sven", "Sven", "Dahl", "Elevhälsan Frejaskolan", None, "specialpedagog"),
    ("fatima", "Fatima", "Ali", "Förskolan Solrosen", None, "forskolechef"),
    ("fredrik", "Fredrik", "Ås", "Förskolan Solrosen", None, "forskollarare"),
    (
        "maria",
        "Maria",
        "Lind",
        "Socialtjänsten barn och familj",
        "Mottagningen",
        "mottagningssekreterare",
    ),
    (
        "olof",
        "Olof",
        "Sandberg",
        "Socialtjänsten barn och familj",
        "Familjecentralen 0–12",
        "socialsekreterare",
    ),
    (
        "sofia",
        "Sofia",
        "Karlsson",
        "Socialtjänsten barn och familj",
        "Ungdoms- och vuxencentralen 13–18",
        "socialsekreterare",
    ),
    ("erik", "Erik", "Wallin", "Socialtjänsten barn och familj", None, "enhetschef"),
    ("samir", "Samir", "Haddad", "Socialtjänsten barn och familj", None, "samordnare"),
    ("admin", "Agnes", "Mohlin", "Socialtjänsten barn och familj", None, "administrator"),
    ("gustav", "Gustav", "Rehn", "Socialtjänsten barn och familj", None, "granskare"),
    ("greta", "Greta", "Lindqvist", "Socialtjänsten barn och familj", None, "strategigrupp"),
    ("lena", "Lena", "Forsberg", "BUP", None, "lakare"),
    ("birgitta", "Birgitta", "Öst", "Barnhälsovården (BVC)", None, "sjukskoterska"),
    ("viktor", "Viktor", "Engström", "Vårdcentralen", None, "lakare"),
]


@dataclass
class World:
    organisations: dict = field(default_factory=dict)
    units: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    memberships: dict = field(default_factory=dict)
    children: dict = field(default_factory=dict)

    def actor(self, username: str):
        return directory_selectors.actor_from_membership(self.memberships[username])


def exists() -> bool:
    return directory_selectors.organisation_list().filter(principal__name=MUNICIPALITY).exists()


@transaction.atomic
def load(*, password: str | None = None, history: bool = False) -> World:
    """Create the demo world in an empty database. Returns handles for tests.
    ``history``: add a year of generated history (demo/history.py) before the
    strategy plan freezes its reports; the demo command does, the tests do not."""
    password = password or settings.SAMVERKAN.get("DEMO_PASSWORD") or "samverkan-demo"
    world = World()
    kommun = directory.principal_create(
        actor=None, name=MUNICIPALITY, kind="kommun", organisation_number="212000-0142"
    )
    region = directory.principal_create(
        actor=None, name=REGION, kind="region", organisation_number="232100-0016"
    )
    for principal, name, org_type, description in [
        (kommun, "Frejaskolan", "skola", "Grundskola F–9."),
        (
            kommun,
            "Elevhälsan Frejaskolan",
            "elevhalsa",
            "Kurator, skolsköterska, psykolog och specialpedagog.",
        ),
        (kommun, "Förskolan Solrosen", "forskola", "Förskola med fyra avdelningar."),
        (
            kommun,
            "Socialtjänsten barn och familj",
            "socialtjanst",
            "Myndighetsutövning och stöd för barn, unga och familjer.",
        ),
        (region, "BUP", "bup", "Barn- och ungdomspsykiatrisk mottagning."),
        (region, "Barnhälsovården (BVC)", "barnhalsovard", "Barnavårdscentral."),
        (region, "Vårdcentralen", "vardcentral", "Vårdcentral för alla åldrar."),
    ]:
        world.organisations[name] = directory.organisation_create(
            actor=None, principal=principal, name=name, org_type=org_type, description=description
        )
    social = world.organisations["Socialtjänsten barn och familj"]
    for name, description, min_age, max_age in [
        ("Mottagningen", "Tar emot anmälningar och ansökningar.", None, None),
        ("Familjecentralen 0–12", "Stöd till barn 0–12 år och deras familjer.", 0, 12),
        ("Ungdoms- och vuxencentralen 13–18", "Stöd till unga 13–18 år.", 13, 18),
    ]:
        world.units[name] = directory.unit_create(
            actor=None,
            organisation=social,
            name=name,
            description=description,
            min_age=min_age,
            max_age=max_age,
        )
    for username, first, last, org_name, unit_name, function in STAFF:
        user = directory.staff_create(
            actor=None,
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@exempelkommun.example",
            password=password,
        )
        world.users[username] = user
        world.memberships[username] = directory.membership_create(
            actor=None,
            user=user,
            organisation=world.organisations[org_name],
            unit=world.units.get(unit_name),
            function=function,
            valid_from=timezone.localdate() - datetime.timedelta(days=400),
        )
    # Contact functions: social services' fixed contact for each school and preschool.
    for served, holder, title in [
        ("Frejaskolan", "sofia", "Kontaktsocialsekreterare"),
        ("Elevhälsan Frejaskolan", "sofia", "Kontaktsocialsekreterare"),
        ("Förskolan Solrosen", "olof", "Kontaktsocialsekreterare"),
    ]:
        cf = directory.contact_function_create(
            actor=None,
            served_organisation=world.organisations[served],
            provider_organisation=social,
            title=title,
            description=(
                "Fast kontakt på socialtjänsten för frågor, konsultationer och "
                "samverkansträffar. Funktionen finns kvar när personen byts."
            ),
            phone="0123-456 00",
            email="barn.familj@exempelkommun.example",
        )
        directory.contact_function_assign(
            actor=None, contact_function=cf, membership=world.memberships[holder]
        )
    _load_children(world)
    _load_consents(world)
    knowledge_demo.load(world)
    concerns_demo.load(world)
    plans_demo.load(world)
    meetings_demo.load(world)
    if history:
        history_demo.load(world)
    governance_demo.load(world, with_history=history)
    return world


def _child(
    world,
    who,
    key,
    *,
    years,
    days,
    serial,
    first,
    last,
    context,
    coordination=False,
    protected=False,
    address=("", "", ""),
    unit=None,
    note="",
):
    child, involvement = people.child_register(
        actor=world.actor(who),
        personal_number=fictional_number(born(years, days), serial, coordination=coordination),
        first_name=first,
        last_name=last,
        context=context,
        unit_id=world.units[unit].pk if unit else None,
        note=note,
        protected_identity=protected,
        street_address=address[0],
        postal_code=address[1],
        city=address[2],
    )
    world.children[key] = child
    return child, involvement


def _involve(world, who, key, context, *, unit=None, note="", ended=False):
    child = world.children[key]
    _, involvement = people.child_register(
        actor=world.actor(who),
        personal_number=child.personal_number,
        first_name=child.first_name,
        last_name=child.last_name,
        context=context,
        unit_id=world.units[unit].pk if unit else None,
        note=note,
    )
    if ended:
        people.involvement_end(
            actor=world.actor(who),
            involvement_public_id=involvement.public_id,
            reason="Avslutat i demovärlden.",
        )
    return involvement


def _guardians(world, who, key, *pairs):
    child = world.children[key]
    for first, last, years, serial, custody, phone in pairs:
        people.guardian_add(
            actor=world.actor(who),
            child=child,
            data=people.GuardianInput(
                first_name=first,
                last_name=last,
                custody_type=custody,
                personal_number=fictional_number(born(years, 40 + serial), serial),
                phone=phone,
                email=f"{first.lower()}.{last.lower()}@example.se".replace("ö", "o"),
            ),
        )


def _load_children(world: World) -> None:
    # Melwin, 14, year 7 at Frejaskolan. The school and elevhälsan know him; BUP has
    # his referral; preschool and BVC knew him as a small child. Social services has
    # no matter about him (yet) and so sees nothing.
    _child(
        world,
        "frida",
        "melwin",
        years=14,
        days=100,
        serial=231,
        first="Melwin",
        last="Andersson",
        context="education",
        address=("Björkvägen 12", "12345", "Exempelstad"),
        note="Hög frånvaro under läsåret. Elevhälsan har gjort en skolutredning.",
    )
    _guardians(
        world,
        "frida",
        "melwin",
        ("Anna", "Andersson", 42, 482, "gemensam", "070-123 45 67"),
        ("Johan", "Andersson", 44, 513, "gemensam", "070-765 43 21"),
    )
    people.enrolment_add(
        actor=world.actor("frida"), child=world.children["melwin"], school_year="7", class_name="7B"
    )
    _involve(
        world,
        "karin",
        "melwin",
        "student_health",
        note="Skolutredning genomförd med föräldrarnas godkännande. Remiss till BUP.",
    )
    # Elevhälsan keeps its own record of the parents (each organisation does).
    _guardians(
        world,
        "karin",
        "melwin",
        ("Anna", "Andersson", 42, 482, "gemensam", "070-123 45 67"),
        ("Johan", "Andersson", 44, 513, "gemensam", "070-765 43 21"),
    )
    _involve(
        world,
        "lena",
        "melwin",
        "health_care",
        note="Remiss från elevhälsan för diagnostisk utredning.",
    )
    _involve(world, "fatima", "melwin", "education", ended=True)
    _involve(world, "birgitta", "melwin", "health_care", ended=True)

    # Alva, 4, at Förskolan Solrosen, known by BVC.
    _child(
        world,
        "fatima",
        "alva",
        years=4,
        days=200,
        serial=362,
        first="Alva",
        last="Lindqvist",
        context="education",
        address=("Solgatan 3", "12346", "Exempelstad"),
    )
    _guardians(world, "fatima", "alva", ("Eva", "Lindqvist", 31, 640, "ensam", "073-111 22 33"))
    people.enrolment_add(
        actor=world.actor("fatima"), child=world.children["alva"], school_year="Avdelning Humlan"
    )
    _involve(world, "birgitta", "alva", "health_care")

    # Noah, 9, year 3 at Frejaskolan; the family gets voluntary support from
    # Familjecentralen.
    _child(
        world,
        "frida",
        "noah",
        years=9,
        days=30,
        serial=455,
        first="Noah",
        last="Berg",
        context="education",
        address=("Ekgränd 7", "12347", "Exempelstad"),
    )
    _guardians(
        world,
        "frida",
        "noah",
        ("Mikael", "Berg", 38, 771, "gemensam", "072-222 33 44"),
        ("Linnea", "Berg", 36, 802, "gemensam", "072-555 66 77"),
    )
    people.enrolment_add(
        actor=world.actor("frida"), child=world.children["noah"], school_year="3", class_name="3A"
    )
    _involve(
        world,
        "olof",
        "noah",
        "voluntary_support",
        unit="Familjecentralen 0–12",
        note="Föräldrastöd efter ansökan från familjen.",
    )
    _guardians(
        world,
        "olof",
        "noah",
        ("Mikael", "Berg", 38, 771, "gemensam", "072-222 33 44"),
        ("Linnea", "Berg", 36, 802, "gemensam", "072-555 66 77"),
    )

    # Elin, 15, year 9, with protected identity. Social services investigates and has
    # recorded why it needs her address; the school sees its own enrolment only.
    _, social_inv = _child(
        world,
        "sofia",
        "elin",
        years=15,
        days=250,
        serial=586,
        first="Elin",
        last="Nyström",
        context="investigation",
        protected=True,
        unit="Ungdoms- och vuxencentralen 13–18",
        address=("Skyddad adress 1", "12348", "Exempelstad"),
    )
    _involve(world, "frida", "elin", "education")
    people.enrolment_add(
        actor=world.actor("frida"), child=world.children["elin"], school_year="9", class_name="9C"
    )
    people.involvement_record_protected_need(
        actor=world.actor("sofia"),
        involvement_public_id=social_inv.public_id,
        need="Utredning pågår; handläggaren behöver kunna nå familjen och skolan.",
    )

    # Omar, 12, samordningsnummer, year 6, with elevhälsan involved.
    _child(
        world,
        "frida",
        "omar",
        years=12,
        days=15,
        serial=617,
        first="Omar",
        last="Haddad",
        context="education",
        coordination=True,
    )
    people.enrolment_add(
        actor=world.actor("frida"), child=world.children["omar"], school_year="6", class_name="6A"
    )
    _involve(world, "sara", "omar", "student_health", note="Hälsobesök.")

    # Liam, 1, known only by BVC.
    _child(
        world,
        "birgitta",
        "liam",
        years=1,
        days=60,
        serial=748,
        first="Liam",
        last="Johansson",
        context="health_care",
    )
    _guardians(
        world,
        "birgitta",
        "liam",
        ("Sanna", "Johansson", 29, 159, "gemensam", "076-333 44 55"),
        ("Ali", "Johansson", 30, 284, "gemensam", "076-666 77 88"),
    )

    # Saga, 10, is in the demo population register (demo/data/folkbokforing.json), so
    # her number and birth date are fixed. Frejaskolan fetches her guardians from the
    # register; Familjecentralen, which gives the family voluntary support, has not
    # recorded them: its consent form takes them from the register.
    saga_number = "201605148129"
    saga, _ = people.child_register(
        actor=world.actor("frida"),
        personal_number=saga_number,
        first_name="Saga",
        last_name="Lindgren",
        context="education",
        street_address="Aspvägen 9",
        postal_code="12350",
        city="Exempelstad",
    )
    world.children["saga"] = saga
    people.enrolment_add(actor=world.actor("frida"), child=saga, school_year="4", class_name="4A")
    if people_selectors.population_register_name():
        people.guardians_from_register(actor=world.actor("frida"), child=saga)
    _involve(
        world,
        "olof",
        "saga",
        "voluntary_support",
        unit="Familjecentralen 0–12",
        note="Föräldrastöd efter ansökan från familjen.",
    )


def _guardian_givers(child, organisation_id, method="written"):
    return [
        consent.GiverInput(kind="guardian", guardian_id=str(c.guardian.public_id), method=method)
        for c in people_selectors.system_custodies(child, organisation_id)
    ]


def _load_consents(world: World) -> None:
    orgs = world.organisations
    # Melwin: his parents consent to Frejaskolan, Elevhälsan, Socialtjänsten and BUP
    # sharing everything relevant for a SIP and for the samverkansträff.
    melwin = world.children["melwin"]
    consent.consent_give(
        actor=world.actor("karin"),
        child=melwin,
        party_ids=[
            orgs[name].pk for name in ("Frejaskolan", "Socialtjänsten barn och familj", "BUP")
        ],
        category_codes=["skolsituation", "halsa", "social_situation", "insatser"],
        purpose_codes=["sip", "samverkanstraff"],
        form="written",
        context="voluntary",
        exclusions="Inga uppgifter om syskonens skolgång.",
        child_views=(
            "Melwin vill att skolan och BUP pratar med varandra så att han slipper "
            "berätta allt flera gånger. Han vill inte att hela klassen får veta."
        ),
        givers=_guardian_givers(melwin, orgs["Elevhälsan Frejaskolan"].pk),
    )
    # Alva: her mother consented to the preschool and BVC talking, then revoked it.
    alva = world.children["alva"]
    given = consent.consent_give(
        actor=world.actor("fatima"),
        child=alva,
        party_ids=[orgs["Barnhälsovården (BVC)"].pk],
        category_codes=["halsa", "skolsituation"],
        purpose_codes=["allman_samverkan"],
        form="oral",
        context="voluntary",
        givers=_guardian_givers(alva, orgs["Förskolan Solrosen"].pk, method="oral"),
    )
    consent.consent_revoke(
        actor=world.actor("fatima"),
        consent=given,
        note="Mamman ringde och ville inte längre att förskolan och BVC pratar om Alva.",
    )
    # Noah has no consent: nothing about him passes between organisations.

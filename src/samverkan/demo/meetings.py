"""Collaboration forums in the demo world, all made through the services.

- Samverkansträff 0-12 and 13-18: weekly, social services' coordinator convenes; the
  13-18 forum's meeting last week was held: a general question, an anonymised
  consultation, Melwin's case under his consent (every attending organisation is
  covered), decisions, two action items (one done, one open, which carries over), an
  approved and locked set of minutes with one appended correction, and evaluations.
- A monthly internal forum of social services, a school-based consultation group at
  Frejaskolan once a term, and the strategy group (steering group).
- An anonymised escalation opened twenty days ago by Elevhälsan, whose first step is now
  past its deadline.
"""

from __future__ import annotations

import contextlib
import datetime
from unittest import mock

from django.utils import timezone

from samverkan.meetings import selectors as meetings_selectors
from samverkan.meetings import services as meetings


@contextlib.contextmanager
def _days_ago(days: int):
    moment = timezone.now() - datetime.timedelta(days=days)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


FORUMS = [
    {
        "name": "Samverkansträff 0–12",
        "level": "basniva",
        "cadence": "weekly",
        "convener": ("Socialtjänsten barn och familj", "samordnare"),
        "organisations": [
            "Frejaskolan",
            "Elevhälsan Frejaskolan",
            "Förskolan Solrosen",
            "Socialtjänsten barn och familj",
            "Barnhälsovården (BVC)",
        ],
        "functions": [
            "rektor",
            "kurator",
            "skolskoterska",
            "forskolechef",
            "socialsekreterare",
            "sjukskoterska",
        ],
        "purpose": "Tidig samverkan kring barn 0–12 år som far illa eller riskerar att fara illa.",
        "goals": "Rätt stöd tidigt; ingen familj ska behöva berätta samma sak flera gånger.",
        "target_group": "Barn 0–12 år och deras familjer, genom Familjecentralen.",
        "ages": (0, 12),
        "weekday": 1,
        "location": "Familjecentralen, samtalsrummet",
    },
    {
        "name": "Samverkansträff 13–18",
        "level": "basniva",
        "cadence": "weekly",
        "convener": ("Socialtjänsten barn och familj", "samordnare"),
        "organisations": [
            "Frejaskolan",
            "Elevhälsan Frejaskolan",
            "Socialtjänsten barn och familj",
            "BUP",
        ],
        "functions": ["rektor", "mentor", "kurator", "psykolog", "socialsekreterare", "lakare"],
        "purpose": "Samverkan kring unga 13–18 år med oro för skolgång, hälsa eller hemsituation.",
        "goals": "Gemensam bild av behoven och tydligt vem som gör vad till nästa träff.",
        "target_group": "Unga 13–18 år, genom Ungdoms- och vuxencentralen.",
        "ages": (13, 18),
        "weekday": 3,
        "location": "Ungdoms- och vuxencentralen",
    },
    {
        "name": "Internt forum socialtjänsten barn och familj",
        "level": "enhetschef",
        "cadence": "monthly",
        "convener": ("Socialtjänsten barn och familj", "enhetschef"),
        "organisations": ["Socialtjänsten barn och familj"],
        "functions": ["mottagningssekreterare", "socialsekreterare", "samordnare"],
        "purpose": "Socialtjänstens egna genomgång av samverkansfrågor och gråzonsärenden.",
        "ages": (None, None),
        "weekday": 0,
        "location": "Socialtjänsten, konferensrummet",
    },
    {
        "name": "Konsultationsgrupp Frejaskolan",
        "level": "basniva",
        "cadence": "termly",
        "convener": ("Frejaskolan", "rektor"),
        "organisations": [
            "Frejaskolan",
            "Elevhälsan Frejaskolan",
            "Socialtjänsten barn och familj",
        ],
        "functions": [
            "mentor",
            "larare",
            "kurator",
            "skolskoterska",
            "psykolog",
            "specialpedagog",
            "socialsekreterare",
        ],
        "purpose": "Skolbaserad konsultation: avidentifierade elevärenden och arbetssätt.",
        "goals": "Personalen vet när och hur de kontaktar socialtjänsten.",
        "target_group": "Elever på Frejaskolan.",
        "ages": (6, 16),
        "weekday": 2,
        "location": "Frejaskolan, personalrummet",
        "way": (
            "Gruppen har själv kommit överens om syfte, mål, deltagare och sammankallande. "
            "Ärenden tas upp avidentifierat; med namn bara med samtycke."
        ),
    },
    {
        "name": "Strategigruppen barn och unga",
        "level": "forvaltning",
        "cadence": "termly",
        "convener": ("Socialtjänsten barn och familj", "enhetschef"),
        "organisations": [
            "Frejaskolan",
            "Förskolan Solrosen",
            "Socialtjänsten barn och familj",
            "BUP",
            "Barnhälsovården (BVC)",
        ],
        "functions": ["rektor", "forskolechef", "lakare", "sjukskoterska"],
        "purpose": "Styrgrupp: följer upp samverkan, beslutar i gråzonsfrågor som lyfts hit.",
        "goals": "Överenskommelser och rutiner hålls levande; lägesanalys varje år.",
        "ages": (0, 18),
        "weekday": 4,
        "location": "Kommunhuset",
    },
]


def load(world) -> None:
    orgs = world.organisations
    forums = {}
    for spec in FORUMS:
        org_name, function = spec["convener"]
        forums[spec["name"]] = meetings.forum_create(
            actor=None,
            name=spec["name"],
            level=spec["level"],
            cadence=spec["cadence"],
            convener_organisation_id=orgs[org_name].pk,
            convener_function_code=function,
            organisation_ids=[orgs[n].pk for n in spec["organisations"]],
            function_codes=spec["functions"],
            purpose=spec["purpose"],
            goals=spec.get("goals", ""),
            target_group=spec.get("target_group", ""),
            min_age=spec["ages"][0],
            max_age=spec["ages"][1],
            way_of_working=spec.get("way", ""),
            weekday=spec["weekday"],
            location=spec["location"],
        )
    today = timezone.localdate()
    meetings.meetings_generate(today=today - datetime.timedelta(days=14), days=14 + 120)

    teen = forums["Samverkansträff 13–18"]
    past = teen.meetings.filter(starts_at__lt=timezone.now()).order_by("-starts_at").first()
    samir, karin, frida = world.actor("samir"), world.actor("karin"), world.actor("frida")
    for org_name, participants in [
        ("Frejaskolan", "Rektor, mentor"),
        ("Elevhälsan Frejaskolan", "Kurator"),
        ("Socialtjänsten barn och familj", "Samordnare, socialsekreterare"),
        ("BUP", "Läkare"),
    ]:
        meetings.attendance_set(
            actor=samir,
            meeting=past,
            organisation_id=orgs[org_name].pk,
            present=True,
            participants=participants,
        )
    meetings.item_add(
        actor=frida,
        meeting=past,
        kind="general",
        title="Rutin för kontakt vid hög frånvaro",
        text="Hur når skolan socialtjänsten snabbast när frånvaron ökar under en termin?",
    )
    meetings.item_add(
        actor=karin,
        meeting=past,
        kind="anonymised",
        title="Konsultation: elev i årskurs 8 med oro hemma",
        text=(
            "En elev berättar om bråk hemma och sover dåligt. Vårdnadshavarna vill ha stöd "
            "men vet inte vart de ska vända sig. Vad kan erbjudas utan att en anmälan görs?"
        ),
    )
    melwin = meetings.item_add(
        actor=karin,
        meeting=past,
        kind="identified",
        title="Melwin: frånvaro och utredning på BUP",
        text="Skolan och BUP stämmer av hur skoldagen kan anpassas under utredningen.",
        child=world.children["melwin"],
        category="skolsituation",
    )
    meetings.item_decide(
        actor=samir,
        item=melwin,
        decision="Elevhälsan och BUP träffas; skolan anpassar schemat till nästa träff.",
    )
    meetings.action_add(
        actor=samir,
        meeting=past,
        text="Sammanställa skolans rutin för kontakt vid hög frånvaro.",
        responsible_organisation_id=orgs["Frejaskolan"].pk,
        responsible_function_code="rektor",
        due_date=today - datetime.timedelta(days=3),
    )
    done = meetings.action_add(
        actor=samir,
        meeting=past,
        text="Informera om föräldrastöd på Familjecentralen vid nästa föräldramöte.",
        responsible_organisation_id=orgs["Socialtjänsten barn och familj"].pk,
        responsible_function_code="socialsekreterare",
        due_date=today + datetime.timedelta(days=7),
    )
    meetings.action_set_status(actor=world.actor("sofia"), action=done, status="done")
    past = meetings_selectors.meeting_for_change(past.public_id)
    meetings.minutes_save(
        actor=samir,
        meeting=past,
        minutes=(
            "Närvarande: skolan, elevhälsan, socialtjänsten och BUP.\n"
            "Frånvarorutinen diskuterades; skolan tar fram ett förslag.\n"
            "Konsultationen: socialtjänsten beskrev vilket föräldrastöd som finns utan anmälan."
        ),
        version=past.version,
    )
    meetings.meeting_close(actor=samir, meeting=past)
    meetings.minutes_approve(actor=samir, meeting=past)
    meetings.correction_add(
        actor=samir,
        meeting=meetings_selectors.meeting_for_change(past.public_id),
        text="Rättelse: BUP deltog med läkare, inte psykolog.",
    )
    for username, answers in [
        ("karin", {"purpose": 4, "right_people": 4, "useful": 3, "climate": 4}),
        ("sofia", {"purpose": 3, "right_people": 4, "useful": 4, "climate": 3}),
        ("lena", {"purpose": 4, "right_people": 2, "useful": 3, "climate": 4}),
    ]:
        meetings.evaluation_submit(actor=world.actor(username), meeting=past, answers=answers)

    with _days_ago(20):
        meetings.escalation_open(
            actor=karin,
            title="Vem ansvarar för stöd till elev med hemmasittande?",
            description=(
                "En elev har varit borta från skolan i sex veckor. Elevhälsan anser att "
                "familjen behöver stöd från socialtjänsten; socialtjänsten anser att skolan "
                "först ska pröva anpassningar. Frågan behöver avgöras."
            ),
            counterpart_organisation_id=orgs["Socialtjänsten barn och familj"].pk,
        )

"""The knowledge part of the demo world: mötesplatser and shared training, competence
plans and a personal checklist. The catalogue itself (actors, concepts, factors,
methods, checklist suggestions) is not demo data: every installation gets it from
migration 0002. Built only through the services, as a user would."""

from __future__ import annotations

import datetime

from django.utils import timezone

from . import selectors, services


def _at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _school_year() -> str:
    today = timezone.localdate()
    start = today.year if today.month >= 7 else today.year - 1
    return f"{start}/{start + 1}"


def load(world) -> None:
    """Add the municipality's events, competence plans and a checklist to ``world``
    (see samverkan.demo.world)."""
    admin = world.actor("admin")  # administrator, Socialtjänsten barn och familj
    org = world.organisations
    school, health = org["Frejaskolan"], org["Elevhälsan Frejaskolan"]
    preschool, social = org["Förskolan Solrosen"], org["Socialtjänsten barn och familj"]

    school_meeting = services.event_create(
        actor=admin,
        title="Mötesplats skola och socialtjänst",
        kind="motesplats",
        starts_at=_at(21, 13),
        ends_at=_at(21, 16, 30),
        location="Stadshuset, sal Freja",
        description=(
            "Vi lär känna varandras uppdrag och vardag, och planerar hur skolan och "
            "socialtjänsten ska mötas resten av läsåret."
        ),
        programme="\n".join(
            [
                "13.00 Inledning av förvaltningscheferna",
                "13.20 Socialtjänstens uppdrag och hur en utredning går till",
                "13.50 Skolans och elevhälsans uppdrag och arbetssätt",
                "14.30 Kaffe",
                "14.50 Gruppsamtal: anmälan, återkoppling och trepartssamtal",
                "16.00 Vi planerar våra samverkansträffar",
                "16.30 Avslutning",
            ]
        ),
        capacity=40,
        invited_organisation_ids=[school.pk, health.pk, social.pk],
    )
    for username in ("frida", "karin", "sofia", "erik"):
        services.event_register(actor=world.actor(username), event_id=school_meeting.public_id)

    services.event_create(
        actor=admin,
        title="Mötesplats förskola och socialtjänst",
        kind="motesplats",
        starts_at=_at(35, 8, 30),
        ends_at=_at(35, 12),
        location="Familjecentralen",
        description="Förskolan, barnhälsovården och socialtjänsten berättar om sina uppdrag.",
        programme="\n".join(
            [
                "08.30 Inledning",
                "09.00 Vad förskolan ser – och när vi ska anmäla",
                "10.00 Barnhälsovården och familjecentralen",
                "11.15 Frågor vi vill fortsätta prata om",
            ]
        ),
        invited_organisation_ids=[preschool.pk, social.pk, org["Barnhälsovården (BVC)"].pk],
    )

    sip_training = services.event_create(
        actor=admin,
        title="Gemensam utbildning: SIP och Mötescirkeln",
        kind="utbildning",
        starts_at=_at(56, 9),
        ends_at=_at(56, 15),
        location="Stadshuset, sal Freja",
        description=(
            "Hur vi kallar till, leder och följer upp en samordnad individuell plan, och "
            "hur Mötescirkeln gör mötet tydligt för barnet och familjen."
        ),
        programme="09.00 SIP: lagen och vår rutin\n10.30 Mötescirkeln i praktiken\n13.00 Övning",
        capacity=30,
    )
    services.event_register(actor=world.actor("samir"), event_id=sip_training.public_id)

    # A method day that has already taken place, with attendance and an evaluation.
    method_day = services.event_create(
        actor=admin,
        title="Metoddag: risk- och skyddsfaktorer",
        kind="metoddag",
        starts_at=_at(1, 9),
        ends_at=_at(1, 12),
        location="Frejaskolan, aulan",
        description="Gemensam genomgång av risk- och skyddsfaktorer och av KOMET.",
        evaluation_url="https://enkat.exempelkommun.example/metoddag",
    )
    registrations = [
        services.event_register(actor=world.actor(u), event_id=method_day.public_id)
        for u in ("mats", "karin", "olof", "fatima")
    ]
    method_day = services.event_update(
        actor=admin,
        event_id=method_day.public_id,
        expected_version=method_day.version,
        invited_organisation_ids=[],
        title=method_day.title,
        kind=method_day.kind,
        starts_at=_at(-60, 9),
        ends_at=_at(-60, 12),
        capacity=None,
        evaluation_url=method_day.evaluation_url,
        location=method_day.location,
        description=method_day.description,
        programme="09.00 Risk- och skyddsfaktorer\n10.30 KOMET för skola och föräldrar",
    )
    services.event_attendance_record(
        actor=admin,
        event_id=method_day.public_id,
        attended_ids=[r.public_id for r in registrations[:3]],
    )

    plan = services.competence_plan_create(
        actor=admin,
        period=_school_year(),
        goal=(
            "Alla handläggare känner skolans och elevhälsans uppdrag, och alla nyanställda "
            "har gått introduktionen inom tre månader."
        ),
    )
    for topic, group, event in [
        ("Introduktion i samverkan för nyanställda", "Nyanställda socialsekreterare", None),
        ("SIP och Mötescirkeln", "Alla handläggare", sip_training),
        ("Mötesplats med skolan", "Familjecentralen och ungdomsenheten", school_meeting),
    ]:
        services.competence_item_add(
            actor=admin,
            plan_id=plan.public_id,
            topic=topic,
            target_group=group,
            event_id=event.public_id if event else None,
            due=(timezone.localdate(event.starts_at) if event else timezone.localdate()),
        )
    school_plan = services.competence_plan_create(
        actor=world.actor("adam"),
        period=_school_year(),
        goal="Lärare och mentorer vet när och hur de gör en orosanmälan.",
    )
    services.competence_item_add(
        actor=world.actor("adam"),
        plan_id=school_plan.public_id,
        topic="Anmälningsskyldighet och återkoppling",
        target_group="Alla lärare",
        event_id=school_meeting.public_id,
    )

    # Frida, rektor, has started her checklist.
    frida = world.actor("frida")
    services.checklist_suggestions_choose(
        actor=frida,
        codes=["kontaktpersoner", "vem-kallar", "aterkoppla", "mal-for-samverkan"],
    )
    services.checklist_item_add(
        actor=frida, text="Boka en samverkansträff med kontaktsocialsekreteraren"
    )
    first = selectors.checklist_for(frida).items[0]
    services.checklist_item_mark(actor=frida, item_id=first.public_id, done=True)

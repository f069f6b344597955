"""Melwin's SIP in the demo world: Elevhälsan (karin) calls Frejaskolan, Socialtjänsten
and BUP with the parents' consent; the call is acknowledged (social services passes it
to its youth unit), prepared with Melwin and his parents, the plan is made with Samir as
coordinator, and one follow-up is done. Built through the services, like a user."""

from __future__ import annotations

import datetime

from django.utils import timezone

from . import services


def load(world) -> None:
    orgs = world.organisations
    school = orgs["Frejaskolan"]
    health = orgs["Elevhälsan Frejaskolan"]
    social = orgs["Socialtjänsten barn och familj"]
    bup = orgs["BUP"]
    melwin = world.children["melwin"]
    today = timezone.localdate()
    meeting = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=42), datetime.time(13, 0))
    )
    plan = services.plan_start(
        actor=world.actor("karin"),
        child=melwin,
        called_organisation_ids=[school.pk, social.pk, bup.pk],
        purpose="Samordna stödet till Melwin i skolan, hemma och i vården.",
        question="Hur kan Melwin komma tillbaka till skolan och orka med dagarna?",
        long_term_goal="Gå ut nian med godkända betyg och spela fotboll igen.",
        meeting_at=meeting,
        meeting_place="Frejaskolan, elevhälsans konferensrum",
        invited=["Fotbollsföreningen IK Exempel (tränaren)"],
    )
    services.plan_acknowledge(actor=world.actor("frida"), plan=plan)
    services.plan_acknowledge(
        actor=world.actor("sofia"),
        plan=plan,
        unit_id=world.units["Ungdoms- och vuxencentralen 13–18"].pk,
        note="Lämnad till ungdomsenheten, som har barn 13–18.",
    )
    services.plan_acknowledge(actor=world.actor("lena"), plan=plan)
    services.plan_prepare(
        actor=world.actor("karin"),
        plan=plan,
        important_to_child="Att slippa berätta allt flera gånger. Att få vara med i laget igen.",
        important_to_guardians="Att alla drar åt samma håll och att vi vet vem vi ska ringa.",
    )
    plan = services.plan_save(
        actor=world.actor("karin"),
        plan=plan,
        expected_version=plan.version,
        needs=[
            "Komma tillbaka till skolan i sin egen takt",
            "Utredning och stöd för sömn och oro",
            "Stöd till föräldrarna i vardagen",
        ],
        long_term_goal="Gå ut nian med godkända betyg och spela fotboll igen.",
        short_term_goals=[
            "Närvaro minst tre förmiddagar i veckan inom sex veckor",
            "Sova bättre",
        ],
        efforts=[
            services.EffortInput(
                title="Anpassad studiegång med trappa för närvaro",
                organisation_id=school.pk,
                responsible="Mentor (Mats Holm)",
                starts_on=today - datetime.timedelta(days=40),
                ends_on=today + datetime.timedelta(days=90),
            ),
            services.EffortInput(
                title="Stödsamtal varannan vecka",
                organisation_id=health.pk,
                responsible="Kurator",
                starts_on=today - datetime.timedelta(days=40),
            ),
            services.EffortInput(
                title="Neuropsykiatrisk utredning",
                organisation_id=bup.pk,
                responsible="Läkare (Lena Forsberg)",
            ),
            services.EffortInput(
                title="Föräldrastöd i grupp",
                organisation_id=social.pk,
                responsible="Ungdoms- och vuxencentralen 13–18",
            ),
        ],
        others_do="Fotbollstränaren hjälper Melwin att komma tillbaka till träningarna.",
        responsible_organisation_id=health.pk,
        coordinator_user_id=world.users["samir"].pk,
        participants=(
            "Melwin, Anna och Johan Andersson, Karin Berg (kurator), Mats Holm (mentor), "
            "Sofia Karlsson (socialsekreterare), Lena Forsberg (BUP), Samir Haddad."
        ),
        disagreements="BUP vill vänta med skolanpassningar tills utredningen är klar; "
        "skolan och familjen vill börja nu. Skolan börjar nu.",
        follow_up_on=today,
        child_words="Jag vill att ni pratar med varandra och inte bara med mamma.",
        comment="Planen upprättad på mötet",
    )
    services.followup_record(
        actor=world.actor("samir"),
        plan=plan,
        held_on=today,
        assessments=[
            services.AssessmentInput(
                effort_key=e["key"],
                status=status,
                effect=effect,
            )
            for e, (status, effect) in zip(
                services.latest_content(plan)["efforts"],
                [
                    ("ongoing", "Närvaron har ökat till tre förmiddagar i veckan."),
                    ("ongoing", "Melwin säger att samtalen hjälper."),
                    ("not_started", "Väntar på tid för utredning."),
                    ("done", "Föräldrarna har gått hela gruppen."),
                ],
                strict=True,
            )
        ],
        note="Melwin var med hela mötet och berättade själv hur det går.",
        next_follow_up_on=today + datetime.timedelta(days=5),
    )
    services.other_plan_add(
        actor=world.actor("frida"),
        child=melwin,
        kind="atgardsprogram",
        purpose="Särskilt stöd i matematik och anpassad studiegång.",
    )

"""Reports of concern in the demo world, in several states, all made through the
services. Earlier events are made with the clock set back, so that deadlines have
really passed (an overdue preliminary assessment) rather than being written in.

- Noah, 9: his mentor Mats at Frejaskolan reports today; a teacher reported three days
  earlier (two reporters within the window: flagged). Olof at Familjecentralen handles
  it, has made the protection assessment and told the school, from the whitelist, who
  handles the matter.
- Omar, 12: Karin at Elevhälsan phoned in an urgent report; guardians must not be told.
  The written report is awaited.
- A private person reported anonymously through the public form.
- Tindra, 7, is not in Frejaskolan's register: the teacher Lina reports her with the
  personnummer and name her big brother gave; the intake is to identify her.
- Elin, 15: Frida reported twenty days ago; no preliminary decision yet (overdue).
"""

from __future__ import annotations

import contextlib
import datetime
from unittest import mock

from django.utils import timezone

from samverkan.concerns import services as concerns


@contextlib.contextmanager
def _days_ago(days: int):
    moment = timezone.now() - datetime.timedelta(days=days)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def load(world) -> None:
    noah = world.children["noah"]
    with _days_ago(3):
        concerns.report_submit(
            actor=world.actor("lina"),
            child=noah,
            worry="Noah har flera gånger kommit till skolan utan mat och i för tunna kläder.",
            observations="Trött på morgnarna, somnar på lektionerna.",
            reporter_phone="0123-456 10",
        )
    report = concerns.report_submit(
        actor=world.actor("mats"),
        child=noah,
        worry="Noah berättar att han är rädd att gå hem. Han har ett blåmärke på armen.",
        observations="Blåmärke på överarmen, ca 3 cm. Noah drar sig undan på rasterna.",
        child_words="”Pappa blir så arg när han har druckit.”",
        urgency="soon",
        guardians_informed="no",
        reporter_phone="0123-456 11",
        reporter_email="mats@exempelkommun.example",
    )
    concerns.handling_assign(
        actor=world.actor("maria"),
        report=report,
        handler_membership_id=world.memberships["olof"].pk,
    )
    concerns.protection_assessment_record(
        actor=world.actor("olof"),
        report=report,
        text="Inget akut skyddsbehov i dag; familjen kallas till samtal i veckan.",
    )
    concerns.feedback_send(actor=world.actor("olof"), report=report, statement="handler")

    concerns.report_register_oral(
        actor=world.actor("maria"),
        personal_number=world.children["omar"].personal_number,
        first_name="Omar",
        last_name="Haddad",
        reporter_organisation_id=world.organisations["Elevhälsan Frejaskolan"].pk,
        reporter_name="Karin Berg",
        reporter_function="Kurator",
        reporter_phone="0123-456 20",
        reporter_email="karin@exempelkommun.example",
        worry="Omar har berättat för kuratorn att en vuxen i familjen slår honom.",
        child_words="”Säg inget till mamma, då blir det värre.”",
        urgency="acute",
        guardians_informed="no",
        do_not_inform_guardians=True,
        do_not_inform_reason="Misstanke om våld av en vårdnadshavare.",
    )

    concerns.report_submit_public(
        child_details="En pojke, ca 10 år, som bor i trappuppgången på Ekgränd 9.",
        worry="Jag hör ofta skrik och slag genom väggen på kvällarna.",
        observations="Pojken är ute sent på kvällarna, ensam.",
        urgency="soon",
    )

    concerns.report_submit(
        actor=world.actor("lina"),
        personal_number="20191102-8452",  # in demo/data/folkbokforing.json
        child_first_name="Tindra",
        child_last_name="Öberg",
        worry="Tindras storebror i min klass berättar att hon ofta är ensam hemma på kvällarna.",
        child_words="Brodern: ”Tindra får vara ensam när mamma jobbar natt.”",
        reporter_phone="0123-456 12",
    )

    with _days_ago(20):
        elin = concerns.report_submit(
            actor=world.actor("frida"),
            child=world.children["elin"],
            worry="Elin har hög frånvaro sedan flera veckor och säger att hon inte får gå ut.",
            reporter_phone="0123-456 01",
        )
        concerns.handling_assign(
            actor=world.actor("maria"),
            report=elin,
            handler_membership_id=world.memberships["sofia"].pk,
        )
        concerns.protection_assessment_record(
            actor=world.actor("sofia"),
            report=elin,
            text="Utredning pågår redan; skyddsbehovet bedöms inom den.",
        )

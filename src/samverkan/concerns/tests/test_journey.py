"""A reporter following a report in the browser sees received → assigned → decision →
closed, with the feedback sent; every step is done through the pages."""

from __future__ import annotations

from samverkan.concerns.models import Report


def _mine(client) -> str:
    return client.get("/anmalan/mina/").content.decode()


def test_reporter_follows_the_report(world, login):
    mats, maria, olof = login("mats"), login("maria"), login("olof")
    noah = world.children["noah"]
    mats.post(
        "/anmalan/ny/",
        {
            "personal_number": noah.personal_number_display,
            "worry": "Noah är rädd för att gå hem.",
            "urgency": "soon",
            "guardians_informed": "no",
            "reporter_phone": "0123-456 11",
        },
    )
    report = Report.objects.filter(reporter_user=world.users["mats"]).latest("received_at")
    base = f"/anmalan/{report.public_id}/"
    assert "Mottagen" in _mine(mats)
    assert "Mottagningsbekräftelse" in mats.get(base).content.decode()

    maria.post(base + "handlaggare/", {"handler": world.memberships["olof"].pk})
    page = _mine(mats)
    assert "Handläggare utsedd" in page and "Olof Sandberg" in page

    olof.post(base + "skyddsbedomning/", {"text": "Inget akut skyddsbehov."})
    olof.post(base + "forhandsbedomning/", {"decision": "open", "text": ""})
    olof.post(base + "aterkoppling/", {"statement": "investigation_opened"})
    page = _mine(mats)
    assert "Utredning pågår" in page and "En utredning har inletts." in page

    # Said before the closure it would contradict the matter: refused, nothing sent.
    olof.post(base + "aterkoppling/", {"statement": "closed_no_intervention"})
    assert "Utredningen är avslutad utan insats från socialtjänsten." not in _mine(mats)
    olof.post(base + "avsluta/", {"outcome": "no_intervention", "text": ""})
    olof.post(base + "aterkoppling/", {"statement": "closed_no_intervention"})
    page = _mine(mats)
    assert "Utredningen är avslutad utan insats" in page  # the status
    assert "Utredningen är avslutad utan insats från socialtjänsten." in page
    assert "Utvärdering av samarbetet" in page  # the reminder
    detail = mats.get(base).content.decode()
    assert "Inget akut skyddsbehov" not in detail  # social services' own note
    assert "Utvärdera samarbetet" in detail
    answers = dict.fromkeys(("receipt", "handler_known", "feedback", "cooperation"), "ja")
    mats.post(base + "utvardering/", {**answers, "new_report": "delvis", "comment": ""})
    assert report.evaluations.count() == 1
    assert "Utvärdering av samarbetet" not in _mine(mats)

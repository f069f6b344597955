"""A convener prepares, holds and closes a samverkansträff in the browser (through the
pages, as a user would), and the other pages render."""

import datetime

import pytest
from django.utils import timezone

from samverkan.meetings.models import ActionItem, Evaluation, Meeting

pytestmark = pytest.mark.django_db


def test_convener_prepares_holds_and_closes_a_samverkanstraff(world, login, teen_forum):
    samir = login("samir")
    when = (timezone.localtime() + datetime.timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    response = samir.post(
        f"/forum/{teen_forum.public_id}/boka/",
        {"starts_at": when.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 60, "location": "Rum 2"},
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(forum=teen_forum, starts_at=when)
    url = f"/forum/mote/{meeting.public_id}/"
    assert response["Location"] == url

    # Members prepare the agenda.
    karin = login("karin")
    assert (
        karin.post(
            url + "punkt/",
            {
                "kind": "identified",
                "title": "Melwin: skoldagen",
                "text": "Avstämning.",
                "child": str(world.children["melwin"].public_id),
                "category": "skolsituation",
            },
        ).status_code
        == 302
    )
    assert (
        login("frida")
        .post(url + "punkt/", {"kind": "general", "title": "Rutin vid frånvaro", "text": ""})
        .status_code
        == 302
    )

    # The meeting: attendance, a decision, an action, minutes, held, approved.
    vc = world.organisations["BUP"]
    samir.post(
        url + "narvaro/", {"organisation": vc.pk, "present": "yes", "participants": "Läkare"}
    )
    page = samir.get(url)
    assert "Melwin: skoldagen" in page.text and "närvarande" in page.text
    item = meeting.items.get(kind="identified")
    samir.post(f"/forum/punkt/{item.public_id}/beslut/", {"decision": "BUP och elevhälsan ses."})
    samir.post(
        url + "atgard/",
        {
            "text": "Boka möte med BUP.",
            "responsible_organisation": world.organisations["Elevhälsan Frejaskolan"].pk,
            "responsible_function": "kurator",
            "responsible_person": "",
            "due_date": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        },
    )
    assert ActionItem.objects.filter(meeting=meeting, text="Boka möte med BUP.").exists()
    samir.post(
        url + "protokoll/", {"minutes": "Genomgång av två punkter.", "version": meeting.version}
    )
    # The meeting day has come: a meeting is marked as held only once it has begun.
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(minutes=30)
    )
    samir.post(url + "avsluta/", {})
    samir.post(url + "justera/", {})
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.is_locked
    assert meeting.minutes == "Genomgång av två punkter."
    samir.post(url + "rattelse/", {"text": "Rättelse: mötet började 09.15."})
    page = samir.get(url)
    assert "Rättelse: mötet började 09.15." in page.text
    assert "Justera och lås protokollet" not in page.text

    # Participants evaluate.
    response = karin.post(
        url + "utvardering/",
        {"q_purpose": 4, "q_right_people": 3, "q_useful": 4, "q_climate": 2, "comment": ""},
    )
    assert response.status_code == 302
    assert Evaluation.objects.filter(meeting=meeting).count() == 1
    assert "Du har utvärderat mötet" in karin.get(url).text

    # The action carries over to the next meeting.
    later = teen_forum.meetings.filter(starts_at__gt=meeting.starts_at).order_by("starts_at")[0]
    assert "Boka möte med BUP." in samir.get(f"/forum/mote/{later.public_id}/").text


def test_minutes_with_identifying_text_are_refused_on_the_page(world, login, next_meeting):
    samir = login("samir")
    url = f"/forum/mote/{next_meeting.public_id}/"
    response = samir.post(
        url + "protokoll/",
        {"minutes": "Melwin Andersson bor på Björkvägen 12.", "version": 1},
        follow=True,
    )
    assert "”Björkvägen 12” ser ut som en adress" in response.text
    next_meeting.refresh_from_db()
    assert next_meeting.minutes == ""


@pytest.mark.parametrize("username", ["frida", "sofia", "lena", "birgitta", "admin", "gustav"])
def test_overview_forum_and_calendar_pages_render(world, login, teen_forum, username):
    client = login(username)
    for url in ("/forum/", f"/forum/{teen_forum.public_id}/", "/forum/kalender/"):
        assert client.get(url).status_code == 200, url


def test_escalation_page_opens_an_anonymised_escalation(world, login):
    client = login("frida")
    response = client.post(
        "/forum/eskalering/",
        {
            "title": "Ansvar för skolskjuts",
            "description": "Noah Berg behöver skolskjuts.",
            "counterpart": world.organisations["Socialtjänsten barn och familj"].pk,
            "child": "",
        },
    )
    assert response.status_code == 200
    assert "<mark>Noah Berg</mark>" in response.text
    response = client.post(
        "/forum/eskalering/",
        {
            "title": "Ansvar för skolskjuts",
            "description": "En elev behöver skolskjuts under en utredning.",
            "counterpart": world.organisations["Socialtjänsten barn och familj"].pk,
            "child": "",
        },
    )
    assert response.status_code == 302


def test_an_administrator_sets_up_a_forum(world, login):
    from samverkan.meetings.models import Forum

    assert login("frida").get("/forum/nytt/").status_code == 403
    client = login("admin")  # administratör, Socialtjänsten
    assert client.get("/forum/nytt/").status_code == 200
    response = client.post(
        "/forum/nytt/",
        {
            "name": "Nätverk fritid och skola",
            "level": "basniva",
            "cadence": "monthly",
            "convener_function": "samordnare",
            "organisations": [world.organisations["Frejaskolan"].pk],
            "functions": ["rektor", "socialsekreterare"],
            "purpose": "Fritid och skola möts kring ungas fritid.",
            "weekday": 2,
            "start_time": "15:00",
            "duration_minutes": 60,
        },
    )
    assert response.status_code == 302
    forum = Forum.objects.get(name="Nätverk fritid och skola")
    assert forum.convener_organisation == world.organisations["Socialtjänsten barn och familj"]
    assert {m.organisation.name for m in forum.members.all()} == {
        "Frejaskolan",
        "Socialtjänsten barn och familj",
    }
    assert forum.meetings.count() >= 3

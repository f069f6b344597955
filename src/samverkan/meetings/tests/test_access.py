"""Who may see a meeting (member organisation and function / non-member organisation /
administrator / auditor), what is logged, and pinned query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samverkan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

# username: (may see the 13-18 meeting page, why)
MATRIX = {
    "samir": True,  # convener: samordnare, Socialtjänsten
    "sofia": True,  # member organisation, member function (socialsekreterare)
    "karin": True,  # Elevhälsan, kurator
    "lena": True,  # BUP, läkare
    "frida": True,  # Frejaskolan, rektor
    "lina": False,  # Frejaskolan, but lärare is not a member function
    "birgitta": False,  # BVC: not a member organisation
    "viktor": False,  # Vårdcentralen: not a member (läkare is a member function)
    "admin": False,  # administrator of a member organisation
    "gustav": False,  # auditor: loggkontroll, not the meeting page
}


@pytest.mark.parametrize(("username", "allowed"), MATRIX.items())
def test_meeting_page_matrix(world, login, held_meeting, username, allowed):
    response = login(username).get(f"/forum/mote/{held_meeting.public_id}/")
    assert response.status_code == (200 if allowed else 404)
    row = AuditEvent.objects.filter(
        resource_type="meetings.meeting",
        resource_id=str(held_meeting.public_id),
        actor_username=username,
        action="read",
    ).get()
    assert row.outcome == ("allowed" if allowed else "denied")
    if allowed:
        assert row.ground_code in {"forum_member", "forum_convener"}
    else:
        assert row.reason
        assert "Melwin" not in response.text


@pytest.mark.parametrize(("username", "allowed"), MATRIX.items())
def test_meeting_api_matrix(world, api, held_meeting, username, allowed):
    response = api(username).get(f"/api/meetings/{held_meeting.public_id}")
    assert response.status_code == (200 if allowed else 404)


def test_identified_item_reads_name_the_consent(world, login, held_meeting, melwin_consent):
    login("lena").get(f"/forum/mote/{held_meeting.public_id}/")
    row = AuditEvent.objects.filter(
        resource_type="meetings.agendaitem", actor_username="lena", action="read"
    ).get()
    assert row.ground_code == "consent"
    assert row.ground_reference == str(melwin_consent.public_id)
    assert row.subject_id == str(world.children["melwin"].public_id)
    # Within the author's own organisation: no disclosure, still logged.
    login("karin").get(f"/forum/mote/{held_meeting.public_id}/")
    own = AuditEvent.objects.filter(
        resource_type="meetings.agendaitem", actor_username="karin", action="read"
    ).get()
    assert own.ground_code == "same_organisation"


def test_forum_pages_are_open_to_staff_but_meetings_are_not(world, login, teen_forum):
    page = login("birgitta").get(f"/forum/{teen_forum.public_id}/")
    assert page.status_code == 200
    assert "är inte med i" in page.text
    assert "/forum/mote/" not in page.text
    assert login("sofia").get(f"/forum/{teen_forum.public_id}/").status_code == 200


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_pinned_query_counts(world, login, held_meeting, teen_forum, django_assert_max_num_queries):
    client = login("lena")
    client.get("/forum/")  # session and role warm-up
    with django_assert_max_num_queries(12):
        client.get("/forum/")
    # The meeting page: fixed, plus a fixed number per identified item (consent decision
    # and disclosure record).
    with django_assert_max_num_queries(33):
        client.get(f"/forum/mote/{held_meeting.public_id}/")
    with django_assert_max_num_queries(19):
        client.get(f"/forum/{teen_forum.public_id}/")


def test_query_counts_do_not_grow_with_items(world, login, held_meeting, next_meeting):
    from samverkan.meetings import services

    client = login("sofia")
    client.get("/forum/")
    base = _count(client, f"/forum/mote/{next_meeting.public_id}/")
    for n in range(5):
        services.item_add(
            actor=world.actor("frida"), meeting=next_meeting, kind="general", title=f"Fråga {n}"
        )
        services.action_add(
            actor=world.actor("frida"),
            meeting=next_meeting,
            text=f"Åtgärd {n}",
            responsible_organisation_id=world.organisations["Frejaskolan"].pk,
            responsible_function_code="rektor",
            due_date=next_meeting.starts_at.date(),
        )
    assert _count(client, f"/forum/mote/{next_meeting.public_id}/") == base
    list_base = _count(client, "/forum/")
    assert list_base <= 12

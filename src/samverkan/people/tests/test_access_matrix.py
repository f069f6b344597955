"""Authorisation matrix for the children pages and the children API.

The child is Melwin (demo world): Frejaskolan, Elevhälsan and BUP have open matters
with him, Förskolan Solrosen and BVC ended ones. Social services and Vårdcentralen
have none. For each kind of user we check what they get, that nothing of the child
leaks where they may not see it, and that the audit log records every allowed read
(with its legal ground) and every denied look at the child.
"""

from __future__ import annotations

import datetime
import uuid

import pytest

from samverkan.audit.models import AuditEvent
from samverkan.demo.world import fictional_number
from samverkan.people.models import Child, Custody, Enrolment, Guardian, Involvement

# Who, and what they should get. "login": sent to the login page (401 in the API);
# "absent": answered, but the child is not in it; "shown": the child is in it;
# "not_found": 404, as if the child did not exist.
ROLES = {
    "anonymous": None,
    "other organisation (Vårdcentralen, läkare)": "viktor",
    "other organisation (socialtjänsten, socialsekreterare)": "sofia",
    "same organisation, mentor (people.view)": "mats",
    "same organisation, rektor (people.view + register)": "frida",
    "same organisation, administrator (no people.view)": "adam",
    "administrator of social services": "admin",
    "auditor of social services": "gustav",
}

LIST_PAGE = {
    None: "login",
    "viktor": "absent",
    "sofia": "absent",
    "mats": "shown",
    "frida": "shown",
    "adam": "not_found",
    "admin": "not_found",
    "gustav": "not_found",
}
DETAIL = {
    None: "login",
    "viktor": "not_found",
    "sofia": "not_found",
    "mats": "shown",
    "frida": "shown",
    "adam": "not_found",
    "admin": "not_found",
    "gustav": "not_found",
}
REGISTER_PAGE = {
    None: "login",
    "viktor": "allowed",  # a doctor may register the children the clinic works with
    "sofia": "allowed",
    "mats": "not_found",  # a mentor may look, not register
    "frida": "allowed",
    "adam": "not_found",
    "admin": "not_found",
    "gustav": "not_found",
}
API_LIST = {
    None: "login",
    "viktor": "absent",
    "sofia": "absent",
    "mats": "shown",
    "frida": "shown",
    "adam": "absent",
    "admin": "absent",
    "gustav": "absent",
}

roles = pytest.mark.parametrize("username", list(ROLES.values()), ids=list(ROLES))


@pytest.fixture
def melwin(world):
    return world.children["melwin"]


@pytest.fixture
def audit_since():
    """Rows written after this point (the demo world's own rows come before)."""
    mark = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def _rows(**filters):
        return AuditEvent.objects.filter(id__gt=mark, **filters)

    return _rows


def _client(login, client, username):
    return login(username) if username else client


def assert_nothing_of(child, response):
    body = response.content.decode()
    number = child.personal_number
    for secret in (
        child.first_name,
        child.last_name,
        number,
        f"{number[:8]}-{number[8:]}",
        f"{number[2:8]}-{number[8:]}",
        child.street_address,
    ):
        assert secret not in body, f"{secret!r} leaked"


def assert_sent_to_login(response):
    assert response.status_code == 302
    assert response["Location"].startswith("/logga-in/")


def _frejaskolan_involvement(world, child):
    return Involvement.objects.get(
        child=child, organisation=world.organisations["Frejaskolan"], ended_at__isnull=True
    )


# Pages ---------------------------------------------------------------------------------


@roles
def test_child_list_page(world, login, client, melwin, audit_since, username):
    response = _client(login, client, username).get("/barn/")
    expected = LIST_PAGE[username]
    if expected == "login":
        assert_sent_to_login(response)
        assert not audit_since().exists()
        return
    if expected == "not_found":
        assert response.status_code == 404
        assert_nothing_of(melwin, response)
        assert not audit_since(action="read").exists()
        return
    assert response.status_code == 200
    if expected == "absent":
        assert_nothing_of(melwin, response)
        assert not audit_since(subject_id=str(melwin.public_id)).exists()
    else:
        assert "Melwin Andersson" in response.text
        assert melwin.personal_number_display in response.text
        row = audit_since(subject_id=str(melwin.public_id)).get()
        assert (row.action, row.outcome, row.actor_username) == ("read", "allowed", username)
        assert row.ground_code == "own_matter"
        assert row.actor_organisation_name == "Frejaskolan"
    # One read row per child shown, each with a ground, and none for children not shown.
    shown = {str(child.public_id) for child, _age in response.context["rows"]}
    logged = set(audit_since(action="read").values_list("subject_id", flat=True))
    assert logged == shown
    assert not audit_since(action="read", ground_code="").exists()


@roles
def test_child_search_page_by_personnummer(world, login, client, melwin, audit_since, username):
    response = _client(login, client, username).get(
        "/barn/", {"q": melwin.personal_number_display}
    )
    expected = LIST_PAGE[username]
    if expected == "login":
        assert_sent_to_login(response)
        return
    if expected == "not_found":
        assert response.status_code == 404
        assert_nothing_of(melwin, response)
        assert not audit_since(action="search").exists()
        return
    assert response.status_code == 200
    if expected == "absent":
        # The number the user typed stays in the search box; nothing else of the child.
        assert "Melwin" not in response.text
        assert "Andersson" not in response.text
        assert "Inget barn i din verksamhet matchar sökningen." in response.text
        assert not audit_since(action="search").exists()
    else:
        assert "Melwin Andersson" in response.text
        row = audit_since(action="search").get()
        assert row.subject_id == str(melwin.public_id)
        assert (row.outcome, row.ground_code, row.actor_username) == (
            "allowed",
            "own_matter",
            username,
        )


@roles
def test_child_detail_page(world, login, client, melwin, audit_since, username):
    response = _client(login, client, username).get(f"/barn/{melwin.public_id}/")
    expected = DETAIL[username]
    if expected == "login":
        assert_sent_to_login(response)
        assert not audit_since().exists()
        return
    row = audit_since(action="read", subject_id=str(melwin.public_id)).get()
    assert row.actor_username == username
    assert row.resource_type == "people.child"
    if expected == "not_found":
        assert response.status_code == 404
        assert_nothing_of(melwin, response)
        assert row.outcome == "denied"
        assert row.ground_code == ""
        assert row.reason  # why it was denied, in words, for the auditor
        return
    assert response.status_code == 200
    assert "Melwin Andersson" in response.text
    assert "Björkvägen 12" in response.text
    assert "Anna Andersson" in response.text  # guardian
    assert row.outcome == "allowed"
    assert row.ground_code == "own_matter"
    assert row.ground_reference == str(_frejaskolan_involvement(world, melwin).public_id)
    # Other organisations' matters with the child are not shown.
    assert "Remiss från elevhälsan" not in response.text  # BUP's note
    assert "Skolutredning genomförd" not in response.text  # Elevhälsan's note


@roles
def test_child_register_page(world, login, client, username, audit_since):
    response = _client(login, client, username).get("/barn/registrera/")
    expected = REGISTER_PAGE[username]
    if expected == "login":
        assert_sent_to_login(response)
    elif expected == "not_found":
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert 'name="personal_number"' in response.text


def test_denied_and_absent_child_pages_look_the_same(world, login, melwin):
    """Another organisation cannot tell "exists but not yours" from "does not exist"."""
    client = login("viktor")
    denied = client.get(f"/barn/{melwin.public_id}/")
    absent = client.get(f"/barn/{uuid.uuid4()}/")
    assert denied.status_code == absent.status_code == 404
    assert denied.content == absent.content


# API -----------------------------------------------------------------------------------


def _ids(response) -> set[str]:
    return {item["id"] for item in response.json()}


@roles
def test_api_child_list(world, api, melwin, audit_since, username):
    response = api(username).get("/api/children")
    expected = API_LIST[username]
    if expected == "login":
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"
        assert_nothing_of(melwin, response)
        return
    assert response.status_code == 200
    if expected == "absent":
        assert str(melwin.public_id) not in _ids(response)
        assert_nothing_of(melwin, response)
        assert not audit_since(subject_id=str(melwin.public_id)).exists()
    else:
        assert str(melwin.public_id) in _ids(response)
        row = audit_since(subject_id=str(melwin.public_id)).get()
        assert (row.action, row.outcome, row.ground_code, row.actor_username) == (
            "read",
            "allowed",
            "own_matter",
            username,
        )
    logged = set(audit_since(action="read").values_list("subject_id", flat=True))
    assert logged == _ids(response)


@roles
def test_api_child_search_by_personnummer(world, api, melwin, audit_since, username):
    response = api(username).get("/api/children", {"personnummer": melwin.personal_number})
    expected = API_LIST[username]
    if expected == "login":
        assert response.status_code == 401
        assert_nothing_of(melwin, response)
        return
    assert response.status_code == 200
    if expected == "absent":
        assert response.json() == []
        assert not audit_since(action="search").exists()
    else:
        assert _ids(response) == {str(melwin.public_id)}
        row = audit_since(action="search").get()
        assert (row.subject_id, row.outcome, row.ground_code, row.actor_username) == (
            str(melwin.public_id),
            "allowed",
            "own_matter",
            username,
        )


@roles
def test_api_child_detail(world, api, melwin, audit_since, username):
    response = api(username).get(f"/api/children/{melwin.public_id}")
    expected = DETAIL[username]
    if expected == "login":
        assert response.status_code == 401
        assert not audit_since(action="read").exists()
        return
    row = audit_since(action="read", subject_id=str(melwin.public_id)).get()
    assert row.actor_username == username
    if expected == "not_found":
        assert response.status_code == 404
        assert_nothing_of(melwin, response)
        assert row.outcome == "denied"
        assert row.ground_code == ""
        return
    assert response.status_code == 200
    data = response.json()
    assert (data["first_name"], data["last_name"]) == ("Melwin", "Andersson")
    assert data["personal_number"] == melwin.personal_number
    assert data["address"]["street_address"] == "Björkvägen 12"
    assert {g["first_name"] for g in data["guardians"]} == {"Anna", "Johan"}
    assert data["legal_ground"] == "Egen verksamhets ärende (Frejaskolan)"
    # Only the caller's own organisation's matter, never another organisation's.
    assert [i["id"] for i in data["involvements"]] == [
        str(_frejaskolan_involvement(world, melwin).public_id)
    ]
    assert row.outcome == "allowed"
    assert row.ground_code == "own_matter"


def test_api_denied_and_absent_child_look_the_same(world, api, melwin):
    client = api("viktor")
    denied = client.get(f"/api/children/{melwin.public_id}")
    absent = client.get(f"/api/children/{uuid.uuid4()}")
    assert denied.status_code == absent.status_code == 404
    assert denied.json() == absent.json()


def test_api_rejects_unknown_and_revoked_tokens(world, api_token, client):
    from samverkan.directory.models import ApiToken
    from samverkan.directory.services import token_revoke

    token = api_token("frida")
    ok = client.get("/api/children", headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200
    wrong = client.get("/api/children", headers={"Authorization": f"Bearer {token}x"})
    assert wrong.status_code == 401
    token_revoke(actor=None, api_token=ApiToken.objects.get(prefix=token[:10]))
    revoked = client.get("/api/children", headers={"Authorization": f"Bearer {token}"})
    assert revoked.status_code == 401


# Denied writes change nothing ----------------------------------------------------------


def _snapshot():
    """Every row of the children register, so that any change shows."""
    return {
        model.__name__: sorted(model.objects.values_list(), key=repr)
        for model in (Child, Guardian, Custody, Enrolment, Involvement)
    }


NEW_CHILD = {
    "personal_number": fictional_number(datetime.date(2015, 6, 7), 2),  # not in the demo
    "first_name": "Ny",
    "last_name": "Elev",
    "context": "education",
    "unit": "",
    "note": "",
    "street_address": "",
    "postal_code": "",
    "city": "",
}


@pytest.mark.parametrize("username", [None, "mats", "adam", "admin", "gustav"])
def test_register_post_denied_changes_nothing(world, login, client, username):
    before = _snapshot()
    response = _client(login, client, username).post("/barn/registrera/", NEW_CHILD)
    if username is None:
        assert_sent_to_login(response)
    else:
        assert response.status_code == 404
    assert _snapshot() == before


GUARDIAN = {
    "first_name": "Ny",
    "last_name": "Vårdnadshavare",
    "personal_number": "",
    "custody_type": "gemensam",
    "phone": "",
    "email": "",
}


@pytest.mark.parametrize(
    ("username", "path", "data", "status"),
    [
        # Another organisation: as if the child did not exist.
        ("viktor", "vardnadshavare/", {**GUARDIAN, "custody_type": "ensam"}, 404),
        ("sofia", "inskrivning/", {"school_year": "8"}, 404),
        ("sofia", "arende/{frejaskolan}/avsluta/", {"reason": "x"}, 404),
        ("lena", "arende/{frejaskolan}/avsluta/", {"reason": "x"}, 404),  # BUP knows him
        # Same organisation without people.register.
        ("mats", "vardnadshavare/", GUARDIAN, 404),
        ("adam", "vardnadshavare/", GUARDIAN, 404),
        ("mats", "arende/{frejaskolan}/avsluta/", {"reason": "x"}, 302),
        # Elevhälsan knows Melwin but is not a school: it cannot enrol him.
        ("karin", "inskrivning/", {"school_year": "8"}, 302),
        (None, "vardnadshavare/", GUARDIAN, 302),
    ],
)
def test_child_writes_denied_change_nothing(
    world, login, client, melwin, username, path, data, status
):
    path = path.format(frejaskolan=_frejaskolan_involvement(world, melwin).public_id)
    before = _snapshot()
    response = _client(login, client, username).post(f"/barn/{melwin.public_id}/{path}", data)
    assert response.status_code == status
    if username is None:
        assert_sent_to_login(response)
    elif status == 302:  # back to the overview with the reason, nothing saved
        assert response["Location"] == f"/barn/{melwin.public_id}/"
    assert _snapshot() == before


def test_protected_need_denied_to_other_organisation(world, login):
    elin = world.children["elin"]
    social = Involvement.objects.get(
        child=elin, organisation=world.organisations["Socialtjänsten barn och familj"]
    )
    before = _snapshot()
    response = login("frida").post(
        f"/barn/{elin.public_id}/arende/{social.public_id}/skyddade-uppgifter/",
        {"need": "Vi vill också se adressen, tack."},
    )
    assert response.status_code == 404
    assert _snapshot() == before


def test_allowed_write_does_change(world, login, melwin):
    """The counterpart of the denied writes: the same form works for the rektor."""
    response = login("frida").post(
        f"/barn/{melwin.public_id}/inskrivning/", {"school_year": "8", "class_name": "8B"}
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(child=melwin, end_date__isnull=True)
    assert (enrolment.school_year, enrolment.class_name) == ("8", "8B")

"""Authorisation matrix for the children pages and the children API.

The child is Noah (demo world): Frejaskolan (his school) and social services
(voluntary support) have open matters with him; there is no consent, so nothing about
him passes to anyone else. For each kind of user we check what they get, that nothing
of the child leaks where they may not see it, and that the audit log records every
allowed read (with its legal ground) and every denied look at the child.
"""

from __future__ import annotations

import datetime
import re
import uuid

import pytest

from samverkan.audit.models import AuditEvent
from samverkan.audit.selectors import mentions
from samverkan.demo.world import fictional_number
from samverkan.people.forms import (
    EndInvolvementForm,
    EnrolmentForm,
    GuardianForm,
    ProtectedNeedForm,
)
from samverkan.people.models import Child, Custody, Enrolment, Guardian, Involvement

SOCIAL = "Socialtjänsten barn och familj"

# Who. Each organisation is its own secrecy domain.
ROLES = {
    "anonymous": None,
    "other organisation (Vårdcentralen, läkare)": "viktor",
    "other organisation (BUP, läkare)": "lena",
    "other organisation in the same school (Elevhälsan, kurator)": "karin",
    "same organisation, mentor (people.view)": "mats",
    "same organisation, rektor (people.view + register)": "frida",
    "same organisation, social services (socialsekreterare)": "sofia",
    "same organisation, administrator (no people.view)": "adam",
    "administrator of social services (no people.view)": "admin",
    "auditor of social services (no people.view)": "gustav",
}
OTHER_ORGANISATION = {"viktor", "lena", "karin"}
VIEWERS = {"mats", "frida", "sofia"}
NO_VIEW_FUNCTION = {"adam", "admin", "gustav"}
REGISTRARS = {"viktor", "lena", "karin", "frida", "sofia"}  # people.register

# What they should get. "login": sent to the login page (401 in the API); "absent":
# answered, but the child is not in it; "shown": the child is in it; "not_found": 404,
# exactly as if the child did not exist; "forbidden": 403, the function may not use the
# page at all (nothing about any child: docs/security.md, refusals).
LIST_PAGE = {None: "login"} | dict.fromkeys(OTHER_ORGANISATION, "absent")
LIST_PAGE |= dict.fromkeys(VIEWERS, "shown") | dict.fromkeys(NO_VIEW_FUNCTION, "forbidden")
DETAIL = {None: "login"} | dict.fromkeys(OTHER_ORGANISATION | NO_VIEW_FUNCTION, "not_found")
DETAIL |= dict.fromkeys(VIEWERS, "shown")
API_LIST = {None: "login"} | dict.fromkeys(OTHER_ORGANISATION | NO_VIEW_FUNCTION, "absent")
API_LIST |= dict.fromkeys(VIEWERS, "shown")

roles = pytest.mark.parametrize("username", list(ROLES.values()), ids=list(ROLES))


@pytest.fixture
def noah(world):
    return world.children["noah"]


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
        child.full_name,
        number,
        f"{number[:8]}-{number[8:]}",
        f"{number[2:8]}-{number[8:]}",
        child.street_address,
        str(child.public_id),
    ):
        assert secret not in body, f"{secret!r} leaked"


def assert_sent_to_login(response):
    assert response.status_code == 302
    assert response["Location"].startswith("/logga-in/")


def _own_involvement(world, username, child):
    organisation = world.memberships[username].organisation
    return Involvement.objects.get(child=child, organisation=organisation, ended_at__isnull=True)


# Pages ---------------------------------------------------------------------------------


def _page_row(audit_since, action):
    """The one audit row written for a page of a list (decision 0092), or None."""
    rows = list(audit_since(action=action))
    assert len(rows) <= 1, "one audit row per page, not one per child"
    return rows[0] if rows else None


def _ground_of(row, subject_id) -> str:
    return next(item[2] for item in row.details["items"] if item[1] == subject_id)


@roles
def test_child_list_page(world, login, client, noah, audit_since, username):
    response = _client(login, client, username).get("/barn/")
    expected = LIST_PAGE[username]
    noah_id = str(noah.public_id)
    if expected == "login":
        assert_sent_to_login(response)
        assert not audit_since().exists()
        return
    if expected == "forbidden":
        assert response.status_code == 403
        assert_nothing_of(noah, response)
        assert not audit_since(action="read").exists()
        return
    assert response.status_code == 200
    row = _page_row(audit_since, "read")
    if expected == "absent":
        assert_nothing_of(noah, response)
        assert not audit_since().filter(mentions(noah_id)).exists()
    else:
        assert "Noah Berg" in response.text
        assert noah.personal_number_display in response.text
        assert (row.action, row.outcome, row.actor_username) == ("read", "allowed", username)
        assert _ground_of(row, noah_id) == "own_matter"
        assert row.actor_organisation_name == world.memberships[username].organisation.name
        # Loggkontroll per child finds the list row.
        assert list(audit_since().filter(mentions(noah_id))) == [row]
    # One read row for the page naming exactly the children shown, each with a ground.
    shown = {str(child.public_id) for child, _age in response.context["rows"]}
    if not shown:
        assert row is None
        return
    assert set(row.details["subjects"]) == shown
    assert all(item[2] for item in row.details["items"])
    assert row.resource_type == "people.child"


def _search(client, query, **extra):
    return client.post("/barn/", {"q": query, **extra})


@roles
def test_child_search_page_by_personnummer(world, login, client, noah, audit_since, username):
    response = _search(_client(login, client, username), noah.personal_number_display)
    expected = LIST_PAGE[username]
    if expected == "login":
        assert_sent_to_login(response)
        return
    if expected == "forbidden":
        assert response.status_code == 403
        assert_nothing_of(noah, response)
        assert not audit_since(action="search").exists()
        return
    assert response.status_code == 200
    if expected == "absent":
        # The number the user typed stays in the search box; nothing else of the child.
        assert "Noah" not in response.text
        assert "Ekgränd" not in response.text
        assert "Inget barn i din verksamhet matchar sökningen." in response.text
        assert not audit_since(action="search").exists()
    else:
        assert "Noah Berg" in response.text
        row = audit_since(action="search").get()
        assert (row.subject_id, row.outcome, row.ground_code, row.actor_username) == (
            str(noah.public_id),
            "allowed",
            "own_matter",
            username,
        )
        assert row.details["subjects"] == [str(noah.public_id)]


@roles
def test_child_detail_page(world, login, client, noah, audit_since, username):
    response = _client(login, client, username).get(f"/barn/{noah.public_id}/")
    expected = DETAIL[username]
    if expected == "login":
        assert_sent_to_login(response)
        assert not audit_since().exists()
        return
    row = audit_since(action="read", subject_id=str(noah.public_id)).get()
    assert row.actor_username == username
    assert row.resource_type == "people.child"
    if expected == "not_found":
        assert response.status_code == 404
        assert_nothing_of(noah, response)
        assert row.outcome == "denied"
        assert row.ground_code == ""
        assert row.reason  # why, in words, for the auditor
        return
    assert response.status_code == 200
    assert "Noah Berg" in response.text
    assert "Ekgränd 7" in response.text
    assert "Mikael Berg" in response.text  # guardian
    assert row.outcome == "allowed"
    assert row.ground_code == "own_matter"
    assert row.ground_reference == str(_own_involvement(world, username, noah).public_id)
    # Only the organisation's own matter is shown, never the other organisation's.
    own = world.memberships[username].organisation
    assert {i.organisation_id for i in response.context["view"].own_involvements} == {own.pk}
    if username == "sofia":
        assert "Frida Ek" not in response.text  # who started Frejaskolan's matter
    else:
        assert "Olof Sandberg" not in response.text  # who started social services' matter
        assert "Föräldrastöd efter ansökan" not in response.text  # its note


@pytest.mark.parametrize("username", list(ROLES.values()), ids=list(ROLES))
def test_child_register_page(world, login, client, username):
    response = _client(login, client, username).get("/barn/registrera/")
    if username is None:
        assert_sent_to_login(response)
    elif username in REGISTRARS:
        assert response.status_code == 200
        assert 'name="personal_number"' in response.text
    else:
        assert response.status_code == 403


def test_denied_and_absent_child_pages_look_the_same(world, login, noah):
    """Another organisation cannot tell "exists but not yours" from "does not exist"."""
    client = login("viktor")
    # The same request id for both: it is the only thing that differs between requests.
    same_id = {"X-Request-ID": "compare-0001"}
    denied = client.get(f"/barn/{noah.public_id}/", headers=same_id)
    absent = client.get(f"/barn/{uuid.uuid4()}/", headers=same_id)
    assert denied.status_code == absent.status_code == 404
    # The page is the site's own 404 page: its CSRF tokens are masked anew every time.
    token = re.compile(r"[A-Za-z0-9]{64}")
    assert token.sub("", denied.text) == token.sub("", absent.text)


# API -----------------------------------------------------------------------------------


def _ids(response) -> set[str]:
    return {item["id"] for item in response.json()}


@roles
def test_api_child_list(world, api, noah, audit_since, username):
    response = api(username).get("/api/children")
    expected = API_LIST[username]
    noah_id = str(noah.public_id)
    if expected == "login":
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"
        assert_nothing_of(noah, response)
        return
    assert response.status_code == 200
    row = _page_row(audit_since, "read")
    if expected == "absent":
        assert noah_id not in _ids(response)
        assert_nothing_of(noah, response)
        assert not audit_since().filter(mentions(noah_id)).exists()
    else:
        assert noah_id in _ids(response)
        assert (row.action, row.outcome, row.actor_username) == ("read", "allowed", username)
        assert _ground_of(row, noah_id) == "own_matter"
    assert set(row.details["subjects"] if row else []) == _ids(response)


@roles
def test_api_child_search_by_personnummer(world, api, noah, audit_since, username):
    response = api(username).post(
        "/api/children/search",
        {"personnummer": noah.personal_number},
        content_type="application/json",
    )
    expected = API_LIST[username]
    if expected == "login":
        assert response.status_code == 401
        assert_nothing_of(noah, response)
        return
    assert response.status_code == 200
    if expected == "absent":
        assert response.json() == []
        assert not audit_since(action="search").exists()
    else:
        assert _ids(response) == {str(noah.public_id)}
        row = audit_since(action="search").get()
        assert (row.subject_id, row.outcome, row.ground_code, row.actor_username) == (
            str(noah.public_id),
            "allowed",
            "own_matter",
            username,
        )


@roles
def test_api_child_detail(world, api, noah, audit_since, username):
    response = api(username).get(f"/api/children/{noah.public_id}")
    expected = DETAIL[username]
    if expected == "login":
        assert response.status_code == 401
        assert_nothing_of(noah, response)
        assert not audit_since(action="read").exists()
        return
    row = audit_since(action="read", subject_id=str(noah.public_id)).get()
    assert row.actor_username == username
    if expected == "not_found":
        assert response.status_code == 404
        assert_nothing_of(noah, response)
        assert row.outcome == "denied"
        assert row.ground_code == ""
        return
    assert response.status_code == 200
    data = response.json()
    assert (data["first_name"], data["last_name"]) == ("Noah", "Berg")
    assert data["personal_number"] == noah.personal_number
    assert data["address"]["street_address"] == "Ekgränd 7"
    assert {g["first_name"] for g in data["guardians"]} == {"Mikael", "Linnea"}
    organisation = world.memberships[username].organisation.name
    assert data["legal_ground"] == f"Egen verksamhets ärende ({organisation})"
    # Only the caller's own organisation's matter, never the other one's.
    assert [i["id"] for i in data["involvements"]] == [
        str(_own_involvement(world, username, noah).public_id)
    ]
    assert row.outcome == "allowed"
    assert row.ground_code == "own_matter"


def test_api_denied_and_absent_child_look_the_same(world, api, noah):
    client = api("viktor")
    denied = client.get(f"/api/children/{noah.public_id}")
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


def _form_data(form_class, **values):
    """POST data for one of the overview's small forms, with the form's prefix."""
    form = form_class()
    return {form.add_prefix(name): value for name, value in values.items()}


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
        assert response.status_code == 403
    assert _snapshot() == before


def _guardian(custody_type="gemensam"):
    return _form_data(
        GuardianForm,
        first_name="Ny",
        last_name="Vårdnadshavare",
        personal_number="",
        custody_type=custody_type,
        phone="",
        email="",
    )


ENROL = _form_data(EnrolmentForm, school_year="4", class_name="4A", start_date="")
END = _form_data(EndInvolvementForm, reason="Flyttar.")


@pytest.mark.parametrize(
    ("username", "path", "data", "status"),
    [
        # Another organisation: as if the child did not exist.
        ("viktor", "vardnadshavare/", _guardian(), 404),
        ("lena", "inskrivning/", ENROL, 404),
        ("karin", "arende/{frejaskolan}/avsluta/", END, 404),
        # Social services knows Noah, but Frejaskolan's matter is not its own.
        ("sofia", "arende/{frejaskolan}/avsluta/", END, 404),
        # Same organisation without people.register.
        ("mats", "vardnadshavare/", _guardian(), 404),
        ("adam", "vardnadshavare/", _guardian(), 404),
        ("gustav", "vardnadshavare/", _guardian(), 404),
        ("adam", "inskrivning/", ENROL, 404),
        ("mats", "arende/{frejaskolan}/avsluta/", END, 422),  # refused, the form shown again
        # Social services may register Noah, but only a school can enrol him.
        ("sofia", "inskrivning/", ENROL, 422),
        (None, "vardnadshavare/", _guardian(), 302),
    ],
)
def test_child_writes_denied_change_nothing(
    world, login, client, noah, username, path, data, status
):
    path = path.format(frejaskolan=_own_involvement(world, "frida", noah).public_id)
    before = _snapshot()
    user_client = _client(login, client, username)
    response = user_client.post(f"/barn/{noah.public_id}/{path}", data)
    assert response.status_code == status
    if username is None:
        assert_sent_to_login(response)
    elif status == 422:  # the overview again, with the reason why nothing was saved
        assert 'class="error-summary"' in response.content.decode()
        assert response.context["refused"].errors
    assert _snapshot() == before


def test_protected_need_denied_to_other_organisation(world, login):
    elin = world.children["elin"]
    social = _own_involvement(world, "sofia", elin)
    before = _snapshot()
    response = login("frida").post(
        f"/barn/{elin.public_id}/arende/{social.public_id}/skyddade-uppgifter/",
        _form_data(ProtectedNeedForm, need="Vi vill också se adressen, tack."),
    )
    assert response.status_code == 404
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("key", "path", "data"),
    [
        ("noah", "inskrivning/", ENROL),
        ("omar", "vardnadshavare/", _guardian("ensam")),
        ("noah", "arende/{frejaskolan}/avsluta/", END),
    ],
)
def test_allowed_writes_do_change(world, login, key, path, data):
    """The counterpart of the denied writes: the same requests work for the rektor."""
    child = world.children[key]
    path = path.format(frejaskolan=_own_involvement(world, "frida", child).public_id)
    before = _snapshot()
    client = login("frida")
    response = client.post(f"/barn/{child.public_id}/{path}", data)
    assert response.status_code == 302
    messages = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert _snapshot() != before, messages

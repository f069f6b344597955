"""Loggkontroll (/logg/...): only for functions with audit.view, scoped to the own
organisation's staff, and every look at the log is itself logged."""

from __future__ import annotations

import csv
import datetime
import io

import pytest

from samverkan.audit.models import AuditEvent
from samverkan.demo.world import fictional_number

PAGES = ["/logg/", "/logg/barn/", "/logg/anvandare/"]
AUDITORS = ["gustav", "admin", "adam"]  # granskare and administrators have audit.view
NOT_AUDITORS = ["sofia", "olof", "frida", "mats", "viktor"]


@pytest.fixture
def noah(world):
    return world.children["noah"]


@pytest.fixture
def noah_read_by_olof_and_frida(world, login, noah):
    """Social services' Olof and Frejaskolan's Frida each open Noah's overview."""
    assert login("olof").get(f"/barn/{noah.public_id}/").status_code == 200
    assert login("frida").get(f"/barn/{noah.public_id}/").status_code == 200
    return noah


def _latest(**filters) -> AuditEvent:
    return AuditEvent.objects.filter(**filters).latest("id")


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("username", AUDITORS)
def test_pages_open_for_audit_view(world, login, path, username):
    assert login(username).get(path).status_code == 200


@pytest.mark.parametrize("path", [*PAGES, "/logg/export.csv", "/logg/utdrag/"])
@pytest.mark.parametrize("username", NOT_AUDITORS)
def test_pages_closed_to_others(world, login, noah, path, username):
    client = login(username)
    for response in (
        client.get(path),
        client.post(path, {"personnummer": noah.personal_number}),
    ):
        # 403: the function has no loggkontroll (no secret; docs/security.md).
        assert response.status_code == 403
        assert "Noah" not in response.text


@pytest.mark.parametrize("path", [*PAGES, "/logg/export.csv", "/logg/utdrag/"])
def test_pages_need_login(client, world, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/logga-in/")


def test_subject_log_shows_own_organisation_only_and_is_audited(
    world, login, noah_read_by_olof_and_frida
):
    noah = noah_read_by_olof_and_frida
    response = login("gustav").post("/logg/barn/", {"personnummer": noah.personal_number_display})
    assert response.status_code == 200
    assert f"Noah Berg, {noah.personal_number_display}" in response.text
    assert "Olof Sandberg" in response.text
    assert "Frida Ek" not in response.text  # Frejaskolan's staff: not social services' log
    row = _latest(actor_username="gustav")
    assert (row.action, row.resource_type, row.subject_id, row.ground_code) == (
        "read",
        "audit.log",
        str(noah.public_id),
        "log_control",
    )

    # Frejaskolan's administrator sees the other half.
    response = login("adam").post("/logg/barn/", {"personnummer": noah.personal_number})
    assert "Frida Ek" in response.text
    assert "Olof Sandberg" not in response.text


def test_subject_log_bad_number_shows_the_message(world, login):
    response = login("gustav").post("/logg/barn/", {"personnummer": "20121315-1234"})
    assert response.status_code == 200
    assert "Datumdelen i numret är inte ett giltigt datum." in response.text


def test_subject_log_does_not_reveal_children_known_only_elsewhere(world, login, page_text):
    """Liam is known only to BVC: social services' auditor must not learn that he is in
    the register, or his name, by typing his number."""
    liam = world.children["liam"]
    unknown = fictional_number(datetime.date(2024, 5, 17), 123)  # valid, nobody knows it
    client = login("gustav")
    known_elsewhere = client.post("/logg/barn/", {"personnummer": liam.personal_number})
    nobody = client.post("/logg/barn/", {"personnummer": unknown})
    assert "Liam" not in known_elsewhere.text
    assert "Johansson" not in known_elsewhere.text
    assert page_text(known_elsewhere).replace(liam.personal_number, "<NR>") == page_text(
        nobody
    ).replace(unknown, "<NR>")
    extract = client.post("/logg/utdrag/", {"personnummer": liam.personal_number})
    assert extract.status_code == 200  # the form again, with the same message as for nobody
    assert "Ingen loggad åtkomst till någon med det numret" in extract.text
    assert "Liam" not in extract.text


def test_user_log_is_audited(world, login, noah_read_by_olof_and_frida):
    noah = noah_read_by_olof_and_frida
    response = login("gustav").get("/logg/anvandare/", {"username": "olof"})
    assert response.status_code == 200
    assert f"Noah Berg, {noah.personal_number_display}" in response.text
    row = _latest(actor_username="gustav")
    assert (row.action, row.resource_type, row.resource_id, row.ground_code) == (
        "read",
        "audit.log",
        "olof",
        "log_control",
    )
    # Another organisation's user: nothing in social services' log.
    response = login("gustav").get("/logg/anvandare/", {"username": "frida"})
    assert "Inga loggrader för användaren i din organisation." in response.text


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    decoded = text.decode("utf-8")
    assert decoded.startswith("\ufeff")  # spreadsheet programs read it as UTF-8
    return list(csv.reader(io.StringIO(decoded[1:]), delimiter=";"))


def test_csv_export_per_child_is_audited(world, login, noah_read_by_olof_and_frida):
    noah = noah_read_by_olof_and_frida
    response = login("gustav").post("/logg/export.csv", {"personnummer": noah.personal_number})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="loggutdrag-barn-')
    header, *rows = _csv_rows(response)
    assert header[:3] == ["Tidpunkt", "Användare", "Namn"]
    users = {row[1] for row in rows}
    assert "olof" in users
    assert "frida" not in users
    assert {row[10] for row in rows} == {str(noah.public_id)}
    row = _latest(actor_username="gustav")
    assert (row.action, row.subject_id, row.ground_code) == (
        "export",
        str(noah.public_id),
        "log_control",
    )


def test_csv_export_per_user_neutralises_formulas(world, login):
    client = login("gustav")
    formula = '=HYPERLINK("http://evil.example","x")'
    client.get("/logg/anvandare/", {"username": formula})  # recorded in gustav's own log
    response = client.get("/logg/export.csv", {"username": "gustav"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="loggutdrag-anvandare-')
    cells = [cell for row in _csv_rows(response)[1:] for cell in row]
    assert "'" + formula in cells
    assert formula not in cells
    assert _latest(actor_username="gustav").action == "export"


def test_csv_export_needs_a_child_or_a_user(world, login):
    assert login("gustav").get("/logg/export.csv").status_code == 404


def test_guardian_extract_names_units_not_staff_and_is_audited(
    world, login, noah_read_by_olof_and_frida
):
    noah = noah_read_by_olof_and_frida
    client = login("gustav")
    review = client.post("/logg/utdrag/", {"personnummer": noah.personal_number})["Location"]
    client.post(review, {"reason": "Inget omfattas av sekretess mot vårdnadshavarna."})
    response = client.get(review + "utskrift/")
    assert response.status_code == 200
    assert f"Noah Berg, {noah.personal_number_display}" in response.text
    assert "Familjecentralen 0–12" in response.text  # Olof's unit
    assert "Socialsekreterare" in response.text  # his function
    content = response.text.split("<main", 1)[1]  # the header names the logged-in auditor
    assert "Olof" not in content
    assert "Sandberg" not in content
    assert "Frejaskolan" not in content
    row = _latest(actor_username="gustav")
    assert (row.action, row.subject_id, row.ground_code) == (
        "print",
        str(noah.public_id),
        "log_control",
    )

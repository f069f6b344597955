"""Bulk import (dry run first, bad rows rejected with reasons) and export, through the
pages; and `samverkan setup` on an empty directory."""

from __future__ import annotations

import io

import pytest
import tablib
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from samverkan.audit.models import AuditEvent
from samverkan.core.errors import PermissionDenied, ValidationFailed
from samverkan.directory import imports
from samverkan.directory.models import Membership, Organisation, StaffIdentity, Unit
from samverkan.directory.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    StaffIdentityFactory,
    UnitFactory,
)
from samverkan.directory.tests.factories import staff_personnummer as pnr

User = get_user_model()

HEADER = "organisation;förnamn;efternamn;e-post;personnummer;funktion;enhet\n"


def _csv(rows: list[str], header: str = HEADER) -> io.BytesIO:
    upload = io.BytesIO((header + "\n".join(rows) + "\n").encode("utf-8"))
    upload.name = "personal.csv"
    return upload


@pytest.fixture
def adam(login):
    return login("adam")


def _preview(client, upload, kind="staff"):
    return client.post("/administration/import/", {"kind": kind, "file": upload})


def test_dry_run_shows_what_would_change_and_rejects_bad_rows(adam, world):
    users_before = User.objects.count()
    audit_before = AuditEvent.objects.count()
    upload = _csv(
        [
            f"Frejaskolan;Lisa;Lund;lisa@example.se;{pnr(301)};kurator;",
            f"Frejaskolan;Per;Pil;;{pnr(302)};Mentor;",
            "Frejaskolan;Utan;Nummer;;;kurator;",  # no identity, e-legitimation only
            "Frejaskolan;Fel;Nummer;;19000101-0000;kurator;",
            f"Frejaskolan;Okänd;Funktion;;{pnr(303)};trollkarl;",
            f"Frejaskolan;Fel;Enhet;;{pnr(304)};kurator;Finns inte",
            f"BUP;Annan;Organisation;;{pnr(305)};kurator;",
            f"Frejaskolan;Vill;Bli admin;;{pnr(306)};administrator;",
        ]
    )
    Organisation.objects.filter(name="Frejaskolan").update(password_login=False)
    response = _preview(adam, upload)
    assert response.status_code == 200
    page = response.content.decode()
    plan = response.context["plan"]
    assert [row.action for row in plan.rows] == ["create", "create"] + ["rejected"] * 6
    reasons = {row.line: " ".join(row.reasons) for row in plan.rejected}
    assert "personnummer eller HSA-id" in reasons[4]
    assert "Personnumret är inte giltigt" in reasons[5]
    assert "Funktionen trollkarl finns inte" in reasons[6]
    assert "Enheten Finns inte finns inte i Frejaskolan" in reasons[7]
    assert "egen organisation" in reasons[8]
    assert "systemadministratör" in reasons[9]
    assert "Inget är sparat ännu" in page and "Rad 6" in page
    # A dry run keeps nothing, not even audit rows.
    assert User.objects.count() == users_before
    assert AuditEvent.objects.count() == audit_before

    response = adam.post("/administration/import/", {"payload": response.context["payload"]})
    assert response.status_code == 200
    assert response.context["plan"].applied
    assert User.objects.count() == users_before + 2
    lisa = StaffIdentity.objects.get(personnummer=pnr(301)).user
    assert (lisa.first_name, lisa.email) == ("Lisa", "lisa@example.se")
    assert Membership.objects.get(user=lisa).function.code == "kurator"
    summary = AuditEvent.objects.filter(resource_type="directory.import").latest("id")
    assert summary.details == {
        "kind": "staff",
        "create": 2,
        "update": 0,
        "unchanged": 0,
        "rejected": 6,
    }
    assert AuditEvent.objects.filter(resource_type="auth.user", action="create").count() >= 2


def test_importing_the_same_file_again_changes_nothing(adam, world):
    rows = [f"Frejaskolan;Mona;Mo;;{pnr(310)};kurator;"]
    adam.post("/administration/import/", {"payload": _preview(adam, _csv(rows)).context["payload"]})
    plan = _preview(adam, _csv(rows)).context["plan"]
    assert [row.action for row in plan.rows] == ["unchanged"]
    moved = [f"Frejaskolan;Mona;Mo;;{pnr(310)};mentor;"]
    plan = _preview(adam, _csv(moved)).context["plan"]
    assert [row.action for row in plan.rows] == ["update"]


def test_a_tampered_plan_is_refused(adam, world):
    response = _preview(adam, _csv([f"Frejaskolan;Tom;Tamper;;{pnr(311)};kurator;"]))
    payload = response.context["payload"]
    tampered = payload[:-3] + ("AAA" if payload[-3:] != "AAA" else "BBB")
    response = adam.post("/administration/import/", {"payload": tampered})
    assert response.status_code == 302
    assert not StaffIdentity.objects.filter(personnummer=pnr(311)).exists()


def test_another_administrator_cannot_apply_my_plan(adam, login, world):
    payload = _preview(adam, _csv([f"Frejaskolan;Ida;Id;;{pnr(312)};kurator;"])).context["payload"]
    response = login("admin").post("/administration/import/", {"payload": payload})
    assert response.status_code == 404


def test_unreadable_files_are_explained(adam, world):
    upload = io.BytesIO(b"just,some,columns\n1,2,3\n")
    upload.name = "x.csv"
    page = _preview(adam, upload).content.decode()
    assert "Filen saknar kolumnerna" in page
    upload = io.BytesIO(b"\x00\x01\x02")
    upload.name = "x.pdf"
    assert "CSV (.csv) eller Excel (.xlsx)" in _preview(adam, upload).content.decode()


def test_excel_files_import_too(adam, world):
    data = tablib.Dataset(headers=["förnamn", "efternamn", "personnummer", "funktion"])
    data.append(["Eva", "Excel", pnr(313), "kurator"])
    upload = io.BytesIO(data.export("xlsx"))
    upload.name = "personal.xlsx"
    plan = _preview(adam, upload).context["plan"]
    assert [row.action for row in plan.rows] == ["create"]  # own organisation by default


def test_units_and_organisations(world):
    sysadmin = MembershipFactory(
        organisation=OrganisationFactory(name="Kommunens IT"), code="systemadministrator"
    )
    client = Client()
    client.force_login(sysadmin.user)
    upload = _csv(
        [
            "Nykommun;kommun;;Nyskolan;skola;;;;nej",
            "Nykommun;kommun;;Nya socialtjänsten;socialtjanst;;;;ja",
            "Nykommun;kommun;;Fel typ;restaurang;;;;",
        ],
        header="huvudman;huvudmannens_typ;organisationsnummer;organisation;typ;beskrivning;"
        "telefon;e_post;lösenordsinloggning\n",
    )
    response = _preview(client, upload, kind="organisations")
    assert [r.action for r in response.context["plan"].rows] == ["create", "create", "rejected"]
    client.post("/administration/import/", {"payload": response.context["payload"]})
    assert Organisation.objects.get(name="Nya socialtjänsten").password_login
    upload = _csv(
        ["Nyskolan;Lågstadiet;;6;9"],
        header="organisation;enhet;beskrivning;lägsta ålder;högsta ålder\n",
    )
    response = _preview(client, upload, kind="units")
    client.post("/administration/import/", {"payload": response.context["payload"]})
    unit = Unit.objects.get(name="Lågstadiet")
    assert (unit.organisation.name, unit.min_age, unit.max_age) == ("Nyskolan", 6, 9)


def test_local_administrator_cannot_import_organisations(world):
    with pytest.raises(PermissionDenied):
        imports.dry_run(actor=world.actor("adam"), kind="organisations", rows=[{}])


def test_export_has_the_import_columns_and_is_audited(adam, world):
    response = adam.get("/administration/export/staff.csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    header, *rows = text.strip().splitlines()
    assert header.split(",") == [c["name"] for c in imports.specification()["staff"]["columns"]]
    assert all(row.startswith("Frejaskolan,") for row in rows)  # own organisation only
    assert any(",frida," in row for row in rows)
    row = AuditEvent.objects.filter(action="export").latest("id")
    assert (row.actor_username, row.details["kind"]) == ("adam", "staff")
    # And it imports again, unchanged.
    upload = io.BytesIO(response.content)
    upload.name = "export.csv"
    plan = _preview(adam, upload).context["plan"]
    assert {row.action for row in plan.rows} <= {"unchanged", "rejected"}
    assert plan.count("unchanged") >= 1


def test_read_refuses_a_huge_file(world):
    with pytest.raises(ValidationFailed, match="för stor"):
        imports.read("staff", b"x" * (imports.MAX_BYTES + 1), "a.csv")


# samverkan setup ---------------------------------------------------------------------


def test_setup_refuses_a_directory_that_is_not_empty(world):
    with pytest.raises(CommandError, match="redan installerat"):
        call_command("setup", "--no-input", "--principal", "X")


# `samverkan setup` on an empty database: web/tests/browser/test_production_stack.py
# (a scratch database).


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_imports_again_with_nothing_changed_and_nothing_rejected(db, file_format):
    """Export is the import's format: staff, units and organisations exported (CSV and
    Excel) come back through the import's dry run as unchanged, row for row. Built
    from the factories, with what an export carries: units, personnummer, HSA-id,
    e-mail, several functions, an account without e-legitimation identity."""
    sysadmin = MembershipFactory(
        organisation=OrganisationFactory(name="Kommunens IT", org_type="annan"),
        code="systemadministrator",
    )
    school = OrganisationFactory(name="Ekskolan", password_login=True)
    unit = UnitFactory(organisation=school, name="Mellanstadiet", min_age=9, max_age=12)
    UnitFactory(organisation=school, name="Lågstadiet", description="Åk 1–3")
    for n, (code, hsa) in enumerate([("kurator", None), ("rektor", "SE2321000016-EX01")]):
        member = MembershipFactory(organisation=school, code=code, unit=unit if n else None)
        StaffIdentityFactory(user=member.user, personnummer=pnr(400 + n), hsa_id=hsa)
    MembershipFactory(organisation=school, code="larare")  # password login only
    local_admin = MembershipFactory(organisation=school, code="administrator")
    StaffIdentityFactory(user=local_admin.user, personnummer=pnr(410))

    for who, kinds in ((local_admin, ("staff", "units")), (sysadmin, ("organisations",))):
        client = Client()
        client.force_login(who.user)
        for kind in kinds:
            response = client.get(f"/administration/export/{kind}.{file_format}")
            assert response.status_code == 200
            upload = io.BytesIO(response.content)
            upload.name = f"export.{file_format}"
            plan = _preview(client, upload, kind=kind).context["plan"]
            exported = len(plan.rows)
            assert exported >= (2 if kind != "staff" else 4), kind
            rejected = [(row.summary, row.reasons) for row in plan.rows if row.reasons]
            assert not rejected, (kind, rejected)
            assert plan.count("unchanged") == exported, (kind, plan.counts)

    # A change to an administrator's row is still only a system administrator's to make.
    client = Client()
    client.force_login(local_admin.user)
    row = f"Ekskolan;Ny;Namnsson;;{pnr(410)};administrator;"
    plan = _preview(client, _csv([row])).context["plan"]
    assert [r.action for r in plan.rows] == ["rejected"]
    assert "systemadministratör" in " ".join(plan.rows[0].reasons)

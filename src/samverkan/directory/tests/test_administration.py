"""The administration pages: who may do what (deny by default), that every change is
audited, and that nothing is deleted. Adam is Frejaskolan's local administrator (demo
world); the system administrator is made by a factory."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.core.errors import PermissionDenied, ValidationFailed
from samverkan.directory import administration, selectors
from samverkan.directory.models import (
    ContactFunctionAssignment,
    Function,
    Membership,
    Organisation,
    StaffIdentity,
    Unit,
)
from samverkan.directory.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    StaffIdentityFactory,
    staff_personnummer,
)

User = get_user_model()


@pytest.fixture
def sysadmin(world):
    membership = MembershipFactory(
        organisation=OrganisationFactory(name="IT-enheten", org_type="annan"),
        code="systemadministrator",
    )
    client = Client()
    client.force_login(membership.user)
    return membership, client


@pytest.fixture
def frejaskolan(world):
    return world.organisations["Frejaskolan"]


def _audit_since(mark, **filters):
    return AuditEvent.objects.filter(id__gt=mark, **filters)


def _mark():
    return AuditEvent.objects.latest("id").id


# Who reaches which page --------------------------------------------------------------

PAGES_OF_AN_ORGANISATION = [
    "/administration/organisation/{org}/",
    "/administration/organisation/{org}/enhet/ny/",
    "/administration/organisation/{org}/funktion/ny/",
    "/administration/organisation/{org}/personal/ny/",
    "/administration/organisation/{org}/kontaktfunktion/ny/",
]
SYSTEM_PAGES = [
    "/administration/huvudman/ny/",
    "/administration/organisation/ny/",
    "/administration/organisation/{org}/andra/",
    "/administration/export/organisations.csv",
]


@pytest.mark.parametrize("path", PAGES_OF_AN_ORGANISATION + SYSTEM_PAGES + ["/administration/"])
def test_staff_without_administration_rights_see_nothing(login, frejaskolan, path):
    for username in ("frida", "sofia", "gustav"):
        response = login(username).get(path.format(org=frejaskolan.public_id))
        # 403: the function has no administration (no secret; docs/security.md).
        assert response.status_code == 403, (username, path)
        assert "administrationen" in response.text


@pytest.mark.parametrize("path", PAGES_OF_AN_ORGANISATION + SYSTEM_PAGES)
def test_anonymous_is_sent_to_login(client, frejaskolan, path):
    response = client.get(path.format(org=frejaskolan.public_id))
    assert response.status_code == 302
    assert response["Location"].startswith("/logga-in/")


@pytest.mark.parametrize("path", PAGES_OF_AN_ORGANISATION)
def test_local_administrator_manages_only_their_own_organisation(login, world, path):
    adam = login("adam")
    own = world.organisations["Frejaskolan"]
    other = world.organisations["BUP"]
    assert adam.get(path.format(org=own.public_id)).status_code == 200
    assert adam.get(path.format(org=other.public_id)).status_code == 404


@pytest.mark.parametrize("path", SYSTEM_PAGES)
def test_local_administrator_cannot_reach_system_pages(login, frejaskolan, path):
    assert login("adam").get(path.format(org=frejaskolan.public_id)).status_code == 404


def test_local_administrator_start_page_is_their_organisation(login, frejaskolan):
    response = login("adam").get("/administration/")
    assert response.status_code == 302
    assert response["Location"] == f"/administration/organisation/{frejaskolan.public_id}/"


@pytest.mark.parametrize("path", PAGES_OF_AN_ORGANISATION + SYSTEM_PAGES + ["/administration/"])
def test_system_administrator_reaches_every_page(sysadmin, frejaskolan, path):
    _, client = sysadmin
    assert client.get(path.format(org=frejaskolan.public_id)).status_code == 200


def test_navigation_shows_administration_only_to_administrators(login):
    assert 'href="/administration/"' in login("adam").get("/").content.decode()
    assert 'href="/administration/"' not in login("frida").get("/").content.decode()


# The system administrator's work -----------------------------------------------------


def test_system_administrator_creates_an_organisation_of_any_type(sysadmin, world):
    membership, client = sysadmin
    principal = world.organisations["Frejaskolan"].principal
    mark = _mark()
    response = client.post(
        "/administration/organisation/ny/",
        {
            "principal": principal.pk,
            "name": "Polisen i Exempelkommun",
            "org_type": "polis",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    org = Organisation.objects.get(name="Polisen i Exempelkommun")
    assert (org.org_type, org.password_login, org.is_active) == ("polis", False, True)
    row = _audit_since(mark, resource_type="directory.organisation").get()
    assert (row.action, row.actor_username, row.ground_code) == (
        "create",
        membership.user.username,
        "administration",
    )


def test_duplicate_organisation_name_is_refused_with_a_reason(sysadmin, frejaskolan):
    _, client = sysadmin
    response = client.post(
        "/administration/organisation/ny/",
        {"principal": frejaskolan.principal_id, "name": "frejaskolan", "org_type": "skola"},
    )
    assert response.status_code == 200
    assert "har redan en organisation som heter" in response.content.decode()


def test_system_administrator_appoints_a_local_administrator(sysadmin, world):
    membership, _ = sysadmin
    org = world.organisations["BUP"]
    from samverkan.directory.selectors import actor_from_membership

    actor = actor_from_membership(membership)
    appointed = administration.staff_account_create(
        actor=actor,
        organisation=org,
        function="administrator",
        first_name="Ada",
        last_name="Admin",
        personnummer=staff_personnummer(201),
    )
    assert appointed in selectors.administrators_of(org.pk)


# The local administrator's work ------------------------------------------------------


def test_local_administrator_cannot_appoint_administrators(world, frejaskolan):
    with pytest.raises(PermissionDenied, match="systemadministratör"):
        administration.staff_account_create(
            actor=world.actor("adam"),
            organisation=frejaskolan,
            function="administrator",
            first_name="Ny",
            last_name="Admin",
            personnummer=staff_personnummer(202),
        )
    # Nor is the function offered on the page.
    page = Client()
    page.force_login(world.users["adam"])
    html = page.get(f"/administration/organisation/{frejaskolan.public_id}/personal/ny/")
    assert ">Administratör</option>" not in html.content.decode()
    assert ">Kurator</option>" in html.content.decode()


def test_create_staff_change_function_move_unit_and_deactivate(world, login, frejaskolan):
    adam = login("adam")
    unit = Unit.objects.create(organisation=frejaskolan, name="Högstadiet")
    kurator = Function.objects.get(code="kurator")
    mentor = Function.objects.get(code="mentor")
    mark = _mark()
    response = adam.post(
        f"/administration/organisation/{frejaskolan.public_id}/personal/ny/",
        {
            "first_name": "Karl",
            "last_name": "Karlsson",
            "personnummer": staff_personnummer(203),
            "function": kurator.pk,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(first_name="Karl", last_name="Karlsson")
    assert user.username == "karl.karlsson"
    assert not user.has_usable_password()
    assert StaffIdentity.objects.get(user=user).personnummer == staff_personnummer(203)
    membership = Membership.objects.get(user=user)
    assert membership.function == kurator

    page = f"/administration/organisation/{frejaskolan.public_id}/personal/{membership.public_id}/"
    assert adam.get(page).status_code == 200  # reading the person's details is audited
    assert _audit_since(mark, action="read", resource_type="directory.membership").exists()
    response = adam.post(
        page,
        {
            "first_name": "Karl",
            "last_name": "Karlsson",
            "personnummer": staff_personnummer(203),
            "function": mentor.pk,
            "unit": unit.pk,
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.function, membership.unit) == (mentor, unit)
    change = _audit_since(mark, action="change", resource_type="directory.membership").get()
    assert set(change.details["changes"]) == {"function", "unit"}

    response = adam.post(f"{page}avsluta/")
    assert response.status_code == 302
    membership.refresh_from_db()
    user.refresh_from_db()
    assert membership.valid_until < timezone.localdate()
    assert not user.is_active  # works nowhere else: can no longer log in
    assert User.objects.filter(pk=user.pk).exists()  # never deleted
    assert membership not in selectors.active_memberships(user.pk)


def test_deactivating_someone_who_works_elsewhere_keeps_the_account(world):
    sofia = world.memberships["sofia"]
    other = MembershipFactory(user=sofia.user, organisation=world.organisations["Frejaskolan"])
    administration.staff_account_deactivate(actor=world.actor("adam"), membership=other)
    sofia.user.refresh_from_db()
    assert sofia.user.is_active
    assert list(selectors.active_memberships(sofia.user.pk)) == [sofia]


def test_deactivation_ends_contact_functions_held(world):
    membership = world.memberships["sofia"]
    held = ContactFunctionAssignment.objects.filter(membership=membership, ended_at__isnull=True)
    assert held.exists()
    administration.staff_account_deactivate(actor=world.actor("admin"), membership=membership)
    assert not held.exists()


def test_local_administrator_cannot_touch_another_organisations_staff(world):
    with pytest.raises(PermissionDenied):
        administration.staff_account_deactivate(
            actor=world.actor("adam"), membership=world.memberships["sofia"]
        )


def test_staff_need_an_e_legitimation_identity_unless_password_login(world):
    org = OrganisationFactory(password_login=False)
    with pytest.raises(ValidationFailed, match="personnummer eller HSA-id"):
        administration.staff_account_create(
            actor=None, organisation=org, function="kurator", first_name="A", last_name="B"
        )


def test_the_same_personnummer_cannot_identify_two_accounts(world, frejaskolan):
    taken = StaffIdentityFactory().personnummer
    with pytest.raises(ValidationFailed, match="redan ett personalkonto"):
        administration.staff_account_create(
            actor=world.actor("adam"),
            organisation=frejaskolan,
            function="kurator",
            first_name="A",
            last_name="B",
            personnummer=taken,
        )


def test_own_function_cannot_carry_administrator_rights(world, frejaskolan):
    with pytest.raises(ValidationFailed):
        administration.function_save(
            actor=world.actor("adam"),
            organisation=frejaskolan,
            name="Superuser",
            permissions=["directory.manage"],
        )
    function = administration.function_save(
        actor=world.actor("adam"),
        organisation=frejaskolan,
        name="Studie- och yrkesvägledare",
        permissions=["people.view"],
    )
    assert function.organisation == frejaskolan
    assert function in selectors.functions_for(frejaskolan.pk)
    assert function not in selectors.functions_for(world.organisations["BUP"].pk)


def test_contact_function_holders_from_and_to(world, login):
    social = world.organisations["Socialtjänsten barn och familj"]
    cf = administration.contact_function_save(
        actor=world.actor("admin"),
        provider_organisation=social,
        served_organisation=world.organisations["Förskolan Solrosen"],
        title="Kontaktsocialsekreterare förskola",
    )
    start = timezone.localdate() - datetime.timedelta(days=10)
    administration.contact_function_hand_over(
        actor=world.actor("admin"),
        contact_function=cf,
        membership=world.memberships["sofia"],
        from_date=start,
    )
    assert selectors.current_holder(cf) == world.memberships["sofia"]
    administration.contact_function_vacate(
        actor=world.actor("admin"), contact_function=cf, to_date=timezone.localdate()
    )
    assert selectors.current_holder(cf) is None
    (period,) = selectors.contact_function_history(cf)
    assert timezone.localdate(period.started_at) == start
    with pytest.raises(ValidationFailed, match="framtiden"):
        administration.contact_function_hand_over(
            actor=world.actor("admin"),
            contact_function=cf,
            membership=world.memberships["olof"],
            from_date=timezone.localdate() + datetime.timedelta(days=1),
        )
    page = login("admin").get(
        f"/administration/organisation/{social.public_id}/kontaktfunktion/{cf.public_id}/"
    )
    assert page.status_code == 200
    with pytest.raises(PermissionDenied):
        administration.contact_function_vacate(
            actor=world.actor("adam"), contact_function=cf, to_date=timezone.localdate()
        )


def test_password_reset_only_where_password_login_is_chosen(world):
    membership = world.memberships["mats"]
    org = membership.organisation
    org.password_login = False
    org.save()
    with pytest.raises(ValidationFailed, match="e-legitimation"):
        administration.staff_password_reset(actor=world.actor("adam"), membership=membership)
    org.password_login = True
    org.save()
    password = administration.staff_password_reset(actor=world.actor("adam"), membership=membership)
    membership.user.refresh_from_db()
    assert membership.user.check_password(password)

"""Contact functions: "function, not person". Replacing the holder keeps the history,
only the providing organisation's administrator may do it, and it is audited."""

from __future__ import annotations

import pytest

from samverkan.audit.models import AuditEvent
from samverkan.core.errors import PermissionDenied, ValidationFailed
from samverkan.directory import selectors, services
from samverkan.directory.models import ContactFunction, ContactFunctionAssignment


@pytest.fixture
def frejaskolans_contact(world) -> ContactFunction:
    """Social services' kontaktsocialsekreterare for Frejaskolan, held by Sofia."""
    return ContactFunction.objects.get(
        served_organisation=world.organisations["Frejaskolan"], title="Kontaktsocialsekreterare"
    )


def _history(cf):
    return [
        (a.membership.user.username, a.ended_at is None)
        for a in selectors.contact_function_history(cf)
    ]


def test_replacing_the_holder_keeps_history(world, frejaskolans_contact):
    cf = frejaskolans_contact
    assert selectors.current_holder(cf).user.username == "sofia"

    services.contact_function_assign(
        actor=world.actor("admin"), contact_function=cf, membership=world.memberships["olof"]
    )
    assert selectors.current_holder(cf).user.username == "olof"
    assert _history(cf) == [("olof", True), ("sofia", False)]
    sofia, olof = ContactFunctionAssignment.objects.filter(contact_function=cf).order_by(
        "started_at"
    )
    assert sofia.ended_at == olof.started_at  # no gap, no overlap
    assert olof.assigned_by == world.users["admin"]

    services.contact_function_assign(
        actor=world.actor("admin"), contact_function=cf, membership=world.memberships["sofia"]
    )
    assert _history(cf) == [("sofia", True), ("olof", False), ("sofia", False)]

    row = AuditEvent.objects.filter(action="change", resource_id=str(cf.public_id)).latest("id")
    assert row.actor_username == "admin"
    assert row.ground_code == "administration"
    assert row.details == {"new_holder": "sofia", "previous_holder": "olof"}


def test_same_holder_again_is_refused(world, frejaskolans_contact):
    with pytest.raises(ValidationFailed, match="redan den här kontaktfunktionen"):
        services.contact_function_assign(
            actor=world.actor("admin"),
            contact_function=frejaskolans_contact,
            membership=world.memberships["sofia"],
        )
    assert _history(frejaskolans_contact) == [("sofia", True)]


def test_holder_must_work_in_the_providing_organisation(world, frejaskolans_contact):
    with pytest.raises(ValidationFailed, match="Socialtjänsten barn och familj"):
        services.contact_function_assign(
            actor=world.actor("admin"),
            contact_function=frejaskolans_contact,
            membership=world.memberships["frida"],
        )
    assert _history(frejaskolans_contact) == [("sofia", True)]


@pytest.mark.parametrize(
    "username",
    [
        "adam",  # administrator, but of Frejaskolan (served, not providing)
        "sofia",  # works in social services, but does not administer it
        "erik",  # enhetschef
    ],
)
def test_only_the_providers_administrator_may_assign(world, frejaskolans_contact, username):
    with pytest.raises(PermissionDenied):
        services.contact_function_assign(
            actor=world.actor(username),
            contact_function=frejaskolans_contact,
            membership=world.memberships["olof"],
        )
    assert _history(frejaskolans_contact) == [("sofia", True)]


def test_assign_page(world, login, frejaskolans_contact):
    cf = frejaskolans_contact
    path = f"/katalog/kontaktfunktion/{cf.public_id}/"
    client = login("admin")
    page = client.get(path)
    assert page.status_code == 200
    assert 'name="membership"' in page.text

    response = client.post(path, {"membership": world.memberships["olof"].pk})
    assert response.status_code == 302
    page = client.get(path)
    assert "Kontaktfunktionen har fått en ny innehavare." in page.text
    assert "Olof Sandberg" in page.text
    assert "Sofia Karlsson" in page.text  # still in the history
    assert _history(cf) == [("olof", True), ("sofia", False)]

    # The school sees who its contact is now, on its start page.
    home = login("frida").get("/")
    assert "Olof Sandberg" in home.text
    assert "Sofia Karlsson" not in home.text


@pytest.mark.parametrize("username", ["adam", "frida", "sofia"])
def test_assign_page_refuses_others(world, login, frejaskolans_contact, username):
    path = f"/katalog/kontaktfunktion/{frejaskolans_contact.public_id}/"
    client = login(username)
    page = client.get(path)
    assert page.status_code == 200  # the directory is not secret
    assert 'name="membership"' not in page.text
    response = client.post(path, {"membership": world.memberships["olof"].pk})
    assert response.status_code == 404
    assert _history(frejaskolans_contact) == [("sofia", True)]

"""API tokens: `samverkan token create <username>` prints a working bearer token; only
a hash is stored; expired, revoked and ended-membership tokens stop working."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.directory import services
from samverkan.directory.models import ApiToken


def _create_token(*args) -> str:
    out = io.StringIO()
    call_command("token", "create", *args, stdout=out)
    return out.getvalue().strip()


def _children(client, token):
    return client.get("/api/children", headers={"Authorization": f"Bearer {token}"})


def test_token_create_prints_a_working_token(world, client):
    token = _create_token("frida", "--name", "elevregister")
    assert token.startswith(services.TOKEN_PREFIX)
    response = _children(client, token)
    assert response.status_code == 200
    assert "Melwin" in {child["first_name"] for child in response.json()}

    stored = ApiToken.objects.get(name="elevregister")
    assert stored.membership == world.memberships["frida"]
    assert token not in {stored.token_hash, stored.prefix}  # only a hash is kept
    assert stored.last_used_at is not None
    row = AuditEvent.objects.filter(resource_type="directory.apitoken").latest("id")
    assert row.details == {"user": "frida", "name": "elevregister"}


def test_token_acts_only_as_its_membership(world, client):
    """A token for Vårdcentralen's doctor sees nothing of Frejaskolan's children."""
    response = _children(client, _create_token("viktor"))
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody"], "Det finns ingen aktiv användare med användarnamnet nobody."),
        (["frida", "--organisation", "BUP"], "frida har ingen aktiv roll i någon verksamhet."),
    ],
)
def test_token_create_errors(world, args, message):
    with pytest.raises(CommandError, match=message):
        _create_token(*args)
    assert not ApiToken.objects.exists()


def test_user_with_several_roles_must_choose(world):
    services.membership_create(
        actor=None,
        user=world.users["sara"],
        organisation=world.organisations["Frejaskolan"],
        function="larare",
    )
    with pytest.raises(CommandError, match="sara har flera roller"):
        _create_token("sara")
    token = _create_token("sara", "--organisation", "Frejaskolan")
    assert ApiToken.objects.get(prefix=token[:10]).membership.organisation.name == "Frejaskolan"


def test_expired_token_is_refused(world, client):
    _, token = services.token_create(
        actor=None,
        membership=world.memberships["frida"],
        expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    assert _children(client, token).status_code == 401


def test_token_of_ended_membership_is_refused(world, client):
    token = _create_token("frida")
    membership = world.memberships["frida"]
    membership.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    membership.save(update_fields=["valid_until"])
    assert _children(client, token).status_code == 401


def test_token_of_inactive_user_is_refused(world, client):
    token = _create_token("frida")
    world.users["frida"].is_active = False
    world.users["frida"].save(update_fields=["is_active"])
    assert _children(client, token).status_code == 401

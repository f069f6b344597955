"""Consent events in the inbox: to the one who registered the consent, shown only to a
reader the consent policy allows, never saying who revoked."""

from __future__ import annotations

import pytest

from samverkan.consent import services
from samverkan.notify import selectors

from .test_sweep import _at, _days

pytestmark = pytest.mark.django_db


def _titles(world, username) -> list[str]:
    return [row.shown.title for row in selectors.inbox_page(world.actor(username))]


def test_expiring_and_expired_reach_the_registrant_only(world, ebba, give):
    give(["BUP"], valid_until=_days(10))
    services.consents_sweep()
    expiring = "Samtycket för Ebba Exempelsson går snart ut"
    assert expiring in _titles(world, "frida")
    for username in ("lena", "olof", "mats", "karin", "viktor", "sofia"):
        assert expiring not in _titles(world, username), username
    services.consents_sweep(now=_at(11))
    assert "Samtycket för Ebba Exempelsson har gått ut" in _titles(world, "frida")
    assert "Samtycket för Ebba Exempelsson har gått ut" not in _titles(world, "lena")


def test_revoked_is_told_without_who_revoked(world, ebba, give):
    consent = give(["BUP"], valid_until=_days(200))
    services.consent_revoke(actor=world.actor("frida"), consent=consent, note="Föräldrarna")
    titles = _titles(world, "frida")
    assert "Samtycket för Ebba Exempelsson har återkallats" in titles
    assert not any("Frida" in t or "Föräldrarna" in t for t in titles)
    for username in ("lena", "olof", "mats", "viktor"):
        assert not any("Ebba" in t for t in _titles(world, username)), username

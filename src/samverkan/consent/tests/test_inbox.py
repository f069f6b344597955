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


def test_expiring_and_expired_reach_the_parties_who_may_read_the_child(
    world, ebba, give, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        give(["BUP"], valid_until=_days(10))
        mailoutbox.clear()
        services.consents_sweep()
    expiring = "Samtycket för Ebba Exempelsson går snart ut"
    for username in ("frida", "mats", "lena"):  # the school and BUP are parties
        assert expiring in _titles(world, username), username
    for username in ("olof", "karin", "viktor", "sofia", "gustav"):
        assert expiring not in _titles(world, username), username
    # Only the one who registered it is e-mailed, and the e-mail names no child.
    assert [m.to for m in mailoutbox] == [[world.users["frida"].email]]
    assert "Ebba" not in mailoutbox[0].body
    services.consents_sweep(now=_at(11))
    assert "Samtycket för Ebba Exempelsson har gått ut" in _titles(world, "frida")
    assert "Samtycket för Ebba Exempelsson har gått ut" not in _titles(world, "olof")


def test_revoked_is_told_without_who_revoked(world, ebba, give):
    consent = give(["BUP"], valid_until=_days(200))
    services.consent_revoke(actor=world.actor("frida"), consent=consent, note="Föräldrarna")
    titles = _titles(world, "frida")
    assert "Samtycket för Ebba Exempelsson har återkallats" in titles
    assert not any("Frida" in t or "Föräldrarna" in t for t in titles)
    assert "Samtycket för Ebba Exempelsson har återkallats" in _titles(world, "mats")
    for username in ("lena", "olof", "viktor"):  # BUP lost its ground with the consent
        assert not any("Ebba" in t for t in _titles(world, username)), username


def test_a_renewal_is_told_to_the_parties_and_ends_the_reminders(world, ebba, give):
    old = give(["BUP"], valid_until=_days(10))
    services.consents_sweep()
    give(["BUP"], renews=old)
    renewed = "Samtycket för Ebba Exempelsson har förnyats"
    for username in ("frida", "mats", "lena"):
        assert renewed in _titles(world, username), username
        assert "Samtycket för Ebba Exempelsson går snart ut" not in _titles(world, username)
    for username in ("olof", "karin", "sofia"):
        assert renewed not in _titles(world, username), username

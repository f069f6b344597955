"""The periodic sweep: a reminder before a consent runs out, a notice when it has run
out, each recorded once however often the sweep runs; and `samverkan sweep`."""

from __future__ import annotations

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from samverkan.consent import services
from samverkan.consent.models import ConsentEvent

NOTHING = {"expiry_reminder": 0, "expired": 0, "context_lapsed": 0}


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _at(n: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=n)


def _kinds(consent) -> list[str]:
    return list(consent.events.order_by("occurred_at", "pk").values_list("kind", flat=True))


def test_the_demo_world_needs_nothing_today(world):
    assert services.consents_sweep() == NOTHING


def test_reminder_within_the_reminder_days_once(world, ebba, give, settings):
    soon = give(["BUP"], valid_until=_days(10))
    later = give(["BUP"], valid_until=_days(31))
    assert settings.SAMVERKAN["CONSENT_REMINDER_DAYS"] == 30

    assert services.consents_sweep() == NOTHING | {"expiry_reminder": 1}
    assert services.consents_sweep() == NOTHING  # idempotent
    assert _kinds(soon) == ["registered", "signed", "expiry_reminder"]
    reminder = soon.events.get(kind="expiry_reminder")
    assert reminder.text == f"Samtycket går ut {soon.valid_until:%Y-%m-%d}. Förnya det i tid."
    assert "expiry_reminder" not in _kinds(later)

    # The day the other one comes within 30 days.
    assert services.consents_sweep(now=_at(1)) == NOTHING | {"expiry_reminder": 1}
    assert services.consents_sweep(now=_at(1)) == NOTHING
    assert "expiry_reminder" in _kinds(later)


def test_reminder_days_are_configurable(world, ebba, give, settings):
    give(["BUP"], valid_until=_days(40))
    assert services.consents_sweep() == NOTHING
    settings.SAMVERKAN = {**settings.SAMVERKAN, "CONSENT_REMINDER_DAYS": 45}
    assert services.consents_sweep() == NOTHING | {"expiry_reminder": 1}


def test_expired_once_after_valid_until(world, ebba, give):
    consent = give(["BUP"], valid_until=_days(10))
    assert services.consents_sweep()["expiry_reminder"] == 1
    # The last valid day: nothing more.
    assert services.consents_sweep(now=_at(10)) == NOTHING
    # The day after: expired, once.
    assert services.consents_sweep(now=_at(11)) == NOTHING | {"expired": 1}
    assert services.consents_sweep(now=_at(11)) == NOTHING
    assert services.consents_sweep(now=_at(12)) == NOTHING
    assert _kinds(consent) == ["registered", "signed", "expiry_reminder", "expired"]
    expired = consent.events.get(kind="expired")
    assert expired.text == f"Samtycket gick ut {consent.valid_until:%Y-%m-%d}."
    assert timezone.localdate(expired.occurred_at) == _days(11)  # recorded at the sweep's now


def test_expired_is_recorded_even_when_the_sweep_missed_some_days(world, ebba, give):
    """If the sweep has not run for a few days (a long weekend's outage), the holders
    are still told that the consent has run out."""
    consent = give(["BUP"], valid_until=_days(2))
    assert services.consents_sweep(now=_at(6)) == NOTHING | {"expired": 1}
    assert "expired" in _kinds(consent)


def test_revoked_or_renewed_consents_get_no_reminders(world, ebba, give):
    revoked = give(["BUP"], valid_until=_days(5))
    services.consent_revoke(actor=world.actor("frida"), consent=revoked)
    old = give(["BUP"], valid_until=_days(5))
    give(["BUP"], renews=old)  # the renewal runs a year
    assert services.consents_sweep() == NOTHING
    assert services.consents_sweep(now=_at(7)) == NOTHING


def test_holders_see_the_reminder_in_their_inbox(world, ebba, give):
    from samverkan.notify import selectors as inbox

    give(["BUP"], valid_until=_days(3))
    services.consents_sweep()
    title = f"Samtycket för {ebba.full_name} går snart ut"

    def titles(username):
        return [row.shown.title for row in inbox.inbox_page(world.actor(username))]

    for username in ("frida", "mats", "lena"):  # staff of the parties, with people.view
        assert title in titles(username), username
    for username in ("karin", "sofia", "viktor", "adam"):
        assert title not in titles(username), username


def test_sweep_command(world, ebba, give):
    consent = give(["BUP"], valid_until=_days(5))
    out = io.StringIO()
    call_command("sweep", stdout=out)
    text = out.getvalue()
    assert "Samtycken: 1 påminnelser, 0 utgångna, 0 som måste förnyas" in text
    assert ConsentEvent.objects.filter(consent=consent, kind="expiry_reminder").count() == 1

    out = io.StringIO()
    call_command("sweep", stdout=out)
    assert "Samtycken: 0 påminnelser, 0 utgångna, 0 som måste förnyas" in out.getvalue()

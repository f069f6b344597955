import datetime

import pytest
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.consent import grants
from samverkan.consent.models import Consent
from samverkan.plans.models import Plan


@pytest.fixture
def plan(world) -> Plan:
    """Melwin's SIP from the demo world (started by Elevhälsan, karin)."""
    return Plan.objects.select_related("child").get(child=world.children["melwin"])


@pytest.fixture
def melwin_consent(world) -> Consent:
    return Consent.objects.get(child=world.children["melwin"])


@pytest.fixture
def revoke(world, melwin_consent):
    def _revoke():
        from samverkan.consent import services as consent

        consent.consent_revoke(
            actor=world.actor("karin"), consent=melwin_consent, note="Föräldrarna ångrade sig."
        )

    return _revoke


@pytest.fixture
def expire(melwin_consent):
    def _expire():
        today = timezone.localdate()
        Consent.objects.filter(pk=melwin_consent.pk).update(
            valid_from=today - datetime.timedelta(days=400),
            valid_until=today - datetime.timedelta(days=1),
        )
        # No service edits a consent's dates; the test does, so it also recomputes
        # what is derived from them (the sharing grants, decision 0090).
        grants.refresh([melwin_consent.child_id])

    return _expire


@pytest.fixture
def last_event():
    def _last(**filters):
        return AuditEvent.objects.filter(**filters).order_by("-id").first()

    return _last

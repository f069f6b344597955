import pytest
from django.utils import timezone

from samverkan.consent.models import Consent
from samverkan.meetings.models import Forum, Meeting

TEEN = "Samverkansträff 13–18"


@pytest.fixture
def teen_forum(world) -> Forum:
    return Forum.objects.get(name=TEEN)


@pytest.fixture
def held_meeting(teen_forum) -> Meeting:
    """Last week's samverkansträff 13-18 from the demo: held, minutes approved."""
    return teen_forum.meetings.filter(status="held").get()


@pytest.fixture
def next_meeting(teen_forum) -> Meeting:
    """The next planned samverkansträff 13-18."""
    return teen_forum.meetings.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()


@pytest.fixture
def melwin_consent(world) -> Consent:
    return Consent.objects.get(child=world.children["melwin"])

"""The register holds children and young people (issue 13 item 12: a 76-year-old was
registered as a child)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from samverkan.core.errors import ValidationFailed
from samverkan.demo.world import born, fictional_number
from samverkan.directory.tests.factories import MembershipFactory, actor_of
from samverkan.people import services
from samverkan.people.models import Child

pytestmark = pytest.mark.django_db


def _register(years: int):
    actor = actor_of(
        MembershipFactory(code="mottagningssekreterare", organisation__org_type="socialtjanst")
    )
    return services.child_register(
        actor=actor,
        personal_number=fictional_number(born(years, 10), 961),
        first_name="Test",
        last_name="Testsson",
        context="report",
    )


def test_a_76_year_old_is_not_registered_as_a_child():
    with pytest.raises(ValidationFailed, match="inte är barn eller ung") as refused:
        _register(76)
    assert refused.value.field == "personal_number"
    assert not Child.objects.filter(
        date_of_birth__lt=timezone.localdate().replace(year=1960)
    ).exists()


def test_a_seventeen_year_old_is():
    child, involvement = _register(17)
    assert child.date_of_birth == born(17, 10) and involvement.ended_at is None

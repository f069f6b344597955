"""Mötesplatser and shared training: invitations, registration, capacity, attendance."""

import datetime

import pytest
from django.utils import timezone

from samverkan.core.errors import PermissionDenied, ValidationFailed
from samverkan.knowledge import selectors, services

pytestmark = pytest.mark.django_db


def _event(world, *, invited=(), capacity=None, days=10):
    start = timezone.now() + datetime.timedelta(days=days)
    return services.event_create(
        actor=world.actor("admin"),
        title="Samverkansdag om problematisk skolfrånvaro",
        kind="utbildning",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        capacity=capacity,
        invited_organisation_ids=[world.organisations[name].pk for name in invited],
        programme="09.00 Inledning\n10.00 Gruppsamtal",
        evaluation_url="https://enkat.example/1",
    )


def test_only_staff_of_invited_organisations_may_register(world):
    event = _event(world, invited=["Frejaskolan"])
    services.event_register(actor=world.actor("frida"), event_id=event.public_id)
    services.event_register(actor=world.actor("erik"), event_id=event.public_id)  # organiser
    with pytest.raises(PermissionDenied):
        services.event_register(actor=world.actor("lena"), event_id=event.public_id)
    view = selectors.event_get(world.actor("frida"), event.public_id)
    assert view.my_registration is not None and len(view.registrations) == 2


def test_capacity_and_unregistering(world):
    event = _event(world, capacity=1)
    services.event_register(actor=world.actor("karin"), event_id=event.public_id)
    with pytest.raises(ValidationFailed):
        services.event_register(actor=world.actor("sara"), event_id=event.public_id)
    services.event_unregister(actor=world.actor("karin"), event_id=event.public_id)
    services.event_register(actor=world.actor("sara"), event_id=event.public_id)
    with pytest.raises(ValidationFailed):
        services.event_register(actor=world.actor("sara"), event_id=event.public_id)


def test_only_the_organisers_administrator_manages(world):
    event = _event(world)
    with pytest.raises(PermissionDenied):
        services.event_cancel(actor=world.actor("adam"), event_id=event.public_id)  # other org
    with pytest.raises(PermissionDenied):
        services.event_cancel(actor=world.actor("sofia"), event_id=event.public_id)
    services.event_cancel(actor=world.actor("admin"), event_id=event.public_id)
    with pytest.raises(ValidationFailed):
        services.event_register(actor=world.actor("frida"), event_id=event.public_id)


def test_attendance_after_the_event_has_started(world):
    past = selectors.events_past(world.actor("admin"))[0]
    view = selectors.event_get(world.actor("admin"), past.public_id)
    assert view.may_manage and view.has_started
    attended = [r for r in view.registrations if r.attended]
    assert len(attended) == 3  # recorded by the demo
    count = services.event_attendance_record(
        actor=world.actor("admin"),
        event_id=past.public_id,
        attended_ids=[view.registrations[0].public_id],
    )
    assert count == 1
    upcoming = _event(world)
    with pytest.raises(ValidationFailed):
        services.event_attendance_record(
            actor=world.actor("admin"), event_id=upcoming.public_id, attended_ids=[]
        )


def test_events_are_validated(world):
    start = timezone.now()
    with pytest.raises(ValidationFailed):
        services.event_create(
            actor=world.actor("admin"),
            title="Baklänges",
            kind="utbildning",
            starts_at=start,
            ends_at=start - datetime.timedelta(hours=1),
        )
    with pytest.raises(PermissionDenied):
        services.event_create(
            actor=world.actor("frida"),
            title="Inte admin",
            kind="utbildning",
            starts_at=start,
            ends_at=start,
        )


def test_competence_plan_belongs_to_its_organisation(world):
    plan = services.competence_plan_create(actor=world.actor("adam"), period="2030/2031")
    with pytest.raises(PermissionDenied):
        services.competence_item_add(actor=world.actor("admin"), plan_id=plan.public_id, topic="X")
    item = services.competence_item_add(
        actor=world.actor("adam"), plan_id=plan.public_id, topic="Sekretess och samtycke"
    )
    services.competence_item_status_set(
        actor=world.actor("adam"), item_id=item.public_id, status="klar"
    )
    with pytest.raises(ValidationFailed):
        services.competence_plan_create(actor=world.actor("adam"), period="2030/2031")

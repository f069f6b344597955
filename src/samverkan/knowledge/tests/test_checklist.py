"""The personal checklist: each user's own, invisible to everyone else."""

import pytest
from django.urls import reverse

from samverkan.audit.models import AuditEvent
from samverkan.core.errors import NotFound, ValidationFailed
from samverkan.knowledge import selectors, services

pytestmark = pytest.mark.django_db


def test_choose_tick_off_and_add_own_items(world):
    karin = world.actor("karin")
    assert selectors.checklist_for(karin).items == []
    services.checklist_suggestions_choose(actor=karin, codes=["aterkoppla", "vem-kallar"])
    own = services.checklist_item_add(actor=karin, text="Ring BUP om remissrutinen")
    view = selectors.checklist_for(karin)
    assert view.chosen == {"aterkoppla", "vem-kallar"}
    assert [i.text for i in view.items if not i.suggestion_id] == ["Ring BUP om remissrutinen"]
    services.checklist_item_mark(actor=karin, item_id=own.public_id, done=True)
    assert selectors.checklist_for(karin).done_count == 1
    # Unchoosing a suggestion removes it; own items stay.
    services.checklist_suggestions_choose(actor=karin, codes=["aterkoppla"])
    view = selectors.checklist_for(karin)
    assert view.chosen == {"aterkoppla"} and len(view.items) == 2


def test_one_users_checklist_is_invisible_to_another(world):
    frida_items = selectors.checklist_for(world.actor("frida")).items
    assert frida_items  # the demo gives Frida a checklist
    karin = world.actor("karin")
    assert selectors.checklist_for(karin).items == []
    with pytest.raises(NotFound):
        services.checklist_item_mark(actor=karin, item_id=frida_items[0].public_id, done=False)
    with pytest.raises(NotFound):
        services.checklist_item_remove(actor=karin, item_id=frida_items[-1].public_id)


def test_the_same_user_in_another_role_keeps_one_checklist(world):
    # The checklist belongs to the person, not the membership.
    frida = world.actor("frida")
    assert selectors.checklist_for(frida).items


def test_unknown_suggestion_and_empty_text_are_refused(world):
    with pytest.raises(ValidationFailed):
        services.checklist_suggestions_choose(actor=world.actor("karin"), codes=["finns-inte"])
    with pytest.raises(ValidationFailed):
        services.checklist_item_add(actor=world.actor("karin"), text="   ")


def test_checklist_pages(login, world):
    client = login("karin")
    page = client.get(reverse("knowledge:checklist"))
    assert page.status_code == 200
    assert "Din checklista är tom" in page.text
    assert "Boka en samverkansträff" not in page.text  # Frida's own item
    response = client.post(reverse("knowledge:checklist"), {"chosen": ["samverkansavtal"]})
    assert response.status_code == 302
    client.post(reverse("knowledge:checklist_item_add"), {"text": "Läs BBIC-grundboken"})
    page = client.get(reverse("knowledge:checklist"))
    assert "Läs BBIC-grundboken" in page.text
    assert "0 av 2 klara" in page.text
    item = selectors.checklist_for(world.actor("karin")).items[0]
    client.post(reverse("knowledge:checklist_item_mark", args=[item.public_id]), {"done": "1"})
    assert "1 av 2 klara" in client.get(reverse("knowledge:checklist")).text


def test_another_users_item_is_404_over_http(login, world):
    item = selectors.checklist_for(world.actor("frida")).items[0]
    client = login("karin")
    url = reverse("knowledge:checklist_item_mark", args=[item.public_id])
    assert client.post(url, {"done": "0"}).status_code == 404


def test_print_page_has_the_items_and_writes_no_print_audit_row(login):
    before = AuditEvent.objects.filter(action="print").count()
    page = login("frida").get(reverse("knowledge:checklist_print"))
    assert page.status_code == 200
    assert "Boka en samverkansträff" in page.text
    assert '<button type="button" data-print>' in page.text  # web/samverkan.js prints
    assert AuditEvent.objects.filter(action="print").count() == before

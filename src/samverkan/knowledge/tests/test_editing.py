"""Editing shared content: versions, history with differences, stale writes,
permissions and audit."""

import pytest
from django.urls import reverse

from samverkan.audit.models import AuditEvent
from samverkan.core.errors import PermissionDenied, StaleWrite, ValidationFailed
from samverkan.knowledge import selectors, services
from samverkan.knowledge.models import Concept, EntryVersion

pytestmark = pytest.mark.django_db


def _update(world, who="admin", **data):
    concept = Concept.objects.get(code="aterkoppling")
    return services.entry_update(
        actor=world.actor(who),
        kind_code="concept",
        entry_id=concept.public_id,
        data=data,
        expected_version=concept.version,
        comment="Förtydligat",
    )


def test_an_edit_creates_a_version_with_who_when_and_what(world):
    concept = _update(world, definition="Ett nytt besked till den som anmält.")
    assert concept.version == 2
    version = EntryVersion.objects.get(entry_id=concept.public_id, number=2)
    assert version.changed_fields == ["definition"]
    assert version.data["definition"] == "Ett nytt besked till den som anmält."
    assert version.author_user_id == world.users["admin"].pk
    assert "Agnes Mohlin" in version.author_name
    assert version.comment == "Förtydligat"
    event = AuditEvent.objects.filter(resource_id=str(concept.public_id)).latest("id")
    assert event.action == "change" and event.details["fields"] == ["definition"]
    assert event.actor_username == "admin"


def test_history_shows_word_differences(world):
    concept = _update(world, definition="Ett nytt besked till den som anmält.")
    history = selectors.entry_history("concept", concept)
    assert [v.version.number for v in history] == [2, 1]
    segments = history[0].changes[0].segments
    assert any(s.op == "removed" for s in segments)
    assert any(s.op == "added" and "nytt" in s.text for s in segments)
    assert history[1].changes == []


def test_a_stale_write_is_refused(world):
    concept = Concept.objects.get(code="aterkoppling")
    _update(world, definition="Först in.")
    with pytest.raises(StaleWrite):
        services.entry_update(
            actor=world.actor("admin"),
            kind_code="concept",
            entry_id=concept.public_id,
            data={"definition": "Sent in."},
            expected_version=concept.version,
        )
    assert Concept.objects.get(pk=concept.pk).definition == "Först in."


def test_saving_nothing_new_is_refused(world):
    concept = Concept.objects.get(code="aterkoppling")
    with pytest.raises(ValidationFailed):
        _update(world, definition=concept.definition)


def test_required_fields_and_choices_are_checked(world):
    with pytest.raises(ValidationFailed):
        _update(world, definition="  ")
    factor = selectors.entry_get("factor", "familj-vald")
    with pytest.raises(ValidationFailed):
        services.entry_update(
            actor=world.actor("admin"),
            kind_code="factor",
            entry_id=factor.public_id,
            data={"domain": "planet"},
            expected_version=factor.version,
        )


@pytest.mark.parametrize("who", ["frida", "karin", "sofia", "gustav"])
def test_only_administrators_may_edit(world, who):
    before = EntryVersion.objects.count()
    with pytest.raises(PermissionDenied):
        _update(world, who=who, definition="Inte tillåtet.")
    assert EntryVersion.objects.count() == before


def test_create_an_entry(world):
    concept = services.entry_create(
        actor=world.actor("admin"),
        kind_code="concept",
        data={"term": "Nätverksmöte", "definition": "Ett möte med barnets nätverk."},
    )
    assert concept.code == "natverksmote"
    assert EntryVersion.objects.filter(entry_id=concept.public_id, number=1).exists()
    assert "Nätverksmöte" in [h.title for h in selectors.search("nätverksmötet")]
    with pytest.raises(ValidationFailed):
        services.entry_create(
            actor=world.actor("admin"),
            kind_code="concept",
            data={"term": "nätverksmöte", "definition": "Dubblett."},
        )


def test_edit_page_saves_and_history_page_shows_the_change(login):
    client = login("admin")
    concept = Concept.objects.get(code="sip")
    url = reverse("knowledge:concept_edit", args=["sip"])
    page = client.get(url)
    assert page.status_code == 200
    data = {name: getattr(concept, name) for name in page.context["form"].kind.field_names}
    data.update(
        is_active="on",
        definition=concept.definition + " Gäller också när skolan är med.",
        version=concept.version,
        comment="Lade till skolan",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    history = client.get(reverse("knowledge:concept_history", args=["sip"]))
    assert history.status_code == 200
    assert "Lade till skolan" in history.text
    assert '<ins class="kn-added">' in history.text


def test_edit_page_reports_a_stale_write(login):
    client = login("admin")
    concept = Concept.objects.get(code="sip")
    response = client.post(
        reverse("knowledge:concept_edit", args=["sip"]),
        {
            "term": concept.term,
            "definition": "Något annat.",
            "is_active": "on",
            "version": concept.version - 1 if concept.version > 1 else 99,
        },
    )
    assert response.status_code == 200
    assert "Någon annan har sparat" in response.text


@pytest.mark.parametrize("who", ["frida", "sofia"])
def test_edit_and_create_pages_are_refused_to_others(login, who):
    # 403 with the reason: the function may not edit the knowledge bank, and the shared
    # knowledge is no secret (docs/security.md, refusals).
    client = login(who)
    assert client.get(reverse("knowledge:concept_edit", args=["sip"])).status_code == 403
    assert client.post(reverse("knowledge:concept_edit", args=["sip"]), {}).status_code == 403
    assert client.get(reverse("knowledge:concept_create")).status_code == 403
    assert "Ändra</a>" not in client.get(reverse("knowledge:concept_detail", args=["sip"])).text

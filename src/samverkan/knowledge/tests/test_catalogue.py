"""The catalogue every installation starts with (migration 0002)."""

import pytest

from samverkan.audit.models import AuditEvent
from samverkan.knowledge import catalogue, selectors, services
from samverkan.knowledge.models import (
    ActorProfile,
    ChecklistSuggestion,
    Concept,
    EntryVersion,
    Factor,
    Method,
    SearchDocument,
)

pytestmark = pytest.mark.django_db

REQUIRED_ACTORS = {
    "barnhalsovard",
    "bup",
    "forskola",
    "skola",
    "elevhalsa",
    "socialtjanst",
    "polis",
    "forsakringskassan",
    "arbetsformedlingen",
    "ideburna",
}


def test_every_required_actor_is_loaded_with_mission_duties_and_sources():
    actors = {a.code: a for a in ActorProfile.objects.all()}
    assert actors.keys() >= REQUIRED_ACTORS
    for code in REQUIRED_ACTORS:
        actor = actors[code]
        assert actor.mission and actor.laws and actor.sources, code
        assert actor.duty_report and actor.duty_sip and actor.duty_collaborate, code


def test_duty_to_report_cites_the_law_for_the_organisations_it_binds():
    for code in ("barnhalsovard", "bup", "forskola", "skola", "elevhalsa", "polis"):
        duty = ActorProfile.objects.get(code=code).duty_report
        assert "14 kap. 1 §" in duty and "2025:400" in duty, code
    assert "bör" in ActorProfile.objects.get(code="ideburna").duty_report


def test_glossary_factors_methods_and_the_fifteen_suggestions():
    assert Concept.objects.count() == len(catalogue.CONCEPTS) >= 30
    codes = set(Concept.objects.values_list("code", flat=True))
    assert {"samverkan", "samsyn", "sip", "barn-som-far-illa", "graszon"} <= codes
    assert {"tidiga-insatser", "forhandsbedomning", "aterkoppling"} <= codes
    assert ChecklistSuggestion.objects.count() == 15
    methods = set(Method.objects.values_list("code", flat=True))
    assert {"bbic", "skolsocial-kartlaggning", "komet", "motescirkeln", "trepartssamtal"} <= methods
    for group in selectors.factors_grouped():
        assert group.risks and group.protective, group.label
    assert not Factor.objects.filter(sources="").exists()
    assert not Concept.objects.filter(sources="").exists()


def test_every_entry_has_a_first_version_and_a_search_document():
    total = sum(len(rows) for rows in catalogue.ENTRIES.values())
    assert EntryVersion.objects.filter(number=1).count() >= total
    assert SearchDocument.objects.exclude(entry_type="event").count() >= total


def test_sync_is_idempotent_and_never_overwrites(world):
    concept = Concept.objects.get(code="samsyn")
    services.entry_update(
        actor=world.actor("admin"),
        kind_code="concept",
        entry_id=concept.public_id,
        data={"definition": "Vår egen formulering."},
        expected_version=concept.version,
    )
    before = AuditEvent.objects.count()
    assert services.catalogue_sync() == dict.fromkeys(catalogue.ENTRIES, 0)
    assert Concept.objects.get(code="samsyn").definition == "Vår egen formulering."
    assert AuditEvent.objects.count() == before


def test_sync_adds_a_missing_entry():
    Concept.objects.filter(code="lagesanalys").delete()
    added = services.catalogue_sync()
    assert added["concept"] == 1
    assert Concept.objects.filter(code="lagesanalys").exists()


def test_sync_command(capsys):
    from django.core.management import call_command

    call_command("knowledge_sync")
    assert "redan alla poster" in capsys.readouterr().out

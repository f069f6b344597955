"""Risk and protective factors as tags on other apps' records, with a generic target
standing in for reports of concern and SIP needs."""

import uuid

import pytest

from samverkan.audit.models import AuditEvent
from samverkan.core.errors import NotFound, PermissionDenied, ValidationFailed
from samverkan.knowledge import selectors, services
from samverkan.knowledge.tests.conftest import GENERIC

pytestmark = pytest.mark.django_db


@pytest.fixture
def melwin(world):
    return world.children["melwin"].public_id


def test_set_and_read_tags(world, targets, melwin):
    frida = world.actor("frida")
    report = targets.add(frida.organisation_id)
    tags = services.factor_tags_set(
        actor=frida,
        target_type=GENERIC,
        target_id=report,
        child_id=melwin,
        factor_codes=["skola-franvaro", "barn-isolering", "familj-relation"],
    )
    assert {t.factor.code for t in tags} == {"skola-franvaro", "barn-isolering", "familj-relation"}
    shown = selectors.factor_tags_for(frida, target_type=GENERIC, target_ids=[report])
    assert {t.factor.code for t in shown[report]} == {t.factor.code for t in tags}
    assert shown[report][0].organisation_name == "Frejaskolan"


def test_setting_again_replaces_and_is_audited_on_the_child(world, targets, melwin):
    frida = world.actor("frida")
    report = targets.add(frida.organisation_id)
    services.factor_tags_set(
        actor=frida,
        target_type=GENERIC,
        target_id=report,
        child_id=melwin,
        factor_codes=["skola-franvaro"],
    )
    services.factor_tags_set(
        actor=frida,
        target_type=GENERIC,
        target_id=report,
        child_id=melwin,
        factor_codes=["skola-lyckas"],
    )
    shown = selectors.factor_tags_for(frida, target_type=GENERIC, target_ids=[report])
    assert [t.factor.code for t in shown[report]] == ["skola-lyckas"]
    event = AuditEvent.objects.filter(resource_type="knowledge.factortag").latest("id")
    assert event.subject_id == str(melwin)
    assert event.details == {"added": ["skola-lyckas"], "removed": ["skola-franvaro"]}
    assert event.ground_code == "own_matter"


def test_reads_return_only_the_targets_passed_in(world, targets, melwin):
    frida, lena = world.actor("frida"), world.actor("lena")
    school_report = targets.add(frida.organisation_id)
    bup_note = targets.add(lena.organisation_id)
    for actor, target, code in [
        (frida, school_report, "skola-franvaro"),
        (lena, bup_note, "barn-psykisk-ohalsa"),
    ]:
        services.factor_tags_set(
            actor=actor,
            target_type=GENERIC,
            target_id=target,
            child_id=melwin,
            factor_codes=[code],
        )
    shown = selectors.factor_tags_for(frida, target_type=GENERIC, target_ids=[school_report])
    assert list(shown) == [school_report]
    summary = selectors.factor_tags_for_child(
        frida, child_id=melwin, targets=[(GENERIC, school_report)]
    )
    names = [f.code for g in summary.groups for f in g.risks + g.protective]
    assert names == ["skola-franvaro"]  # BUP's tag is not in what Frida passed in
    assert summary.sources["skola-franvaro"] == ["Testpost"]


def test_no_targets_no_tags(world):
    frida = world.actor("frida")
    assert selectors.factor_tags_for(frida, target_type=GENERIC, target_ids=[]) == {}
    assert selectors.factor_tags_for_child(
        frida, child_id=world.children["melwin"].public_id, targets=[]
    ).empty


def test_the_targets_owner_decides(world, targets, melwin):
    report = targets.add(world.actor("frida").organisation_id)
    before = AuditEvent.objects.count()
    with pytest.raises(NotFound):
        services.factor_tags_set(
            actor=world.actor("sofia"),
            target_type=GENERIC,
            target_id=report,
            child_id=melwin,
            factor_codes=["familj-vald"],
        )
    assert AuditEvent.objects.count() == before


def test_unknown_target_type_factor_or_other_child_is_refused(world, targets, melwin):
    frida = world.actor("frida")
    report = targets.add(frida.organisation_id)
    with pytest.raises(ValidationFailed):
        services.factor_tags_set(
            actor=frida,
            target_type="unknown.record",  # no app registers this type
            target_id=report,
            child_id=melwin,
            factor_codes=["familj-vald"],
        )
    with pytest.raises(ValidationFailed):
        services.factor_tags_set(
            actor=frida,
            target_type=GENERIC,
            target_id=report,
            child_id=melwin,
            factor_codes=["finns-inte"],
        )
    services.factor_tags_set(
        actor=frida,
        target_type=GENERIC,
        target_id=report,
        child_id=melwin,
        factor_codes=["familj-vald"],
    )
    with pytest.raises(ValidationFailed):
        services.factor_tags_set(
            actor=frida,
            target_type=GENERIC,
            target_id=report,
            child_id=uuid.uuid4(),
            factor_codes=["familj-vald"],
        )


def test_anonymous_may_not_tag(targets, melwin):
    from samverkan.access.actor import ANONYMOUS

    with pytest.raises(PermissionDenied):
        services.factor_tags_set(
            actor=ANONYMOUS,
            target_type=GENERIC,
            target_id=uuid.uuid4(),
            child_id=melwin,
            factor_codes=[],
        )
    shown = selectors.factor_tags_for(ANONYMOUS, target_type=GENERIC, target_ids=[uuid.uuid4()])
    assert all(tags == [] for tags in shown.values())


def test_factor_summary_tag_renders_for_the_child_overview(world, targets, melwin):
    from django.template import Context, Template

    frida = world.actor("frida")
    report = targets.add(frida.organisation_id)
    services.factor_tags_set(
        actor=frida,
        target_type=GENERIC,
        target_id=report,
        child_id=melwin,
        factor_codes=["skola-franvaro", "familj-relation"],
    )
    summary = selectors.factor_tags_for_child(frida, child_id=melwin, targets=[(GENERIC, report)])
    html = Template("{% load knowledge %}{% factor_summary summary %}").render(
        Context({"summary": summary})
    )
    assert "Problematisk skolfrånvaro" in html and "Skyddsfaktorer" in html
    empty = selectors.factor_tags_for_child(frida, child_id=melwin, targets=[])
    html = Template("{% load knowledge %}{% factor_summary summary %}").render(
        Context({"summary": empty})
    )
    assert "Inga risk- eller skyddsfaktorer" in html


def test_summary_for_child_gathers_only_what_each_feature_lets_the_actor_see(
    world, targets, melwin
):
    frida, lena = world.actor("frida"), world.actor("lena")
    school_report = targets.add(frida.organisation_id, child_id=melwin)
    bup_note = targets.add(lena.organisation_id, child_id=melwin)
    for actor, target, code in [
        (frida, school_report, "skola-franvaro"),
        (lena, bup_note, "barn-psykisk-ohalsa"),
    ]:
        services.factor_tags_set(
            actor=actor,
            target_type=GENERIC,
            target_id=target,
            child_id=melwin,
            factor_codes=[code],
        )

    def codes(actor):
        summary = selectors.factor_summary_for_child(actor, child_id=melwin)
        return sorted(f.code for g in summary.groups for f in g.risks + g.protective)

    assert codes(frida) == ["skola-franvaro"]
    assert codes(lena) == ["barn-psykisk-ohalsa"]
    assert codes(world.actor("sofia")) == []

"""Forms on a report's page keep what was typed (issue 13 item 12): a refused action
shows the page again with the input and the reason next to the field, every id on the
page is unique, and an extension is bounded."""

from __future__ import annotations

import datetime
import re
from collections import Counter

import pytest
from django.urls import reverse

from samverkan.concerns import services
from samverkan.core.errors import ValidationFailed
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory

from .factories import report_world

pytestmark = pytest.mark.django_db

REPORT = {
    "worry": "Barnet säger att hen inte vågar gå hem.",
    "urgency": "soon",
    "guardians_informed": "no",
    "reporter_phone": "0123-456 78",
}


def _report():
    world = report_world()
    child = ChildFactory()
    InvolvementFactory(child=child, organisation=world.school)
    report = services.report_submit(
        actor=world.actor(world.teacher), personal_number=child.personal_number, **REPORT
    )
    return world, report


def test_an_extension_without_a_date_keeps_the_reason_and_says_which_field():
    world, report = _report()
    client = world.client(world.intake)
    reason = "Barnet är på sjukhus och kan inte höras förrän om tre veckor."
    response = client.post(
        reverse("concerns:extend", args=[report.public_id, "forhandsbedomning"]),
        {"reason": reason},
    )
    assert response.status_code == 200  # the page again, not a redirect that empties it
    text = response.text
    assert reason in text
    field = re.search(r'<label for="extend-new_due">Ny sista dag</label>.*?</div>', text, re.S)
    assert field and "field-error" in field.group(0)  # the message stands at its field
    assert re.search(r"<details open><summary>Förläng förhandsbedömningen", text)


def test_a_refused_closing_keeps_the_comment():
    world, report = _report()
    client = world.client(world.intake)
    response = client.post(
        reverse("concerns:close", args=[report.public_id]),
        {"outcome": "påhittat", "text": "Familjen har flyttat."},
    )
    assert response.status_code == 200
    assert "Familjen har flyttat." in response.text
    assert 'id="close-outcome"' in response.text


def test_every_id_on_a_report_page_is_unique():
    world, report = _report()
    for membership in (world.intake, world.teacher):
        page = world.client(membership).get(reverse("concerns:detail", args=[report.public_id]))
        ids = Counter(re.findall(r'\sid="([^"]+)"', page.text))
        assert [i for i, n in ids.items() if n > 1] == []
        for target in re.findall(r'<label[^>]*\sfor="([^"]+)"', page.text):
            assert ids[target] == 1, target  # every label points at exactly one field


def test_an_extension_to_2099_is_refused():
    world, report = _report()
    with pytest.raises(ValidationFailed, match="högst ett år"):
        services.preliminary_extend(
            actor=world.actor(world.intake),
            report=report,
            new_due=report.handling.preliminary_due + datetime.timedelta(days=400),
            reason="Synnerliga skäl.",
        )
    response = world.client(world.intake).post(
        reverse("concerns:extend", args=[report.public_id, "forhandsbedomning"]),
        {"new_due": "2099-12-31", "reason": "Synnerliga skäl."},
    )
    assert response.status_code == 200
    assert "Datumet måste ligga mellan" in response.text
    assert 'value="2099-12-31"' in response.text

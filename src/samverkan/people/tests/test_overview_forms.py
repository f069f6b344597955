"""The child overview's forms are loaded when their section is opened (decision 0094):
the overview itself renders no form fields, and each form comes from its own address,
on the same conditions as before, audited like the overview."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.demo.world import fictional_number
from samverkan.directory.tests.factories import MembershipFactory, actor_of
from samverkan.people import services
from samverkan.people.tests.factories import ChildFactory, InvolvementFactory

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


class _School:
    """A school with a rektor (registers) and a teacher (reads only), a pupil with an
    open matter and one guardian."""

    def __init__(self):
        self.rektor = MembershipFactory(code="rektor", organisation__org_type="skola")
        self.teacher = MembershipFactory(code="larare", organisation=self.rektor.organisation)
        today = timezone.localdate()
        self.child = ChildFactory(date_of_birth=today.replace(year=today.year - 9))
        self.matter = InvolvementFactory(child=self.child, organisation=self.rektor.organisation)
        born = today - datetime.timedelta(days=40 * 366)
        self.custody = services.guardian_add(
            actor=actor_of(self.rektor),
            child=self.child,
            data=services.GuardianInput(
                first_name="Sara",
                last_name="Berg",
                personal_number=fictional_number(born, 611),
                custody_type="gemensam",
                phone="070-123 45 67",
            ),
        )

    def client(self, membership) -> Client:
        client = Client()
        client.force_login(membership.user)
        return client

    def url(self, name, *args):
        return reverse(f"people:{name}", args=[self.child.public_id, *args])


def test_the_overview_offers_the_forms_without_rendering_them():
    school = _School()
    page = school.client(school.rektor).get(school.url("child_detail"))
    assert page.status_code == 200
    guardian = school.url("form_guardian", school.custody.guardian.public_id)
    for url in (guardian, school.url("form_guardian_add"), school.url("form_enrolment")):
        assert f'hx-get="{url}"' in page.text
        assert f'href="{url}"' in page.text  # without JavaScript: a page of its own
    assert "Rätta, avsluta eller ersätt Sara Berg" in page.text
    assert "Lägg till vårdnadshavare" in page.text
    assert "070-123 45 67" in page.text  # the guardians' table
    assert 'name="g' not in page.text  # no guardian form fields
    main = page.text.split("<main")[-1].split("</main>")[0]
    fields = re.findall(r"<(?:select|textarea)|<input(?![^>]*type=\"hidden\")", main)
    assert fields == []  # only buttons (and their hidden keys) remain on the overview


def test_opening_a_guardian_form_loads_it_filled_in_and_audits_the_read():
    school = _School()
    client = school.client(school.rektor)
    mark = AuditEvent.objects.latest("id").id
    url = school.url("form_guardian", school.custody.guardian.public_id)
    fragment = client.get(url, **HX)
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert 'value="Berg"' in fragment.text and "Spara rättelsen" in fragment.text
    assert (
        reverse(
            "people:guardian_correct",
            args=[school.child.public_id, school.custody.guardian.public_id],
        )
        in fragment.text
    )
    page = client.get(url)
    assert "<html" in page.text and "Tillbaka till" in page.text and 'value="Berg"' in page.text
    reads = AuditEvent.objects.filter(id__gt=mark, subject_id=str(school.child.public_id))
    assert reads.count() == 2


def test_a_function_that_does_not_register_gets_no_form():
    school = _School()
    client = school.client(school.teacher)
    assert client.get(school.url("child_detail")).status_code == 200
    for url in (
        school.url("form_guardian_add"),
        school.url("form_enrolment"),
        school.url("form_guardian", school.custody.guardian.public_id),
        school.url("form_involvement", school.matter.public_id, "avsluta"),
    ):
        assert client.get(url, **HX).status_code == 403, url


def test_another_organisation_without_a_ground_sees_nothing():
    school = _School()
    other = MembershipFactory(code="rektor", organisation__org_type="skola")
    client = school.client(other)
    response = client.get(school.url("form_guardian", school.custody.guardian.public_id), **HX)
    assert response.status_code == 404
    assert "Sara" not in response.text


def test_a_matter_form_needs_an_open_matter_of_ones_own():
    school = _School()
    client = school.client(school.rektor)
    url = school.url("form_involvement", school.matter.public_id, "avsluta")
    response = client.get(url, **HX)
    assert response.status_code == 200 and "Avsluta" in response.text
    assert (
        client.get(
            school.url("form_involvement", school.matter.public_id, "okand"), **HX
        ).status_code
        == 404
    )
    services.involvement_end(
        actor=actor_of(school.rektor),
        involvement_public_id=school.matter.public_id,
        reason="Flyttat",
    )
    assert client.get(url, **HX).status_code == 404

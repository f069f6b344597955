"""The administration pages in English (issue 14: "everything in Swedish", and English
complete as the second language): every page an administrator uses, in English, shows
no Swedish interface text; names people typed stay as typed. Same check as the SIP
pages (web/tests/test_english_pages.py). The world is built from the factories."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from samverkan.directory import administration
from samverkan.directory.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UnitFactory,
    actor_of,
)
from samverkan.web.tests.test_english_pages import (
    english_client,
    parse,
    swedish_ui_strings,  # noqa: F401  (a fixture)
    untranslated,
)

pytestmark = pytest.mark.django_db


def test_administration_pages_in_english_have_no_swedish_interface_text(swedish_ui_strings):  # noqa: F811
    sysadmin = MembershipFactory(
        organisation=OrganisationFactory(name="IT-enheten", org_type="annan"),
        code="systemadministrator",
    )
    school = OrganisationFactory(name="Lindskolan", password_login=True)
    unit = UnitFactory(organisation=school, name="Högstadiet")
    staff = MembershipFactory(organisation=school, unit=unit, code="kurator")
    contact = administration.contact_function_save(
        actor=actor_of(sysadmin),
        provider_organisation=school,
        served_organisation=school,
        title="Kontaktperson elevhälsa",
    )
    administration.contact_function_hand_over(
        actor=actor_of(sysadmin),
        contact_function=contact,
        membership=staff,
        from_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    org = f"/administration/organisation/{school.public_id}"
    urls = [
        "/administration/",
        "/administration/huvudman/ny/",
        f"/administration/huvudman/{school.principal.public_id}/",
        "/administration/organisation/ny/",
        f"{org}/",
        f"{org}/andra/",
        f"{org}/enhet/ny/",
        f"{org}/enhet/{unit.public_id}/",
        f"{org}/funktion/ny/",
        f"{org}/personal/ny/",
        f"{org}/personal/{staff.public_id}/",
        f"{org}/kontaktfunktion/ny/",
        f"{org}/kontaktfunktion/{contact.public_id}/",
        f"{org}/kontaktfunktion/{contact.public_id}/andra/",
        "/administration/import/",
        "/administration/import/?kind=staff",
    ]
    client = english_client(sysadmin.user)
    pages = {url: parse(client.get(url)) for url in urls}
    left = {url: untranslated(page, swedish_ui_strings) for url, page in pages.items()}
    assert not any(left.values()), "\n".join(f"{u}: {t}" for u, t in left.items() if t)
    assert all(page.html_lang == "en" for page in pages.values())
    organisation_page = [t for _, t in pages[f"{org}/"].texts]
    assert "Lindskolan" in " ".join(organisation_page)  # a typed name, as typed

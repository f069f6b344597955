"""The catalogue's editing pages: who sees and may send which form, the proposal beside
the version in force, a refused input shown again (422) with a Swedish error naming the
field, the one-time key, the history page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samverkan.directory.middleware import SESSION_KEY
from samverkan.directory.tests.factories import MembershipFactory
from samverkan.legal import history
from samverkan.legal.models import CatalogueChange, ChangeStatus

pytestmark = pytest.mark.django_db

NEW = reverse("legal:change_new") + "?grund=care_under_18"


def _client(membership) -> Client:
    client = Client()
    client.force_login(membership.user)
    session = client.session
    session[SESSION_KEY] = membership.pk
    session.save()
    return client


@pytest.fixture
def clients():
    history.record()
    jurist = MembershipFactory(code="kommunjurist")
    org = jurist.organisation
    return {
        "jurist": _client(jurist),
        "other": _client(MembershipFactory(code="kommunjurist", organisation=org)),
        "strategist": _client(MembershipFactory(code="strategigrupp", organisation=org)),
        "teacher": _client(MembershipFactory(code="larare", organisation=org)),
    }


def _form(client) -> dict:
    page = client.get(NEW).content.decode()
    fields = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', page))
    for name, text in re.findall(
        r'<textarea[^>]*name="(\w+)"[^>]*>\n?(.*?)</textarea>', page, re.S
    ):
        fields[name] = text.replace("&gt;", ">").replace("&amp;", "&").replace("&#x27;", "'")
    fields.pop("csrfmiddlewaretoken", None)
    return fields


def _propose(client, **changes):
    form = {**_form(client), "reason": "Ny lydelse.", **changes}
    return client.post(NEW, form), form


def test_a_proposal_is_shown_beside_the_version_in_force_and_approved_by_another(clients):
    response, _form_sent = _propose(clients["strategist"], name="Vård och socialtjänst, barn")
    assert response.status_code == 302
    change = CatalogueChange.objects.get()
    page = clients["other"].get(response["Location"]).content.decode()
    assert "Hälso- och sjukvård och socialtjänst om ett barn under 18 år" in page  # before
    assert "Vård och socialtjänst, barn" in page  # after
    assert "Spara beslutet" in page
    key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
    url = reverse("legal:change_review", args=[change.public_id])
    form = {
        "submission_key": key,
        "decision": "approve",
        "review_reason": "Stämmer med lagen.",
        "applies_from": change.applies_from.isoformat(),
    }
    assert clients["other"].post(url, form).status_code == 302
    again = clients["other"].post(url, form, follow=True)
    assert "redan skickats" in again.content.decode()
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED
    history_page = clients["teacher"].get(reverse("legal:history")).content.decode()
    assert change.resulting_version.version in history_page
    assert "Stämmer med lagen." in history_page


def test_the_proposer_is_not_offered_the_review_and_is_refused_it(clients):
    response, _sent = _propose(clients["jurist"], name="Ett annat namn")
    change = CatalogueChange.objects.get()
    page = clients["jurist"].get(response["Location"]).content.decode()
    assert "Spara beslutet" not in page and "Du har själv föreslagit" in page
    url = reverse("legal:change_review", args=[change.public_id])
    refused = clients["jurist"].post(url, {"decision": "approve", "review_reason": "Ok."})
    assert refused.status_code == 403
    change.refresh_from_db()
    assert change.status == ChangeStatus.PROPOSED


def test_who_may_see_the_editing_pages(clients):
    assert clients["teacher"].get(reverse("legal:changes")).status_code == 404
    assert clients["teacher"].get(NEW).status_code == 404
    assert clients["teacher"].get(reverse("legal:history")).status_code == 200
    assert clients["other"].get(NEW).status_code == 200
    # The strategy group may propose, not review.
    _propose(clients["strategist"], name="Nytt")
    change = CatalogueChange.objects.get()
    url = reverse("legal:change_review", args=[change.public_id])
    assert clients["strategist"].post(url, {"decision": "approve"}).status_code == 404
    assert (
        clients["teacher"].get(reverse("legal:change", args=[change.public_id])).status_code == 404
    )
    assert Client().get(reverse("legal:history")).status_code == 302


def test_a_refused_input_is_shown_again_with_the_field_named(clients):
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response, _form_sent = _propose(
        clients["jurist"],
        name="Mitt nya namn",
        statutes="OSL 25:12 → OSL 25:12",
        applies_from=yesterday,
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Lagrum: Lagrummet ”OSL 25:12” har inte formen" in page
    assert "Mitt nya namn" in page  # nothing lost
    response, _sent = _propose(clients["jurist"], name="Mitt nya namn", applies_from=yesterday)
    assert response.status_code == 422
    assert "det som redan har gällt ändras aldrig" in response.content.decode()
    assert not CatalogueChange.objects.exists()


def test_the_english_name_is_shown_in_english(clients):
    response, _sent = _propose(
        clients["strategist"],
        name_en="Health care and social services, child under 18",
        applies_from=timezone.localdate().isoformat(),
    )
    change = CatalogueChange.objects.get()
    page = clients["other"].get(response["Location"]).content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
    clients["other"].post(
        reverse("legal:change_review", args=[change.public_id]),
        {"submission_key": key, "decision": "approve", "review_reason": "Ok."},
    )
    clients["teacher"].cookies["django_language"] = "en"
    english = clients["teacher"].get(reverse("legal:catalogue")).content.decode()
    assert "Health care and social services, child under 18" in english

"""Errors a person meets (issue 13 item 15): Swedish error pages in the site's layout,
with a way back and the request id (the same id as in the logs), rendered with
DEBUG=False as in production; 403 for a refusal that reveals nothing about a record,
404 where existence itself is secret (docs/security.md); the CSRF failure page; form
errors in plain Swedish that name the field."""

from __future__ import annotations

import logging

import pytest
from django import forms
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

from samverkan.directory.tests.factories import MembershipFactory, OrganisationFactory
from samverkan.people.tests.factories import ChildFactory
from samverkan.web import errors


def _boom(request):
    raise RuntimeError("something broke")


# The main urlconf's pages plus a view that fails, with the main urlconf's handlers.
from samverkan.config.urls import handler404, handler500  # noqa: E402, F401

urlpatterns = [
    path("test-boom/", _boom),
    path("", include("samverkan.config.urls")),
]


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def _staff(code="kurator", **org):
    client = Client()
    membership = MembershipFactory(code=code, organisation=OrganisationFactory(**org))
    client.force_login(membership.user)
    return client, membership


def _assert_layout(response, request_id=None):
    text = response.content.decode()
    assert '<html lang="sv">' in text
    assert "Hoppa till huvudinnehållet" in text  # the site's own layout
    assert 'href="/"' in text  # a way back to the start page
    request_id = request_id or response["X-Request-ID"]
    assert request_id in text
    return text


@pytest.mark.django_db
def test_an_unknown_address_gives_a_swedish_404():
    response = Client().get("/finns-inte-alls/", headers={"X-Request-ID": "lb-err-404-aa"})
    assert response.status_code == 404
    text = _assert_layout(response, "lb-err-404-aa")
    assert "Sidan finns inte" in text
    assert "Not Found" not in text


@pytest.mark.django_db
def test_another_organisations_child_is_a_404_that_reveals_nothing():
    child = ChildFactory()
    client, _ = _staff()
    response = client.get(f"/barn/{child.public_id}/")
    assert response.status_code == 404
    text = _assert_layout(response)
    assert child.first_name not in text
    assert child.personal_number not in text


@pytest.mark.django_db
def test_a_page_the_function_may_not_use_is_a_403_that_says_why():
    # A kurator has no loggkontroll: the page's existence is no secret, so 403.
    client, _ = _staff("kurator")
    response = client.get("/logg/")
    assert response.status_code == 403
    text = _assert_layout(response)
    assert "Du har inte behörighet" in text
    assert "tillgång till loggkontroll" in text  # the reason names what is refused
    assert "/roll/" in text  # another role may have it


@pytest.mark.django_db
def test_a_server_error_gives_a_swedish_500_with_the_request_id_in_the_log(settings, caplog):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.INFO):
        response = client.get("/test-boom/", headers={"X-Request-ID": "lb-err-500-bb"})
    assert response.status_code == 500
    text = _assert_layout(response, "lb-err-500-bb")
    assert "Något gick fel" in text
    assert "Server Error" not in text
    logged = [r.msg for r in caplog.records if isinstance(r.msg, dict)]
    assert any(m.get("status") == 500 and m.get("request_id") == "lb-err-500-bb" for m in logged)


@pytest.mark.django_db
def test_the_500_page_renders_without_the_database():
    request = RequestFactory().get("/")
    request.request_id = "no-database-1"
    with CaptureQueriesContext(connection) as queries:
        response = errors.server_error(request)
    assert response.status_code == 500
    assert len(queries) == 0
    assert "no-database-1" in response.content.decode()


@pytest.mark.django_db
def test_a_failed_csrf_check_gives_a_swedish_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/logga-in/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    text = _assert_layout(response)
    assert "Formuläret kunde inte skickas" in text
    assert "CSRF verification failed" not in text


# Form errors -------------------------------------------------------------------------


class _Example(forms.Form):
    personnummer = forms.CharField(label="Barnets personnummer")
    question = forms.CharField(label="Vilket barn gäller det?")
    urgency = forms.ChoiceField(label="Brådska", choices=[("normal", "Normal")])
    meeting_on = forms.DateField(label="Mötesdag")
    count = forms.IntegerField(label="Antal")
    email = forms.EmailField(label="E-post")
    agree = forms.BooleanField(label="Jag har läst informationen")
    own = forms.CharField(label="Eget", error_messages={"required": "Ett eget meddelande."})


def test_required_fields_are_named_in_plain_swedish():
    form = _Example(data={})
    assert not form.is_valid()
    assert form.errors["personnummer"] == ["Skriv barnets personnummer."]
    assert form.errors["question"] == ["Skriv svaret på ”Vilket barn gäller det?”."]
    assert form.errors["urgency"] == ["Välj brådska."]
    assert form.errors["meeting_on"] == ["Ange mötesdag."]
    assert form.errors["agree"] == ["Kryssa i ”Jag har läst informationen”."]
    assert form.errors["own"] == ["Ett eget meddelande."]  # a form's own message stays


def test_invalid_values_say_how_to_write_them():
    form = _Example(
        data={
            "urgency": "hemlig",
            "meeting_on": "14/3",
            "count": "tre",
            "email": "inte-en-adress",
        }
    )
    assert not form.is_valid()
    assert form.errors["urgency"] == ["Välj ett av alternativen."]
    assert "ÅÅÅÅ-MM-DD" in form.errors["meeting_on"][0]
    assert form.errors["count"] == ["Skriv ett heltal med siffror, till exempel 3."]
    assert "namn@kommun.se" in form.errors["email"][0]
    assert form.cleaned_data == {}  # nothing valid but nothing lost either: data kept
    assert form["meeting_on"].value() == "14/3"


@pytest.mark.django_db
def test_the_public_report_form_says_which_field_is_missing():
    response = Client().post("/anmalan/privatperson/", {"urgency": "normal"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Skriv vilket barn det gäller." in text
    assert "Detta fält måste fyllas i" not in text


@pytest.mark.django_db
def test_a_body_over_the_bound_is_refused_with_a_swedish_413_before_it_is_read(settings):
    """Decision 0290: a body larger than bounds.REQUEST_BODY_BYTES gets the 413 page in
    the site's layout, and no view or middleware has read it (the one-time key of the
    form is not claimed)."""
    from django.apps import apps

    from samverkan.core import bounds

    Submission = apps.get_model("core", "Submission")

    client, _ = _staff()
    big = b"a" * (bounds.REQUEST_BODY_BYTES + 1)
    response = client.generic(
        "POST",
        "/anmalan/ny/",
        big,
        content_type="application/x-www-form-urlencoded",
        headers={"X-Request-ID": "lb-err-413-aa"},
    )
    assert response.status_code == 413
    text = _assert_layout(response, "lb-err-413-aa")
    assert "Det du skickade är för stort" in text and "3 MB" in text
    assert not Submission.objects.exists()
    # A body within the bound is the view's to answer as before.
    fine = client.post("/anmalan/ny/", {"worry": "a" * 1_000_000})
    assert fine.status_code == 200

"""The password login page under bad input: a user name of a megabyte or with a NUL
character is refused with the page's message, and the failed attempt is still in the
audit log (PostgreSQL stores no NUL in text, and django-axes keeps the attempted name in
a 255-character column; both answered 500 before)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client

AuditEvent = apps.get_model("audit", "AuditEvent")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username", ["x" * 1_000_000, "före\x00efter"], ids=["a megabyte", "a NUL character"]
)
def test_a_bad_user_name_is_refused_and_the_attempt_is_logged(username):
    before = AuditEvent.objects.filter(action="login_failed").count()
    response = Client().post("/logga-in/", {"username": username, "password": "fel"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Inloggningen misslyckades" in page
    assert "Användarnamn:" in page  # the reason, at the field it is about
    rows = AuditEvent.objects.filter(action="login_failed")
    assert rows.count() == before + 1
    logged = rows.order_by("-id").first().details["username"]
    assert len(logged) <= 150 and "\x00" not in logged

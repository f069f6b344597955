"""The printable consent form: rendered by WeasyPrint from the same template, pre-filled
with the consent's whole scope, and every print audited."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from samverkan.consent.models import InformationCategory, Purpose


def pdf_text(response) -> str:
    """The PDF's text, with whitespace (and line breaks inside names) normalised."""
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def test_form_contains_the_consents_scope(login, melwin, melwin_consent, audit_since):
    response = login("karin").get(f"/samtycken/{melwin_consent.public_id}/formular.pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'inline; filename="samtycke-{melwin_consent.short_id}.pdf"'
    )
    text = pdf_text(response)

    assert "Samtycke till att uppgifter lämnas mellan verksamheter" in text
    assert "Melwin Andersson" in text
    assert melwin.personal_number_display in text
    for party in ("Frejaskolan", "Elevhälsan Frejaskolan", "Socialtjänsten barn och familj", "BUP"):
        assert party in text
    categories = InformationCategory.objects.filter(consents=melwin_consent)
    purposes = Purpose.objects.filter(consents=melwin_consent)
    assert {c.name for c in categories} == {
        "Skolsituation och närvaro",
        "Hälsa",
        "Social situation och familj",
        "Insatser",
    }
    for name in [c.name for c in categories] + [p.name for p in purposes]:
        assert name in text, name
    assert "Samordnad individuell plan (SIP)" in text
    assert "Samverkansträff" in text
    assert "Inga uppgifter om syskonens skolgång." in text  # what it must not cover
    assert f"{melwin_consent.valid_from:%Y-%m-%d}" in text
    assert f"{melwin_consent.valid_until:%Y-%m-%d}" in text
    assert "Frivilliga råd- och stödinsatser" in text  # the context it was given in
    # Melwin is 14: his views, and a line for his own signature.
    assert "Barnets egna synpunkter" in text
    assert "Melwin vill att skolan och BUP pratar med varandra" in text
    assert "Melwin Andersson (barnet/den unge)" in text
    # The parents, as Elevhälsan (which holds the original) recorded them.
    assert "Anna Andersson (vårdnadshavare" in text
    assert "Johan Andersson (vårdnadshavare" in text
    assert "Elevhälsan Frejaskolan" in text

    row = audit_since(action="print").get()
    assert (row.actor_username, row.outcome) == ("karin", "allowed")
    assert (row.resource_type, row.resource_id) == (
        "consent.consent",
        str(melwin_consent.public_id),
    )
    assert row.subject_id == str(melwin.public_id)
    assert row.ground_reference == str(melwin_consent.public_id)


def test_form_for_a_younger_child_has_no_line_for_the_child(login, ebba, give):
    consent = give(["BUP"], exclusions="Inget om mammans hälsa.")
    text = pdf_text(login("frida").get(f"/samtycken/{consent.public_id}/formular.pdf"))
    assert "Ebba Exempelsson" in text
    assert "Inget om mammans hälsa." in text
    assert "Skolsituation och närvaro" in text and "Insatser" in text
    assert "Samverkansträff" in text
    assert "Sara Exempelsson (vårdnadshavare" in text
    assert "Barnets egna synpunkter" not in text
    assert "(barnet/den unge)" not in text


def test_a_party_printing_on_the_consent_is_audited_on_it(login, melwin_consent, audit_since):
    response = login("sofia").get(f"/samtycken/{melwin_consent.public_id}/formular.pdf")
    assert response.status_code == 200
    row = audit_since(action="print").get()
    assert (row.actor_username, row.ground_code, row.ground_reference) == (
        "sofia",
        "consent",
        str(melwin_consent.public_id),
    )


@pytest.mark.parametrize("username", ["viktor", "gustav"])
def test_printing_without_access_is_refused_and_audited(
    login, melwin, melwin_consent, audit_since, username
):
    response = login(username).get(f"/samtycken/{melwin_consent.public_id}/formular.pdf")
    assert response.status_code == 404
    assert not response.content.startswith(b"%PDF")
    assert "Melwin" not in response.content.decode()
    row = audit_since(action="print").get()
    assert (row.actor_username, row.outcome, row.ground_code) == (username, "denied", "")

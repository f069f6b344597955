"""The PDFs the service prints are tagged PDFs (structure tree, language, title), so a
screen reader can read them (WCAG 2.1 and EN 301 549 apply to documents too)."""

import io

from django.apps import apps
from django.urls import reverse
from pypdf import PdfReader


def _assert_tagged(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "sv"
    assert reader.metadata.title


def test_the_consent_form_is_a_tagged_pdf(world, login):
    consent = apps.get_model("consent", "Consent").objects.get(child=world.children["melwin"])
    _assert_tagged(login("karin").get(reverse("consent:form_pdf", args=[consent.public_id])))


def test_the_plan_is_a_tagged_pdf(world, login):
    plan = apps.get_model("plans", "Plan").objects.filter(child=world.children["melwin"]).first()
    assert plan is not None, "the demo world has Melwin's SIP"
    _assert_tagged(login("lena").get(reverse("plans:pdf", args=[plan.public_id])))

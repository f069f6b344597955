"""What leaves the plan: the PDF, the FHIR CarePlan, reminders to the coordinator, the
start page block; and the query counts of the pages."""

import datetime
import io
import json

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.careplan import CarePlan
from pypdf import PdfReader

from samverkan.audit.models import AuditEvent
from samverkan.plans import services
from samverkan.plans.models import Plan, Reminder


def test_pdf_has_the_plan_and_is_an_audited_print(login, plan):
    response = login("lena").get(reverse("plans:pdf", args=[plan.public_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for expected in (
        "Samordnad individuell plan",
        "Melwin Andersson",
        "Neuropsykiatrisk utredning",
        "Samir Haddad",
        "Jag vill att ni pratar med varandra",
        "Föräldrarna har gått hela gruppen",
    ):
        assert expected in text, expected
    event = AuditEvent.objects.filter(resource_id=str(plan.public_id), action="print").latest("id")
    assert event.actor_username == "lena" and event.ground_code == "consent"


def test_fhir_care_plan_validates(api, plan):
    response = api("sofia").get(f"/api/plans/{plan.public_id}/fhir")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    data = json.loads(response.content)
    care_plan = CarePlan.model_validate(data)  # raises if not a valid R4(B) CarePlan
    assert care_plan.status == "active" and care_plan.intent == "plan"
    assert data["subject"]["identifier"]["value"] == plan.child.personal_number
    titles = {a["detail"]["description"] for a in data["activity"]}
    assert "Neuropsykiatrisk utredning" in titles
    statuses = {a["detail"]["description"]: a["detail"]["status"] for a in data["activity"]}
    assert statuses["Föräldrastöd i grupp"] == "completed"
    kinds = {r["resourceType"] for r in data["contained"]}
    assert {"Organization", "Goal", "CareTeam"} <= kinds
    event = AuditEvent.objects.filter(resource_id=str(plan.public_id), action="export").latest("id")
    assert event.actor_username == "sofia" and event.ground_code == "consent"


def test_fhir_of_a_plan_just_called(world):
    from samverkan.plans import fhir, selectors

    plan = services.plan_start(
        actor=world.actor("karin"),
        child=world.children["melwin"],
        called_organisation_ids=[world.organisations["BUP"].pk],
        purpose="Syfte",
        question="Fråga",
    )
    resource = fhir.care_plan(selectors.plan_get(world.actor("karin"), plan.public_id))
    assert resource.status == "draft"


def test_reminders_via_the_sweep(world, plan):
    assert Reminder.objects.filter(plan=plan).count() == 0
    out = io.StringIO()
    call_command("sweep", stdout=out)
    assert "SIP: 1 påminnelser om uppföljning, 0 frister för första mötet lagda." in out.getvalue()
    assert Reminder.objects.get(plan=plan).follow_up_on == plan.follow_up_on
    assert services.plans_sweep()["reminders"] == 0  # once per plan and date
    # A plan whose follow-up is far away is not reminded yet.
    Plan.objects.filter(pk=plan.pk).update(
        follow_up_on=timezone.localdate() + datetime.timedelta(days=30)
    )
    assert services.plans_sweep()["reminders"] == 0


def test_coordinator_start_page_block(login, plan, django_assert_max_num_queries):
    Plan.objects.filter(pk=plan.pk).update(
        follow_up_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    client = login("samir")
    with django_assert_max_num_queries(21):
        response = client.get(reverse("plans:home_card"))
    assert "SIP-uppföljningar du samordnar" in response.text
    assert "försenad" in response.text and "Melwin Andersson" in response.text
    home = client.get(reverse("web:home"))
    assert reverse("plans:home_card") in home.text
    # Others see nothing there.
    assert "SIP-uppföljningar" not in login("karin").get(reverse("plans:home_card")).text


def test_plan_pages_pinned_query_counts(login, world, plan, django_assert_max_num_queries):
    client = login("sofia")
    limits = {
        reverse("plans:detail", args=[plan.public_id]): 33,
        reverse("plans:edit", args=[plan.public_id]): 34,
        reverse("plans:index"): 19,
        reverse("plans:child_plans", args=[plan.child.public_id]): 46,
    }
    for url, limit in limits.items():
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200, url


def test_lists_grow_by_a_fixed_amount_per_plan(login, world, plan, django_assert_max_num_queries):
    """The sharing facts are loaded once per child; each further plan of the same child
    costs a fixed three queries (the consent's category and purpose look-ups)."""
    services.plan_start(
        actor=world.actor("karin"),
        child=world.children["melwin"],
        called_organisation_ids=[world.organisations["Socialtjänsten barn och familj"].pk],
        purpose="Syfte",
        question="Fråga",
    )
    client = login("sofia")
    with django_assert_max_num_queries(19 + 3):
        assert client.get(reverse("plans:index")).status_code == 200

"""Every knowledge page renders, shows its empty state, and has a pinned number of
queries that does not grow with the number of rows."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from samverkan.knowledge import selectors, services
from samverkan.knowledge.models import CompetencePlan, Event

pytestmark = pytest.mark.django_db

PAGES = [
    ("knowledge:index", []),
    ("knowledge:search", []),
    ("knowledge:introduction", []),
    ("knowledge:actor_list", []),
    ("knowledge:actor_detail", ["socialtjanst"]),
    ("knowledge:actor_detail", ["forsakringskassan"]),
    ("knowledge:actor_history", ["skola"]),
    ("knowledge:concept_list", []),
    ("knowledge:concept_detail", ["samsyn"]),
    ("knowledge:factor_list", []),
    ("knowledge:factor_detail", ["skola-franvaro"]),
    ("knowledge:method_list", []),
    ("knowledge:method_detail", ["motescirkeln"]),
    ("knowledge:suggestion_list", []),
    ("knowledge:suggestion_detail", ["aterkoppla"]),
    ("knowledge:checklist", []),
    ("knowledge:checklist_print", []),
    ("knowledge:event_list", []),
    ("knowledge:competence_list", []),
]


@pytest.mark.parametrize("who", ["frida", "sofia", "lena", "admin"])
@pytest.mark.parametrize(("name", "args"), PAGES)
def test_pages_render_for_every_role(login, who, name, args):
    response = login(who).get(reverse(name, args=args))
    assert response.status_code == 200
    assert 'aria-current="page">Kunskap<' in response.text


def test_event_and_competence_detail_pages(login, world):
    client = login("frida")
    for event in Event.objects.all():
        assert (
            client.get(reverse("knowledge:event_detail", args=[event.public_id])).status_code == 200
        )
    for plan in CompetencePlan.objects.all():
        url = reverse("knowledge:competence_detail", args=[plan.public_id])
        assert client.get(url).status_code == 200


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("knowledge:concept_list"))
    assert response.status_code == 302 and "/logga-in/" in response["Location"]


def test_unknown_entry_is_404(login):
    assert (
        login("frida").get(reverse("knowledge:concept_detail", args=["finns-inte"])).status_code
        == 404
    )


def test_empty_states(login):
    Event.objects.all().delete()
    CompetencePlan.objects.all().delete()
    client = login("karin")
    assert "Din checklista är tom" in client.get(reverse("knowledge:checklist")).text
    events = client.get(reverse("knowledge:event_list")).text
    assert "Inga kommande mötesplatser" in events and "Inga tidigare tillfällen" in events
    assert (
        "Ingen organisation har någon kompetensplan"
        in client.get(reverse("knowledge:competence_list")).text
    )
    nothing = client.get(reverse("knowledge:search"), {"q": "xyzzyqq"}).text
    assert "Inget i kunskapsstödet matchar" in nothing
    assert "Skriv ett eller flera ord" in client.get(reverse("knowledge:search")).text
    no_contacts = client.get(reverse("knowledge:actor_detail", args=["arbetsformedlingen"])).text
    assert "finns inte i kommunens katalog" in no_contacts


# Pinned query counts (session, user, actor and the page's own reads). Measured on the
# demo world; the second half of the test adds rows and asserts the count stays put.
QUERY_LIMITS = {
    ("knowledge:index", ()): 10,
    ("knowledge:search", ()): 7,
    ("knowledge:introduction", ()): 19,
    ("knowledge:actor_list", ()): 8,
    ("knowledge:concept_list", ()): 7,
    ("knowledge:factor_list", ()): 7,
    ("knowledge:method_list", ()): 7,
    ("knowledge:suggestion_list", ()): 7,
    ("knowledge:checklist", ()): 9,
    ("knowledge:event_list", ()): 12,
    ("knowledge:competence_list", ()): 8,
    ("knowledge:actor_detail", ("socialtjanst",)): 11,
    ("knowledge:concept_history", ("sip",)): 8,
}


def _more_rows(world):
    admin = world.actor("admin")
    start = timezone.now() + datetime.timedelta(days=3)
    for n in range(4):
        event = services.event_create(
            actor=admin,
            title=f"Extra tillfälle {n}",
            kind="seminarium",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
            invited_organisation_ids=[world.organisations["Frejaskolan"].pk],
        )
        services.event_register(actor=world.actor("frida"), event_id=event.public_id)
        services.entry_create(
            actor=admin, kind_code="concept", data={"term": f"Extra {n}", "definition": "Test."}
        )
        plan = services.competence_plan_create(actor=admin, period=f"20{40 + n}")
        services.competence_item_add(actor=admin, plan_id=plan.public_id, topic="Extra")
        services.checklist_item_add(actor=world.actor("frida"), text=f"Egen punkt {n}")
    sip = selectors.entry_get("concept", "sip")
    for n in range(3):
        sip = services.entry_update(
            actor=admin,
            kind_code="concept",
            entry_id=sip.public_id,
            data={"explanation": f"{sip.explanation} Tillägg {n}."},
            expected_version=sip.version,
        )


@pytest.mark.parametrize(("name", "args"), list(QUERY_LIMITS))
def test_query_counts_are_pinned(login, world, django_assert_max_num_queries, name, args):
    client = login("frida")
    url = reverse(name, args=args)
    limit = QUERY_LIMITS[(name, args)]
    with django_assert_max_num_queries(limit):
        assert (
            client.get(url, {"q": "skolan"} if name.endswith("search") else None).status_code == 200
        )
    _more_rows(world)
    with django_assert_max_num_queries(limit):
        assert (
            client.get(url, {"q": "skolan"} if name.endswith("search") else None).status_code == 200
        )


def test_term_tag_links_to_the_glossary_with_an_accessible_title(django_assert_num_queries):
    request = RequestFactory().get("/")
    template = Template(
        '{% load knowledge %}{% term "SIP" %} {% term "förhandsbedömning" "bedömningen" %} '
        '{% term "Gråzon" %} {% term "okänt ord" %}'
    )
    with django_assert_num_queries(1):
        html = template.render(Context({"request": request}))
    assert (
        '<a class="term" lang="sv" href="/kunskap/begrepp/sip/" '
        'title="SIP – Samordnad individuell plan: ' in html
    )
    assert ">bedömningen</a>" in html
    assert 'href="/kunskap/begrepp/graszon/"' in html
    assert "okänt ord" in html and html.count("<a ") == 3


def test_start_page_links_to_the_introduction(login):
    page = login("frida").get(reverse("web:home")).text
    assert reverse("knowledge:introduction") in page
    assert reverse("knowledge:index") in page


def test_actor_card_for_later_features():
    html = Template('{% load knowledge %}{% actor_card "bup" %}').render(Context({}))
    assert "Barn- och ungdomspsykiatrin (BUP)" in html and "SIP:" in html
    assert Template('{% load knowledge %}{% actor_card "nope" %}').render(Context({})).strip() == ""

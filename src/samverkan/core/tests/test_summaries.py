"""Summaries never cut a word or a sentence in the middle, and what they leave out is
one keyboard press away (the start page for newcomers, search hits, the actor list)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from samverkan.core.summaries import summarise
from samverkan.directory.tests.factories import MembershipFactory, OrganisationFactory
from samverkan.knowledge.models import ActorProfile

MISSION = (
    "Skolan ska främja elevernas utveckling och lärande, t.ex. genom anpassningar. "
    "Elevhälsan arbetar förebyggande och hälsofrämjande. "
    "Rektorn ansvarar för att skolan anmäler oro till socialtjänsten utan dröjsmål, "
    "och för att personalen vet hur det går till."
)


def test_a_text_that_fits_is_whole():
    found = summarise("  Kort   text. ", 50)
    assert (found.short, found.cut) == ("Kort text.", False)


def test_a_long_text_ends_after_a_whole_sentence_not_at_an_abbreviation():
    found = summarise(MISSION, 140)
    assert found.cut
    assert found.short == (
        "Skolan ska främja elevernas utveckling och lärande, t.ex. genom anpassningar. "
        "Elevhälsan arbetar förebyggande och hälsofrämjande."
    )
    assert found.full == MISSION


def test_a_first_sentence_longer_than_the_limit_ends_at_a_whole_word():
    found = summarise("Anmälningsskyldigheten gäller alla som arbetar med barn och unga.", 30)
    assert found.short == "Anmälningsskyldigheten gäller…"
    assert summarise("Ett ord" + "x" * 40, 10).short.endswith("…")


@pytest.mark.django_db
def test_the_introduction_shows_whole_sentences_and_the_whole_mission_on_request():
    ActorProfile.objects.filter(directory_type="skola").update(mission=MISSION * 3)
    member = MembershipFactory(code="larare", organisation=OrganisationFactory(org_type="skola"))
    client = Client()
    client.force_login(member.user)
    page = client.get("/kunskap/introduktion/").content.decode()
    shown = re.search(r'<div lang="sv">(.*?) <details class="more">', page, re.S)
    assert shown, "the mission is shortened with the whole text in a <details>"
    assert shown.group(1).endswith(".") and "…" not in shown.group(1)
    details = re.search(r'<details class="more"><summary>(.*?)</summary><p>(.*?)</p>', page, re.S)
    assert details.group(1) == "Läs hela texten"
    assert details.group(2).count("utan dröjsmål") == 3

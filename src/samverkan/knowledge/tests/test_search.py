"""Full-text search in Swedish across all shared knowledge. The same LIKE-based
matching runs on SQLite and PostgreSQL."""

import pytest

from samverkan.knowledge import selectors, services

pytestmark = pytest.mark.django_db


def titles(query, **kwargs):
    return [hit.title for hit in selectors.search(query, **kwargs)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("anmälan", "Orosanmälan"),
        ("anmälningar", "Anmälningsskyldighet"),
        ("ANMÄLNINGAR", "Anmälningsskyldighet"),
        ("skolan", "Skolan"),
        ("skolor", "Skolan"),
        ("föräldrarna", "Psykisk sjukdom hos förälder"),
        ("förälder", "Missbruk hos förälder"),
        ("återkopplingen", "Återkoppling"),
        ("gråzoner", "Gråzon"),
        ("förhandsbedömningen", "Förhandsbedömning"),
        ("mötescirkeln", "Mötescirkeln"),
        ("kuratorn", "Skolsocial kartläggning"),
        ("frånvaron", "Problematisk skolfrånvaro"),
        ("BBIC", "Barns behov i centrum"),
        ("SIP", "Samordnad individuell plan"),
        ("försäkringskassan", "Försäkringskassan"),
    ],
)
def test_inflected_swedish_words_find_the_right_entry(query, expected):
    assert expected in titles(query)


def test_every_word_must_match():
    hits = titles("våld familjen")
    assert "Våld i familjen" in hits
    assert "Orosanmälan" not in hits


def test_title_matches_rank_first():
    assert titles("återkoppling")[0] == "Återkoppling"
    assert titles("samtycke")[0] == "Samtycke"


def test_query_without_a_ring_or_umlauts_still_finds_the_word():
    assert "Återkoppling" in titles("aterkoppling")
    assert "Anmälningsskyldighet" in titles("anmalningsskyldighet")


def test_filter_by_type():
    hits = selectors.search("skolan", entry_type="actor")
    assert hits and {h.entry_type for h in hits} == {"actor"}


def test_no_hits_and_empty_query():
    assert titles("xyzzyqq") == []
    assert titles("   ") == []


def test_edited_text_is_searchable_at_once(world):
    concept = selectors.entry_get("concept", "graszon")
    services.entry_update(
        actor=world.actor("admin"),
        kind_code="concept",
        entry_id=concept.public_id,
        data={"explanation": concept.explanation + " Kallas ibland ansvarsglapp."},
        expected_version=concept.version,
    )
    assert "Gråzon" in titles("ansvarsglappen")


def test_events_are_searchable():
    assert "Mötesplats skola och socialtjänst" in titles("mötesplatsen socialtjänsten")

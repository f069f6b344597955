"""The Swedish normaliser: inflections share a root, å/ä/ö and case are handled."""

import unicodedata

import pytest

from samverkan.knowledge import text

# It does not use the configured database (pure Python):
# CI runs it once (decision 0358).
pytestmark = pytest.mark.db_independent


@pytest.mark.parametrize(
    "forms",
    [
        "anmälan anmälningar anmälning anmäla",
        "skolan skolor skola skolans skolorna",
        "föräldrarna förälder föräldrar föräldrarnas föräldern",
        "barn barnen barnet barns barnens",
        "samverkan samverka samverkat",
        "insatser insats insatsen insatserna",
        "samtycke samtycket samtycken",
        "frånvaro frånvaron",
        "utredning utredningen utredningar utreda",
        "elevhälsa elevhälsan elevhälsans",
        "förskola förskolan förskolor förskolorna",
        "mötescirkel mötescirkeln",
        "kurator kuratorn kuratorer",
        "skyddsfaktor skyddsfaktorer skyddsfaktorerna",
        "vårdnadshavare vårdnadshavaren vårdnadshavarna",
    ],
)
def test_inflections_share_one_root(forms):
    assert len({text.root(word) for word in forms.split()}) == 1


def test_case_and_unicode_composition_do_not_matter():
    decomposed = unicodedata.normalize("NFD", "Återkoppling")
    assert decomposed != "Återkoppling"
    assert text.root(decomposed) == text.root("återkoppling") == text.root("ÅTERKOPPLING")


def test_a_ring_and_umlauts_are_kept_apart_from_plain_letters():
    # "får" (gets) and "far" (father/goes) are different words.
    assert text.root("får") != text.root("far")


def test_index_text_is_space_delimited_roots():
    stored = text.index_text("Skolan och föräldrarna")
    assert stored.startswith(" ") and stored.endswith(" ")
    assert f" {text.root('skolor')} " in stored
    assert text.root_matches(stored, text.root("förälder"))


def test_folded_query_detection():
    assert text.needs_fold("anmalan")
    assert not text.needs_fold("anmälan")

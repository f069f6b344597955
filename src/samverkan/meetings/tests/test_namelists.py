"""The name lists shipped in meetings/data/names_sv.json are exactly what the locked
Faker and spylls build (nothing typed by hand, nothing stale)."""

import pytest

from samverkan.meetings import namelists

# It does not use the configured database (data files):
# CI runs it once (decision 0358).
pytestmark = pytest.mark.db_independent


def test_data_file_is_what_the_build_makes():
    built = namelists.build()
    shipped = namelists.load()
    assert shipped == built
    assert len(shipped["first_names"]) > 900 and len(shipped["surnames"]) == 500
    assert {"sson", "berg"} <= set(shipped["surname_suffixes"])
    # Names that are also ordinary words, so "Per vecka" is not a finding.
    assert {"per", "dag", "björk"} <= set(shipped["ordinary_words"])
    assert "anna" not in shipped["ordinary_words"]

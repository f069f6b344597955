"""An inbox item's heading is its kind's label, read in the reader's language on the
inbox page and in e-mail: every kind's label is marked for translation, and a kind
registered with a plain Swedish label is refused when the app starts."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.functional import Promise

from samverkan.notify import inbox

# It does not use the configured database (data files):
# CI runs it once (decision 0358).
pytestmark = pytest.mark.db_independent


def test_a_plain_label_is_refused():
    with pytest.raises(ImproperlyConfigured, match="not marked for translation"):
        inbox.register("test.plain", label="Händelse att göra", resolve=lambda actor, items: {})
    assert inbox.kind("test.plain") is None


def test_every_registered_kind_reads_in_english():
    kinds = dict(inbox._kinds)
    assert len(kinds) > 20
    with translation.override("sv"):
        swedish = {code: inbox.label(code) for code in kinds}
    with translation.override("en"):
        english = {code: inbox.label(code) for code in kinds}
    assert all(isinstance(kind.label, Promise) for kind in kinds.values())
    same = sorted(code for code in kinds if swedish[code] == english[code])
    assert not same, f"labels without an English text: {same}"
    assert english["concerns.intake"] == "New report of concern at intake"

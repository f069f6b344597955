"""The English catalogue is complete: every string marked for translation in the code and
the templates has a reviewed English text (docs/i18n.md).

The strings are extracted afresh from the package's current files with the repository's
`makemessages`, in a scratch copy (the tree is not touched), so a string added without
its translation fails here and the message lists it. Needs GNU gettext (xgettext); it is
skipped without it locally and fails when CI is set, as the browser tests do."""

import os
import re
import shutil

import pytest

from samverkan.web.i18n import catalogue

# It does not use the configured database (the catalogues and makemessages):
# CI runs it once (decision 0358).
pytestmark = pytest.mark.db_independent


@pytest.fixture(scope="module")
def fresh_catalogue():
    if not shutil.which("xgettext"):
        if os.environ.get("CI"):
            pytest.fail("GNU gettext (xgettext) is missing: apt-get install gettext")
        pytest.skip("GNU gettext (xgettext) is not installed")
    return catalogue.extract_fresh()


def test_every_english_entry_is_translated_and_reviewed(fresh_catalogue):
    untranslated, fuzzy = catalogue.pending(fresh_catalogue)
    assert not untranslated and not fuzzy, catalogue.report(untranslated, fuzzy)


def test_translations_keep_the_placeholders(fresh_catalogue):
    """An English text that uses a %(name)s the Swedish does not have fails at run time."""

    placeholder = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")
    wrong = []
    for entry in fresh_catalogue:
        wanted = {m.group(0) for m in placeholder.finditer(entry.msgid + entry.msgid_plural)}
        for text in entry.msgstr.values():
            got = {m.group(0) for m in placeholder.finditer(text)}
            if text and got - wanted:
                wrong.append(f"{entry.describe()} -> {text!r}")
    assert not wrong, "\n".join(wrong)


def test_the_compiled_catalogue_matches_the_po():
    """Django reads the .mo: every translation in the .po is in it (run
    `samverkan translations compile` after editing the .po, and commit both)."""
    import gettext

    po = catalogue.PACKAGE_DIR / catalogue.CATALOGUE
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    stale = []
    for entry in catalogue.parse(po.read_text("utf-8")):
        if entry.fuzzy or entry.untranslated:
            continue
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural:
            found = [compiled.get((key, n)) for n in sorted(entry.msgstr)]
            wanted = [entry.msgstr[n] for n in sorted(entry.msgstr)]
        else:
            found, wanted = compiled.get(key), entry.msgstr[0]
        if found != wanted:
            stale.append(entry.describe())
    assert not stale, "django.mo is not compiled from django.po for:\n" + "\n".join(stale)


def test_the_data_file_texts_are_up_to_date():
    """web/i18n/data_texts.py (what makemessages sees of the data files) is generated from
    the current data files: run `samverkan translations update` after changing one."""
    from samverkan.web.i18n import datatexts

    assert datatexts.GENERATED.read_text("utf-8") == datatexts.module_source(), (
        "web/i18n/data_texts.py is stale: run `samverkan translations update`"
    )

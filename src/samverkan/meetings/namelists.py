"""The name lists the de-identification check (``deidentify``) uses, shipped as a data
file (``data/names_sv.json``) and rebuilt from two well-kept PyPI packages:

- **Faker** (MIT licence), provider ``person.sv_SE``: the 500 most common female and
  male first names in Sweden (Institutet för språk och folkminnen, Isof, name
  statistics) and the 500 most common surnames (Skatteverket's statistics).
- **spylls** (MIT licence), Hunspell in Python, with the Swedish dictionary it ships
  (Göran Andersson's "Den stora svenska ordlistan", SFOL, the one LibreOffice uses;
  LGPL-3.0): which of those names are also ordinary lower-case Swedish words ("Per",
  "Klara", "Björk", "Dag"), so that the check does not flag "Per vecka" or "Dag för
  dag" at the start of a sentence. Compounds do not count.

From the surnames it also derives the commonest four-letter endings ("-sson",
"-berg", "-ström", ...): surname *patterns* that catch surnames outside the list.

Nothing is typed by hand. Rebuild after upgrading Faker or spylls (both are
development dependencies; production only reads the JSON file)::

    uv run python -m samverkan.meetings.namelists

A test (``tests/test_namelists.py``) checks that the file is what this builds.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "names_sv.json"
SUFFIX_LENGTH = 4
SUFFIX_MIN_SURNAMES = 15


def _dictionary_path() -> Path:
    import spylls.hunspell

    return Path(spylls.hunspell.__file__).parent / "data" / "sv" / "sv_SE"


def build() -> dict:
    """The lexicon from the installed Faker and hunspell-sv (development only)."""
    from faker.providers.person.sv_SE import Provider
    from spylls.hunspell import Dictionary

    dictionary = Dictionary.from_files(str(_dictionary_path()))
    first = sorted(set(Provider.first_names_female) | set(Provider.first_names_male))
    last = sorted(set(Provider.last_names))
    words = sorted({n.casefold() for n in [*first, *last] if _ordinary(dictionary, n.casefold())})
    endings = Counter(n[-SUFFIX_LENGTH:].casefold() for n in last if len(n) > SUFFIX_LENGTH)
    suffixes = sorted(e for e, count in endings.items() if count >= SUFFIX_MIN_SURNAMES)
    return {
        "sources": {
            "first_names": "Faker person.sv_SE (MIT): Isof, namnstatistik (topp 500 per kön)",
            "surnames": "Faker person.sv_SE (MIT): Skatteverket, vanligaste efternamnen (topp 500)",
            "ordinary_words": "spylls (MIT) med SFOL, svensk ordlista (LGPL-3.0)",
        },
        "first_names": first,
        "surnames": last,
        "ordinary_words": words,
        "surname_suffixes": suffixes,
    }


def _ordinary(dictionary, word: str) -> bool:
    """A lower-case word of the dictionary or an inflection of one; compounds (which
    Hunspell builds freely: "kar" + "in") do not count."""
    aff, dic = dictionary.aff, dictionary.dic
    if aff.FORBIDDENWORD and dic.has_flag(word, aff.FORBIDDENWORD, for_all=True):
        return False  # e.g. "lindgren": listed only to be refused in lower case
    forms = dictionary.lookuper.good_forms(word, capitalization=False, compound_forms=False)
    return next(iter(forms), None) is not None


@cache
def load() -> dict:
    with DATA.open(encoding="utf-8") as handle:
        return json.load(handle)


def main() -> None:  # pragma: no cover - a build step
    DATA.parent.mkdir(exist_ok=True)
    DATA.write_text(json.dumps(build(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {DATA}")


if __name__ == "__main__":  # pragma: no cover
    main()

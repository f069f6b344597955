"""The catalogue of legal grounds: the file is valid and holds the grounds the law gives;
an invalid one is refused with its reasons; each ground's directions, categories, ages
and dates; the history answers a past date; docs/legal.md is generated from it."""

from __future__ import annotations

import copy
import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from samverkan.legal import catalogue, docs, history

D = datetime.date


def test_the_catalogue_file_is_valid_and_holds_the_grounds_of_the_issue():
    data = catalogue.from_file()
    assert {g.code for g in data.grounds} >= {
        "consent",
        "duty_to_report",
        "feedback_statutory",
        "feedback_whitelist",
        "care_under_18",
        "social_to_police_under_21",
        "serious_crime_to_police",
        "general_clause",
    }
    general = data.get("general_clause")
    assert general.effective_from == D(2025, 12, 1)
    assert general.judgement and general.balancing
    assert "10 kap. 15 a §" in general.statute_text
    # Old and new law side by side on the duty to report (SoL 2001:453 and 2025:400).
    duty = data.get("duty_to_report").statutes[0]
    assert "2001:453" in duty.old and "2025:400" in duty.new and duty.verify


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["grounds"][0].pop("statutes"), "statutes"),
        (lambda d: d["grounds"][1]["directions"][0].update({"to": ["polisen"]}), "polisen"),
        (lambda d: d["grounds"][1].update({"effective_to": "2001-01-01"}), "effective_to"),
        (lambda d: d["grounds"][0].update({"balancing": True}), "judgement"),
        (lambda d: d["grounds"][2].update({"code": "consent"}), "samma kod"),
        (lambda d: d["grounds"][1].update({"effective_from": "1 juli"}), "date"),
    ],
)
def test_an_invalid_catalogue_is_refused_with_its_reason(change, message):
    data = copy.deepcopy(catalogue.read_file())
    change(data)
    with pytest.raises(ImproperlyConfigured, match=message):
        catalogue.parse(data)


AT = D(2026, 6, 1)


@pytest.mark.parametrize(
    ("code", "from_type", "to_type", "category", "day", "age", "kinds", "allowed"),
    [
        # Consent: any direction between the ordinary organisations, never to the police.
        ("consent", "skola", "socialtjanst", "halsa", AT, 10, ("kommun", "kommun"), True),
        ("consent", "skola", "polis", "halsa", AT, 10, ("kommun", "stat"), False),
        # The duty to report goes only to social services, with its categories.
        ("duty_to_report", "skola", "socialtjanst", "social_situation", AT, 10, ("", ""), True),
        ("duty_to_report", "socialtjanst", "skola", "social_situation", AT, 10, ("", ""), False),
        ("duty_to_report", "skola", "socialtjanst", "insatser", AT, 10, ("", ""), False),
        # Health care and social services, both ways, under 18 only; not a school.
        ("care_under_18", "bup", "socialtjanst", "halsa", AT, 17, ("", ""), True),
        ("care_under_18", "socialtjanst", "bup", "halsa", AT, 17, ("", ""), True),
        ("care_under_18", "bup", "socialtjanst", "halsa", AT, 18, ("", ""), False),
        ("care_under_18", "skola", "socialtjanst", "halsa", AT, 10, ("", ""), False),
        # Social services to the police, under 21, one way only.
        ("social_to_police_under_21", "socialtjanst", "polis", "insatser", AT, 20, ("", ""), True),
        ("social_to_police_under_21", "socialtjanst", "polis", "insatser", AT, 21, ("", ""), False),
        ("social_to_police_under_21", "polis", "socialtjanst", "insatser", AT, 16, ("", ""), False),
        ("social_to_police_under_21", "skola", "polis", "insatser", AT, 16, ("", ""), False),
        # Serious crimes against a child: to the police, any category.
        ("serious_crime_to_police", "skola", "polis", "halsa", AT, 9, ("", ""), True),
        ("serious_crime_to_police", "skola", "bup", "halsa", AT, 9, ("", ""), False),
        # The general clause: from 2025-12-01, only between authorities.
        (
            "general_clause",
            "skola",
            "polis",
            "halsa",
            D(2025, 11, 30),
            9,
            ("kommun", "stat"),
            False,
        ),
        ("general_clause", "skola", "polis", "halsa", D(2025, 12, 1), 9, ("kommun", "stat"), True),
        ("general_clause", "skola", "socialtjanst", "halsa", AT, 9, ("privat", "kommun"), False),
    ],
)
def test_each_grounds_directions_categories_ages_and_dates(
    code, from_type, to_type, category, day, age, kinds, allowed
):
    verdict = catalogue.from_file().permits(
        code,
        from_type=from_type,
        to_type=to_type,
        category=category,
        at=day,
        age=age,
        from_kind=kinds[0],
        to_kind=kinds[1],
    )
    assert verdict.allowed is allowed, verdict.reason
    assert bool(verdict.reason) is not allowed


def test_a_refusal_before_the_effective_date_says_from_when():
    verdict = catalogue.from_file().permits(
        "general_clause", from_type="skola", to_type="polis", category="halsa",
        at=D(2025, 11, 30), age=9,
    )  # fmt: skip
    assert verdict.reason == (
        "Generalklausul för utlämnande mellan myndigheter gäller först från 2025-12-01."
    )


def _next_version(data: dict) -> dict:
    """A later version: the general clause's paragraph renumbered (as a jurist might)
    and the feedback whitelist ended."""
    data = copy.deepcopy(data)
    data["version"] = "2027-01-01"
    data["adopted_on"] = "2027-01-01"
    for ground in data["grounds"]:
        if ground["code"] == "general_clause":
            ground["statutes"][0]["new"] = (
                "Offentlighets- och sekretesslag (2009:400) 10 kap. 2 b §"
            )
        if ground["code"] == "feedback_whitelist":
            ground["effective_to"] = "2026-12-31"
    return data


@pytest.mark.django_db
def test_the_history_answers_which_rules_applied_on_a_past_date():
    history.record()
    history.record(_next_version(catalogue.read_file()))

    version, grounds = history.as_of(D(2025, 11, 30))
    codes = {g.code for g in grounds}
    assert version.version == catalogue.from_file().version
    assert "general_clause" not in codes and "consent" in codes

    version, grounds = history.as_of(D(2025, 12, 1))
    assert "general_clause" in {g.code for g in grounds}
    assert "10 kap. 15 a §" in version.get("general_clause").statute_text

    version, grounds = history.as_of(D(2027, 3, 1))
    assert version.version == "2027-01-01"
    assert version.get("general_clause").statute_text.endswith("10 kap. 2 b §")
    assert "feedback_whitelist" not in {g.code for g in grounds}


@pytest.mark.django_db
def test_a_changed_text_under_an_unchanged_version_is_refused():
    history.record()
    changed = copy.deepcopy(catalogue.read_file())
    changed["grounds"][0]["summary"] = "En annan text."
    with pytest.raises(ValueError, match="utan ny versionsbeteckning"):
        history.record(changed)
    assert history.version(catalogue.from_file().version).get("consent").summary != "En annan text."


def test_docs_legal_md_matches_the_catalogue():
    text = docs.LEGAL_MD.read_text(encoding="utf-8")
    assert docs.current(text) == docs.section(), "run: uv run samverkan legal doc --write"
    for ground in catalogue.from_file().grounds:
        assert f"`{ground.code}`" in text
        assert ground.statutes[0].new in text

"""Every check that runs a regular expression over user text finishes 1 MB of
adversarial input within a fixed CPU budget (issue 13: a quadratic e-mail pattern in
the de-identification check kept a worker busy for minutes on 100 kB).

Forms and schemas bound the length of every field, so 1 MB never reaches these
functions in the product; the budget proves that the functions themselves are linear
(or bounded), so no bound is ever the only thing standing between a user and a hung
worker. CPU time of this process is measured, not wall time, so a busy machine does
not make the test flaky; the inputs are the shapes that make backtracking patterns
explode (long runs without the character a pattern waits for, many almost-matches).
"""

from __future__ import annotations

import contextlib
import random
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.text import slugify

from samverkan.core import middleware
from samverkan.core.errors import ValidationFailed
from samverkan.knowledge import diff
from samverkan.knowledge import text as knowledge_text
from samverkan.meetings import deidentify
from samverkan.people import identity

BUDGET_SECONDS = 1.0
SIZE = 1_000_000


def _fill(unit: str) -> str:
    return (unit * (SIZE // len(unit) + 1))[:SIZE]


def _mixed() -> str:
    pieces = [
        "Anna ", "Lindqvist ", "a@", "(at) ", "snabel-a ", "7B ", "2012-03-15 ", "15/3 ",
        "070-", "123 45 ", "Björkvägen ", "12 ", "årskurs 8 ", "14 år ", "rymde ", "-", ".",
        "\n", "å", "0", " ",
    ]  # fmt: skip
    rng = random.Random(13)
    out, size = [], 0
    while size < SIZE:
        piece = rng.choice(pieces)
        out.append(piece)
        size += len(piece)
    return "".join(out)[:SIZE]


ADVERSARIAL = {
    "letters": _fill("a"),
    "words": _fill("a "),
    "digits": _fill("1"),
    "spaced digits": _fill("1 "),
    "almost e-mail": _fill("a@"),
    "dotted": _fill("a."),
    "hyphen chain": _fill("a-"),
    "obfuscated at": _fill("(at) "),
    "newlines": _fill("\n"),
    "names": _fill("Anna Lindqvist "),
    "classes": _fill("7B "),
    "dates": _fill("född 2012-03-15 "),
    "long local part": _fill("a") + "@",
    "mixed": _mixed(),
}


def _quietly(check):
    """The check, with its refusal (the expected answer to most of these inputs)."""

    def run(value):
        with contextlib.suppress(ValidationFailed, ValidationError):
            check(value)

    return run


_email = EmailValidator()
CHECKS = {
    "de-identification (meetings.deidentify.check)": lambda s: deidentify.check(
        s, person_names=["Melwin", "Andersson"], unit_names=["Familjecentralen 0–12"]
    ),
    "knowledge search index (knowledge.text.index_text)": knowledge_text.index_text,
    "knowledge search query (knowledge.text.query_terms)": knowledge_text.query_terms,
    "knowledge history tokens (knowledge.diff)": diff._TOKENS.findall,
    "knowledge slugs (django slugify)": lambda s: slugify(knowledge_text.fold(s)),
    "personnummer (people.identity.parse)": _quietly(identity.parse),
    "request id (core.middleware)": middleware._VALID_ID.match,
    "e-mail fields (django EmailValidator)": _quietly(_email),
}


@pytest.mark.parametrize("check", CHECKS, ids=list(CHECKS))
def test_each_text_check_is_linear_on_a_megabyte(check):
    slow = {}
    for name, value in ADVERSARIAL.items():
        started = time.process_time()
        CHECKS[check](value)
        spent = time.process_time() - started
        if spent > BUDGET_SECONDS:
            slow[name] = round(spent, 2)
    assert slow == {}, f"{check} over {BUDGET_SECONDS} s on 1 MB: {slow}"

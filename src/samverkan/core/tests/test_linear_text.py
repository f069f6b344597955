"""Every check that runs a regular expression over user text finishes 1 MB of
adversarial input within a fixed CPU budget (issue 13: a quadratic e-mail pattern in
the de-identification check kept a worker busy for minutes on 100 kB).

Forms and schemas bound the length of every field, so 1 MB never reaches these
functions in the product; the budget proves that the functions themselves are linear
(or bounded), so no bound is ever the only thing standing between a user and a hung
worker. CPU time of this process is measured, not wall time, so a busy machine does
not make the test flaky; the inputs are the shapes that make backtracking patterns
explode (long runs without the character a pattern waits for, many almost-matches).

Two conditions, so that neither a slow machine nor a pattern that is only a little
superlinear passes or fails by chance: each check stays within ``BUDGET_SECONDS`` of
CPU on 1 MB (a quadratic pattern needs minutes there: the one of issue 13 took 6.5 s
on 20 kB), and where it takes long enough to measure (``MEASURABLE_SECONDS``), a
quarter of the input costs at least a sixth of the whole (linear: a quarter; quadratic:
a sixteenth), measured in the same run.
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

# It does not use the configured database (pure Python):
# CI runs it once (decision 0358).
pytestmark = pytest.mark.db_independent

BUDGET_SECONDS = 3.0
MEASURABLE_SECONDS = 0.2
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


def _cpu_seconds(check, value: str) -> float:
    started = time.process_time()
    check(value)
    return time.process_time() - started


@pytest.mark.parametrize("check", CHECKS, ids=list(CHECKS))
def test_each_text_check_is_linear_on_a_megabyte(check):
    slow, superlinear = {}, {}
    for name, value in ADVERSARIAL.items():
        whole = _cpu_seconds(CHECKS[check], value)
        if whole > BUDGET_SECONDS:
            slow[name] = round(whole, 2)
        elif whole > MEASURABLE_SECONDS:
            quarter = _cpu_seconds(CHECKS[check], value[: SIZE // 4])
            if quarter * 6 < whole:
                superlinear[name] = f"{quarter:.2f} s on 250 kB, {whole:.2f} s on 1 MB"
    assert slow == {}, f"{check} over {BUDGET_SECONDS} s of CPU on 1 MB: {slow}"
    assert superlinear == {}, f"{check} grows faster than the text: {superlinear}"

"""A service's refusal names the field it is about (``DomainError(field=...)``); a view
that puts it above the form instead (``form.add_error(None, exc.message)``) loses that,
and the form fuzz then finds a form refused without naming a field (issue 13: the
portal's consent restriction). Views show a refusal with ``core.forms.add_domain_error``,
which puts it at the field when the form has one, and above the form otherwise."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import samverkan

# It does not use the configured database (reads the source):
# CI runs it once (decision 0358).
pytestmark = pytest.mark.db_independent

# ``except DomainError as exc:`` (or a subclass) whose first line puts the refusal above
# the form whatever field it names.
_ABOVE = re.compile(
    r"except \(?[\w, ]*(?:DomainError|ValidationFailed)[\w, ]*\)? as (\w+):\n"
    r"\s+\w+\.add_error\(None, \1\.message\)"
)


def test_no_view_puts_a_refusal_that_names_a_field_above_the_form():
    root = Path(samverkan.__file__).parent
    found = [
        f"{path.relative_to(root)}:{text[: m.start()].count(chr(10)) + 1}"
        for path in sorted(root.rglob("*.py"))
        if "tests" not in path.parts
        for text in [path.read_text(encoding="utf-8")]
        for m in _ABOVE.finditer(text)
    ]
    assert not found, "use core.forms.add_domain_error: " + ", ".join(found)


def test_the_check_finds_a_refusal_put_above_the_form():
    code = "    except DomainError as exc:\n        form.add_error(None, exc.message)\n"
    assert _ABOVE.search(code)
    assert not _ABOVE.search(code.replace("form.add_error(None, exc.message)", "pass"))

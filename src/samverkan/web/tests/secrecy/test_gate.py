"""The gate (issue 11): views and the API reach personal data only through the
selectors and the disclosure pipeline (``access.pipeline``). A view that guards personal
data with a raw permission code (``actor.has_perm(...)``), or that calls an unfiltered
``system_*`` selector, reaches around the policy; this test fails on any new one.

There are no exceptions: a view that needs a permission that guards no personal data
(the directory's administration pages, who may give a contact function a new holder)
asks its app's policies module (``directory.policies``), so the scan needs no list of
exemptions that could hide a new check.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import samverkan

# It does not use the configured database (reads the source):
# CI runs it once (decision 0358).
pytestmark = pytest.mark.db_independent

ROOT = Path(samverkan.__file__).parent
RAW_PERMISSION = re.compile(r"\.has_perm\(")
SYSTEM_SELECTOR = re.compile(r"\bsystem_\w+")

KNOWN_EXCEPTIONS: dict = {}  # must stay empty (issue 11)


def _view_modules() -> list[Path]:
    paths = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue
        if "management" in relative.parts:
            continue
        name = path.stem
        # views.py, api.py and every module of views beside them (plan_views.py,
        # chronology_views.py, contact_views.py, ...)
        if name == "api" or name.endswith("views") or relative.parts[0] in {"web", "config"}:
            paths.append(path)
    return paths


def _findings() -> dict[tuple[str, str], list[int]]:
    found: dict[tuple[str, str], list[int]] = {}
    for path in _view_modules():
        relative = str(path.relative_to(ROOT))
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for kind, pattern in (("has_perm", RAW_PERMISSION), ("system_", SYSTEM_SELECTOR)):
                if pattern.search(line):
                    found.setdefault((relative, kind), []).append(number)
    return found


def test_the_scan_finds_views_and_apis():
    names = {str(p.relative_to(ROOT)) for p in _view_modules()}
    assert {"plans/views.py", "plans/api.py", "consent/views.py", "people/api.py"} <= names
    assert {
        "plans/meeting_views.py",
        "people/chronology_views.py",
        "portal/plan_views.py",
        "portal/contact_views.py",
        "governance/survey_views.py",
        "legal/edit_views.py",
    } <= names


def test_no_view_or_api_guards_personal_data_with_a_raw_permission_or_system_selector():
    found = _findings()
    unexpected = {k: v for k, v in found.items() if k not in KNOWN_EXCEPTIONS}
    assert not unexpected, (
        "Views and API modules must ask access.pipeline (may_list, disclose) or their "
        f"app's selectors, not has_perm or system_* selectors: {unexpected}"
    )


def test_there_are_no_exceptions():
    """The gate holds without exemptions, and the scan would find a raw check."""
    assert KNOWN_EXCEPTIONS == {}
    assert RAW_PERMISSION.search('if actor.has_perm("directory.manage"):')
    assert SYSTEM_SELECTOR.search("child = people_selectors.system_child(child_id)")
    assert not SYSTEM_SELECTOR.search("policies.is_system_admin(actor)")


# Single-record reads go through access.pipeline.disclose_one (decide, audit, a typed
# result); policy.authorize is the pipeline's own building block.
AUTHORIZE = re.compile(r"\bpolicy\.authorize\(")
# Views and API modules ask their app's selectors or the pipeline, never the policy.
POLICY_IN_VIEW = re.compile(r"\bpolicy\.(decide|decide_each|visible|authorize|record)\(")
# Templates show links and forms by values decided for them (the context's ``may``, a
# view's ``may_*``), never by a permission code.
TEMPLATE_PERMISSION = re.compile(r"actor\.permissions|\bperms\.|has_perm")


def _modules_outside_access() -> list[Path]:
    return [
        p
        for p in ROOT.rglob("*.py")
        if p.relative_to(ROOT).parts[0] != "access" and "tests" not in p.relative_to(ROOT).parts
    ]


def test_single_record_reads_go_through_the_pipeline():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _modules_outside_access()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if AUTHORIZE.search(line)
    ]
    assert not found, f"use access.pipeline.disclose_one instead of policy.authorize: {found}"


def test_views_do_not_ask_the_policy_themselves():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _view_modules()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if POLICY_IN_VIEW.search(line)
    ]
    assert not found, f"views ask selectors or access.pipeline: {found}"


def test_templates_test_no_permission_codes():
    templates = list(ROOT.rglob("templates/**/*.html"))
    assert len(templates) > 50
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in templates
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if TEMPLATE_PERMISSION.search(line)
    ]
    assert not found, f"templates get decided values (context 'may', view 'may_*'): {found}"


def test_the_template_scan_would_find_a_permission_check():
    line = "{% if 'people.view' in actor.permissions %}<a href='/barn/'>Barn</a>{% endif %}"
    assert TEMPLATE_PERMISSION.search(line)
    assert AUTHORIZE.search("decision = policy.authorize(actor, 'read', report)")


# "May this pass between organisations now?" is asked through ``access.passing`` (every
# caller names who reads a refusal); the consent app answers it and registers the
# answer. Only the consent app's sharing module (which defines and explains it) and its
# app config (which registers it) name ``decide_sharing``.
# (A name in a docstring's ``code`` is prose, not a call.)
DECIDE_SHARING = re.compile(r"\bdecide_sharing\b(?!`)")
DECIDE_SHARING_HOMES = {"consent/sharing.py", "consent/apps.py"}


def test_sharing_is_decided_only_through_the_access_layer():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _modules_outside_access()
        if str(path.relative_to(ROOT)) not in DECIDE_SHARING_HOMES
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if DECIDE_SHARING.search(line)
    ]
    assert not found, f"ask access.passing.decide / decide_each, not decide_sharing: {found}"
    registered = (ROOT / "consent/apps.py").read_text()
    assert "passing.register(decide=sharing.decide_sharing" in registered


def test_the_sharing_scan_would_find_a_direct_call():
    assert DECIDE_SHARING.search("decision = sharing.decide_sharing(")
    assert DECIDE_SHARING.search("from samverkan.consent.sharing import decide_sharing")


# Every text shown to another organisation about whether a consent holds passes the one
# gate ``access.explain.for_viewer`` (through ``consent.sharing.explain``/``status``):
# the rules engine's full account (who revoked, which guardian is missing, that a
# matter changed character) is read only where it is gated or kept for its holder.
FULL_ACCOUNT = re.compile(r"\.full_account\b")
FULL_ACCOUNT_READERS = {
    "consent/sharing.py": "explain() gates it through access.explain.for_viewer",
    "consent/policies.py": "the reason of an allowed read (a covering consent's own dates)",
    "consent/services.py": "the consent's event, shown by history_for only to its holders",
}


def test_the_full_account_of_a_consent_is_read_only_where_it_is_gated():
    found = {
        str(path.relative_to(ROOT))
        for path in _modules_outside_access()
        if FULL_ACCOUNT.search(path.read_text())
    }
    assert found - set(FULL_ACCOUNT_READERS) == set(), (
        "show a consent's coverage through consent.sharing.explain/status "
        f"(access.explain.for_viewer), not its full account: {found - set(FULL_ACCOUNT_READERS)}"
    )
    assert set(FULL_ACCOUNT_READERS) <= found, "a listed reader no longer reads it"
    sharing_module = (ROOT / "consent/sharing.py").read_text()
    assert sharing_module.count("explanations.for_viewer(") >= 2  # explain and status

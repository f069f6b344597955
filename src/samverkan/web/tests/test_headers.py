"""Security headers on every page, and templates that keep the Content-Security-Policy
workable: no inline scripts, event-handler attributes or style attributes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import samverkan

PACKAGE = Path(samverkan.__file__).resolve().parent


def _directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (p.strip() for p in policy.split(";"))
        if part
    }


@pytest.mark.parametrize("path", ["/logga-in/", "/tillganglighet/", "/healthz"])
def test_public_responses_carry_the_headers(db, client, path):
    response = client.get(path)
    csp = _directives(response)
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'none'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["form-action"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_pages_with_personal_data_are_not_stored(world, login):
    response = login("frida").get(f"/barn/{world.children['melwin'].public_id}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "Content-Security-Policy" in response


def test_logout_clears_what_the_browser_kept(world, login):
    response = login("frida").post("/logga-ut/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_api_docs_use_local_files(world, login):
    # /api/docs from the app's own static files (ninja in INSTALLED_APPS), which the
    # policy allows; the CDN version would be blocked.
    response = login("frida").get("/api/docs")
    assert response.status_code == 200
    assert "cdn." not in response.text
    assert "/static/ninja/swagger-ui-bundle.js" in response.text


def test_htmx_is_configured_for_the_policy(world, login):
    text = login("frida").get("/").text
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", text).group(1)
    assert '"includeIndicatorStyles": false' in config  # would inject a <style>
    assert '"allowEval": false' in config
    assert '"allowScriptTags": false' in config


# Templates ---------------------------------------------------------------------------------

# Rendered only by WeasyPrint into a PDF, never served as a page: a Content-Security-
# Policy does not apply there, and print layout needs its own <style>.
PDF_ONLY = re.compile(r"_pdf\.html$")

FORBIDDEN = {
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "<style> element": re.compile(r"<style[\s>]", re.I),
    "event-handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: address": re.compile(r"javascript:", re.I),
    "inline script": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I),
    "htmx hx-on": re.compile(r"\shx-on", re.I),
}


def _templates():
    for path in sorted(PACKAGE.glob("*/templates/**/*.html")):
        if not PDF_ONLY.search(path.name):
            yield path


def test_there_are_templates_to_check():
    assert len(list(_templates())) > 20


@pytest.mark.parametrize("kind", sorted(FORBIDDEN))
def test_templates_have_nothing_the_policy_would_block(kind):
    pattern = FORBIDDEN[kind]
    found = [
        f"{path.relative_to(PACKAGE)}:{text.count(chr(10), 0, match.start()) + 1}"
        for path in _templates()
        for text in [path.read_text(encoding="utf-8")]
        for match in pattern.finditer(text)
    ]
    assert not found, f"{kind} in templates (blocked by the Content-Security-Policy): {found}"

"""axe-core in the page, WCAG 2.1 A and AA rules only.

axe-core itself comes from the axe-playwright-python package (it ships axe.min.js; see
docs/decisions/0020-axe-core-from-pypi.md); nothing is downloaded at run time. It is
evaluated by Playwright over the DevTools protocol, in a browser context opened with
``bypass_csp=True`` so that the product's strict Content Security Policy cannot get in
the way of the checker. The other browser tests run with the policy enforced.
"""

from __future__ import annotations

from axe_playwright_python.base import AXE_SCRIPT

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


def install(context) -> None:
    """Make axe-core available in every page the context opens (before the page's own
    scripts run, so it costs one parse per page and no request)."""
    context.add_init_script(script=AXE_SCRIPT)


def settle(page) -> None:
    """Wait until the page and the htmx fragments it loads on its own are in place.
    htmx issues hx-trigger="load" requests while it processes the document, before the
    load event, and marks each element with htmx-request until its swap is done."""
    page.wait_for_function(
        "() => document.readyState === 'complete' && "
        "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def open_all_details(page) -> None:
    """Open every <details>, so the forms folded inside them are checked too."""
    page.locator("details:not([open])").evaluate_all("els => els.forEach(e => e.open = true)")


def violations(page) -> list[dict]:
    """The WCAG 2.1 A/AA violations axe-core finds in the page as it is now."""
    return page.evaluate("(options) => axe.run(document, options)", OPTIONS)["violations"]


def report(found: dict[str, list[dict]]) -> str:
    """A readable list: page, rule, impact, and each offending element."""
    lines = []
    for where, items in found.items():
        for v in items:
            lines.append(f"{where}: {v['id']} ({v['impact']}): {v['help']} – {v['helpUrl']}")
            for node in v["nodes"][:5]:
                html = " ".join(node["html"].split())[:200]
                lines.append(f"    {', '.join(map(str, node['target']))}: {html}")
                if node.get("failureSummary"):
                    summary = " ".join(node["failureSummary"].split())[:300]
                    lines.append(f"      {summary}")
            if len(v["nodes"]) > 5:
                lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)

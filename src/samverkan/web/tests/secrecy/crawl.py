"""Crawling every page (the URL conf) and every API GET operation (the OpenAPI
document) with a world's ids, and finding planted markers in what comes back: in the
body (a PDF's or a workbook's text, not only its bytes) and in the headers."""

from __future__ import annotations

import io
import re

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

PREFIX = "Qxzq"  # never in Swedish text, the product's chrome or a UUID
# Pages that end the session or are not pages (served files, metrics).
SKIP_ROUTES = ("logga-ut", "metrics", "static/", "i18n/")


# Markers in directory data (a unit's name, public on the catalogue): the crawl does not
# count them; the log extract to a guardian checks them itself.
DIRECTORY_MARKERS = frozenset({"Socialunit"})

# Which of the world's ids a route's parameter takes where its name does not say (the
# longest matching prefix decides: ``strategi/<plan_id>/`` is a strategy plan, not a
# SIP). A parameter named after an id (``plan_id`` -> ``plan``) takes that id; any other
# (an organisation, a unit, a membership: directory data) the child's id, so that every
# page is still requested once.
ROUTE_IDS = {
    "barn/": {"public_id": "child"},
    "kunskap/motesplatser/": {"public_id": "event"},
    "kunskap/checklista/": {"item_id": "checklist_item"},
    "strategi/": {"plan_id": "strategy", "report_id": "follow_up"},
    "strategi/enkater/": {"survey_id": "survey"},
    "logg/utdrag/": {"public_id": "extract"},
    "inkorg/": {"item_id": "inbox_item"},
    "forum/atgard/": {"action_id": "action"},
    "anmalan/": {"meeting_id": "report_meeting"},
    "concerns/": {"concern_id": "report"},
    "barn/<uuid:public_id>/vardnadshavare/<uuid:guardian_id>/eidas/": {"link_id": "eidas"},
}

# Ids a parameter takes besides its own: a report's pages are requested for the school's
# report and for the earlier report from another municipality.
ALSO_IDS = {"report": ("earlier_report",)}
# Routes that serve another format by a query string: requested with it too.
QUERIES = {"barn/<uuid:public_id>/kronologi/": ("?format=pdf",)}


def marker(field: str) -> str:
    return f"{PREFIX}{field}"


_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def _routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _choices(route: str, name: str, ids: dict) -> list:
    prefixes = sorted((p for p in ROUTE_IDS if route.startswith(p)), key=len, reverse=True)
    for prefix in prefixes:
        key = ROUTE_IDS[prefix].get(name)
        if key is not None:
            return [ids.get(key, ids["child"]), *_also(key, ids)]
    key = name.removesuffix("_id")
    return [ids[key] if key in ids else ids["child"], *_also(key, ids)]


def _also(key: str, ids: dict) -> list:
    return [ids[other] for other in ALSO_IDS.get(key, ()) if other in ids]


def _fill(route: str, ids: dict) -> list[str]:
    """Every URL the route gives with the world's ids in its UUID parameters."""
    if "^" in route or "(?P" in route or any(s in route for s in SKIP_ROUTES):
        return []
    params = _PARAM.findall(route)
    if any(kind not in {"uuid"} for kind, _ in params):
        return []  # slugs and numbers name no child's record
    urls = [route]
    for _, name in params:
        choices = _choices(route, name, ids)
        urls = [
            re.sub(r"<uuid:" + name + r">", str(value), url, count=1)
            for url in urls
            for value in choices
        ]
    urls += [url + query for url in urls for query in QUERIES.get(route, ())]
    return ["/" + url for url in urls]


def _api_paths(client: Client, ids: dict) -> list[str]:
    document = client.get("/api/openapi.json").json()
    paths = []
    for path, operations in document["paths"].items():
        if "get" not in operations:
            continue
        names = re.findall(r"{(\w+)}", path)
        urls = [path]
        for name in names:
            choices = _choices(path.removeprefix("/api/"), name, ids)
            urls = [u.replace("{" + name + "}", str(v), 1) for u in urls for v in choices]
        paths += urls
    return paths


def texts(response) -> list[str]:
    """What a response gives its reader: the headers and the body (a PDF's or a
    workbook's text besides its bytes)."""
    kind = response.headers.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    found = [str(dict(response.headers)), body.decode("utf-8", errors="replace")]
    if "pdf" in kind and body.startswith(b"%PDF") and len(body) > 200:
        from pypdf import PdfReader

        found.append("".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(body)).pages))
    elif "spreadsheet" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        found += [
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        ]
    return found


def markers_in(response) -> set[str]:
    """The planted fields a response shows (``Need``, not ``QxzqNeed``)."""
    return {
        field
        for text in texts(response)
        for run in re.findall(PREFIX + r"[A-Za-z0-9]+", text)
        for field in run.split(PREFIX)
        if field
    }


def urls_for(client: Client, ids: dict, *, api: bool = True, under: str = "") -> list[str]:
    """Every page (``under`` a prefix, e.g. the portal's ``familj/``) and (with ``api``)
    API GET operation, filled with the world's ids."""
    pages = [u for route in _routes() if route.startswith(under) for u in _fill(route, ids)]
    return pages + (_api_paths(client, ids) if api else [])


def crawl(
    client: Client, ids: dict, *, api: bool = True, under: str = ""
) -> tuple[dict[str, set[str]], list[str]]:
    """The planted fields each URL answered with, and the URLs that answered with a
    5xx. ``api=False`` for a client that has no API (a family member in the portal: the
    OpenAPI document is for staff)."""
    client.raise_request_exception = False
    leaks, errors = {}, []
    for url in urls_for(client, ids, api=api, under=under):
        response = client.get(url)
        if response.status_code >= 500:
            errors.append(url)
        found = markers_in(response) - DIRECTORY_MARKERS
        if found:
            leaks[url] = found
    return leaks, errors


def seen(leaks: dict) -> set[str]:
    return set().union(*leaks.values()) if leaks else set()


def where(leaks: dict, fields: set[str]) -> dict[str, set[str]]:
    """The URLs that showed any of ``fields``, with those fields (a failure's message)."""
    return {url: found & fields for url, found in leaks.items() if found & fields}

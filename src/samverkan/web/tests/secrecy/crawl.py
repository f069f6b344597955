"""Crawling every page (the URL conf) and every API GET operation (the OpenAPI
document) with a world's ids, and finding planted markers in what comes back."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

PREFIX = "Qxzq"  # never in Swedish text, the product's chrome or a UUID
# Pages that end the session or are not pages (served files, metrics).
SKIP_ROUTES = ("logga-ut", "metrics", "static/", "i18n/")


# Markers in directory data (a unit's name, public on the catalogue): the crawl does not
# count them; the log extract to a guardian checks them itself.
DIRECTORY_MARKERS = frozenset({"QxzqSocialunit"})


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


def _fill(route: str, ids: dict) -> list[str]:
    """Every URL the route gives with the world's ids in its UUID parameters (by name
    where the name says which record, otherwise each id in turn)."""
    if "^" in route or "(?P" in route or any(s in route for s in SKIP_ROUTES):
        return []
    params = _PARAM.findall(route)
    if any(kind not in {"uuid"} for kind, _ in params):
        return []  # slugs and numbers name no child's record
    urls = [route]
    for _, name in params:
        key = name.removesuffix("_id")
        choices = [ids[key]] if key in ids else list(ids.values())
        urls = [
            re.sub(r"<uuid:" + name + r">", str(value), url, count=1)
            for url in urls
            for value in choices
        ]
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
            key = name.removesuffix("_id")
            choices = [ids[key]] if key in ids else list(ids.values())
            urls = [u.replace("{" + name + "}", str(v), 1) for u in urls for v in choices]
        paths += urls
    return paths


def _leaks(response) -> list[str]:
    found = []
    body = response.content.decode("utf-8", errors="replace")
    headers = str(dict(response.headers))
    for text in (body, headers):
        found += re.findall(PREFIX + r"\w+", text)
    return sorted(set(found))


def urls_for(client: Client, ids: dict, *, api: bool = True, under: str = "") -> list[str]:
    """Every page (``under`` a prefix, e.g. the portal's ``familj/``) and (with ``api``)
    API GET operation, filled with the world's ids."""
    pages = [u for route in _routes() if route.startswith(under) for u in _fill(route, ids)]
    return pages + (_api_paths(client, ids) if api else [])


def crawl(
    client: Client, ids: dict, *, api: bool = True, under: str = ""
) -> tuple[dict[str, list[str]], list[str]]:
    """The markers each URL answered with, and the URLs that answered with a 5xx.
    ``api=False`` for a client that has no API (a family member in the portal: the
    OpenAPI document is for staff)."""
    client.raise_request_exception = False
    leaks, errors = {}, []
    for url in urls_for(client, ids, api=api, under=under):
        response = client.get(url)
        if response.status_code >= 500:
            errors.append(url)
        found = [m for m in _leaks(response) if m not in DIRECTORY_MARKERS]
        if found:
            leaks[url] = found
    return leaks, errors

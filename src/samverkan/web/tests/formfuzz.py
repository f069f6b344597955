"""The form fuzz's tools (test_form_fuzz.py): read a page's post forms as a browser
sees them (fields, their labels and whether they are marked required or optional),
crawl a role's pages, and fill a form with bad or with plausible input.

Required and optional are marked in two ways that must agree: the ``required``
attribute (what a screen reader announces, and what the browser checks) and
"(frivilligt)" in the label or legend (what everybody reads). ``marking_problems``
lists the fields where they do not."""

from __future__ import annotations

import datetime
import inspect
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.db import connection
from django.test import Client
from django.urls import get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils import timezone

OPTIONAL = "(frivilligt)"
# Labels that say themselves when a field is needed ("krävs vid avslag"): a field needed
# only with some other choice has no required attribute and is not optional either.
CONDITIONAL = ("krävs", "(om ")
TEXT_KINDS = {"text", "textarea", "search", "email", "tel", "url", "password"}
MEGABYTE = "x" * 1_000_000
ODD = "Ünïcødé\u202e\u200bأهلا🙂\u0301 <b>&amp;"
BAD = {
    "empty": lambda kind: "",
    "megabyte": lambda kind: MEGABYTE if kind in TEXT_KINDS else "1" * 40,
    "nul": lambda kind: "före\x00efter",
    "odd": lambda kind: ODD,
    "date": lambda kind: "2023-02-30" if kind != "datetime-local" else "9999-12-31T23:30",
    "huge": lambda kind: "99999999999999999999",
    "foreign": lambda kind: str(uuid.uuid4()),
}
# The bad inputs whose fate depends on the database: its text type (length, NUL), its
# number and date ranges, its foreign keys. "empty" and "odd" meet the forms only (the
# message at the field, what was typed shown again), the same on every database; the
# PostgreSQL run posts only these (decision 0358).
DATABASE_BOUND = ("megabyte", "nul", "date", "huge", "foreign")
SKIP_PATHS = ("/logga-ut/", "/i18n/", "/konto/logga-ut")  # leaving the session, language


@dataclass
class Field:
    name: str
    kind: str  # input type, "textarea" or "select"
    value: str | None  # as the page gave it (None: an unchecked box or radio)
    option: str | None = None  # the first option of a select / the value of a box
    options: list[str] = field(default_factory=list)
    id: str = ""
    required: bool = False
    label: str = ""  # its <label> or, in a fieldset, the legend
    multiple: bool = False


@dataclass
class Form:
    action: str
    fields: list[Field] = field(default_factory=list)

    @property
    def visible(self) -> list[Field]:
        return [f for f in self.fields if f.kind != "hidden"]

    @property
    def typed(self) -> bool:
        return any(f.kind in TEXT_KINDS | {"textarea"} for f in self.fields)


class _Page(HTMLParser):
    """The post forms of a page and its links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self.labels: dict[str, str] = {}
        self._form: Form | None = None
        self._select: Field | None = None
        self._label_for: str | None = None
        self._label_text: list[str] = []
        self._legends: list[list[str]] = []  # open fieldsets' legend texts
        self._in_legend = False
        self._fieldset_fields: list[list[Field]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for attr in ("href", "hx-get"):
            if tag in {"a", "div", "section"} and (a.get(attr) or "").startswith("/"):
                self.links.append(a[attr].split("#")[0])
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = Form(action=a.get("action") or "")
            self.forms.append(self._form)
        if tag == "label":
            self._label_for, self._label_text = a.get("for"), []
        if tag == "fieldset":
            self._legends.append([])
            self._fieldset_fields.append([])
        if tag == "legend":
            self._in_legend = True
        if self._form is None or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._select.options.append(a.get("value", ""))
                if "selected" in a:
                    self._select.value = a.get("value", "")
            return
        found = None
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                checked = "checked" in a
                found = Field(
                    a["name"], kind, a.get("value", "on") if checked else None, a.get("value", "on")
                )
            else:
                found = Field(a["name"], kind, a.get("value", ""))
        elif tag == "textarea":
            found = Field(a["name"], "textarea", "")
        elif tag == "select":
            found = Field(a["name"], "select", "", multiple="multiple" in a)
            self._select = found
        if found is not None:
            found.id = a.get("id", "")
            found.required = "required" in a
            self._form.fields.append(found)
            if self._fieldset_fields:
                self._fieldset_fields[-1].append(found)

    def handle_data(self, data):
        if self._label_for is not None:
            self._label_text.append(data)
        if self._in_legend and self._legends:
            self._legends[-1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        if tag == "select" and self._select is not None:
            first = [o for o in self._select.options if o]
            self._select.option = first[0] if first else (self._select.options or [""])[0]
            self._select = None
        if tag == "label" and self._label_for:
            self.labels[self._label_for] = " ".join("".join(self._label_text).split())
            self._label_for = None
        if tag == "legend":
            self._in_legend = False
        if tag == "fieldset" and self._legends:
            legend = " ".join("".join(self._legends.pop()).split())
            for f in self._fieldset_fields.pop():
                f.label = f.label or legend

    def close(self):
        super().close()
        for form in self.forms:
            for f in form.fields:
                if f.kind not in {"checkbox", "radio"} and f.id in self.labels:
                    f.label = self.labels[f.id]


def parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    page.close()
    return page


def marking_problems(form: Form) -> list[str]:
    """Fields whose "(frivilligt)" and ``required`` disagree, or that have no label."""
    problems, seen = [], set()
    for f in form.visible:
        if f.name in seen:
            continue  # the other buttons of a radio group
        seen.add(f.name)
        if f.kind in {"checkbox", "radio"} and not f.label:
            continue  # a single box is its own label: checked or not, both are answers
        if f.kind == "checkbox":
            continue
        if not f.label:
            problems.append(f"{f.name}: no label")
            continue
        if f.kind == "select" and "" not in f.options and not f.multiple:
            continue  # a list without an empty choice always has an answer
        group = [g for g in form.fields if g.name == f.name]
        if f.kind == "radio" and any(g.value is not None for g in group):
            continue  # one button is chosen already: the question always has an answer
        optional = OPTIONAL in f.label
        conditional = any(word in f.label for word in CONDITIONAL)
        if optional and f.required:
            problems.append(f"{f.label}: labelled {OPTIONAL} but required")
        elif not optional and not f.required and not conditional and f.kind != "search":
            problems.append(f"{f.label}: neither required nor labelled {OPTIONAL}")
    return problems


def _inside(path: str) -> bool:
    return not path.startswith(("/static/", "/api/", "/admin/")) and not path.endswith(
        (".ics", ".pdf", ".csv", ".json", ".svg", ".xlsx")
    )


def _route(path: str) -> str | None:
    try:
        return resolve(path.split("?")[0]).route
    except Resolver404:
        return None


def one_per_route(paths: list[str]) -> list[str]:
    """One page per route (the first link to it): the forms are the same on each."""
    chosen: dict[str, str] = {}
    for path in paths:
        route = _route(path)
        if route is not None:
            chosen.setdefault(route, path)
    return list(chosen.values())


def crawl(
    client: Client, starts: list[str], depth: int = 3, expand: tuple[str, ...] = ()
) -> dict[str, tuple[str, Form]]:
    """A role's pages, ``depth`` clicks from ``starts`` (following redirects as a browser
    does); the post forms by route of their action. Of most pages one per route is read
    (the forms are the same); every link of a page whose route is in ``expand`` is
    followed (meetings in different states show different forms)."""
    seen, forms = set(), {}
    frontier = list(starts)
    for _ in range(depth):
        following, every = [], []
        for path in frontier:
            if path in seen or not _inside(path) or any(s in path for s in SKIP_PATHS):
                continue
            seen.add(path)
            response = client.get(path, follow=True)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            here = response.redirect_chain[-1][0] if response.redirect_chain else path
            page = parse(response.content.decode())
            for form in page.forms:
                action = form.action or here
                if any(s in action for s in SKIP_PATHS):
                    continue
                route = _route(action)
                if route is not None:
                    forms.setdefault(route, (action, form))
            (every if _route(here) in expand else following).extend(page.links)
        frontier = one_per_route(following) + [p for p in every if p not in seen]
    return forms


def bad_data(form: Form, bad: str) -> dict:
    data, first_text = {}, True
    for f in form.fields:
        if f.kind == "hidden":
            data[f.name] = f.value  # csrf, versions: as the page gave them
            if f.name == "submission_key":
                data[f.name] = uuid.uuid4().hex
            continue
        if f.kind in {"checkbox", "radio"}:
            chosen = f.value if f.value is not None else f.option
            data.setdefault(f.name, BAD[bad](f.kind) if bad in {"foreign", "huge"} else chosen)
            continue
        if f.kind == "select":
            chosen = "" if bad == "empty" else f.option
            data[f.name] = BAD[bad](f.kind) if bad in {"foreign", "huge", "odd"} else chosen
            continue
        new = BAD[bad](f.kind)
        if bad == "megabyte" and not first_text:
            new = "y" * 200  # one megabyte per post (the upload limit is 2.5 MB)
        first_text = first_text and f.kind not in TEXT_KINDS | {"textarea"}
        data[f.name] = new
    return data


def plausible_data(form: Form) -> dict:
    """Required fields filled as a person would (the page's own value, the first choice,
    a short text, a date and time soon); optional fields left empty."""
    soon = timezone.localtime() + datetime.timedelta(days=7)
    typed = {
        "date": soon.strftime("%Y-%m-%d"),
        "datetime-local": soon.replace(hour=10, minute=0).strftime("%Y-%m-%dT%H:%M"),
        "time": "10:00",
        "number": "1",
        "email": "namn@kommun.example",
        "tel": "010-123 45 67",
        "url": "https://www.kommun.example",
    }
    data: dict = {}
    for f in form.fields:
        if f.kind == "hidden":
            data[f.name] = uuid.uuid4().hex if f.name == "submission_key" else f.value
        elif f.kind in {"checkbox", "radio"}:
            if f.required or f.value is not None:
                data.setdefault(f.name, f.value if f.value is not None else f.option)
        elif not f.required:
            if f.kind == "select" and not f.multiple:
                data[f.name] = f.value or (f.options or [""])[0]  # as a browser sends it
            elif f.kind != "select":
                data[f.name] = ""
        elif f.kind == "select":
            data[f.name] = f.value or f.option
        else:
            data[f.name] = f.value or typed.get(f.kind, "Ett kort svar")
    return data


def bad_inputs() -> list[str]:
    """Every kind of bad input on SQLite; on another database those that depend on it."""
    if connection.vendor == "sqlite":
        return list(BAD)
    return [bad for bad in BAD if bad in DATABASE_BOUND]


def posting_routes() -> set[str]:
    """The routes whose view takes a POST (read from the view's code: a
    ``require_POST``, ``request.method == "POST"``, or a ``post`` method)."""
    found = set()

    def walk(resolver, prefix=""):
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if hasattr(entry, "url_patterns"):
                walk(entry, route)
                continue
            view = getattr(entry.callback, "view_class", None) or inspect.unwrap(entry.callback)
            try:
                source = inspect.getsource(view)
            except (OSError, TypeError):
                continue
            if "POST" in source or "def post" in source:
                found.add(route)

    walk(get_resolver())
    return found

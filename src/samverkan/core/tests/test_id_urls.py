"""``reverse_ids`` and ``{% id_url %}`` give what ``reverse`` and ``{% url %}`` give, for
every route of the site whose arguments are ids (decision 0372)."""

import uuid

import pytest
from django.template import Context, Template
from django.urls import (
    NoReverseMatch,
    URLPattern,
    URLResolver,
    get_resolver,
    reverse,
    set_script_prefix,
)
from django.urls.converters import UUIDConverter

from samverkan.core import id_urls

pytestmark = pytest.mark.db_independent


def _routes(resolver=None, namespace=""):
    """(name, number of arguments) of every named route whose arguments are all UUIDs."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = getattr(entry.pattern, "converters", {})
            if converters and all(isinstance(c, UUIDConverter) for c in converters.values()):
                yield f"{namespace}{entry.name}", len(converters)


def test_every_id_route_reverses_as_reverse_does():
    routes = sorted(set(_routes()))
    assert len(routes) > 50 and ("people:child_detail", 1) in routes
    for prefix in ["/", "/kommun/"]:
        try:
            set_script_prefix(prefix)
            for name, count in routes:
                for _ in range(3):
                    ids = [uuid.uuid4() for _ in range(count)]
                    assert id_urls.reverse_ids(name, *ids) == reverse(name, args=ids), name
        finally:
            set_script_prefix("/")


def test_other_arguments_are_part_of_the_route_remembered():
    child, matter = uuid.uuid4(), uuid.uuid4()
    for kind in ["avsluta", "karaktar", "skyddade-uppgifter"]:
        assert id_urls.reverse_ids("people:form_involvement", child, matter, kind) == reverse(
            "people:form_involvement", args=[child, matter, kind]
        )
    with pytest.raises(NoReverseMatch):
        id_urls.reverse_ids("people:form_involvement", child, matter, "no such/form")


def test_a_path_a_stand_in_cannot_be_found_in_once_is_reversed_each_time(monkeypatch):
    calls = []

    def counting(name, args=None, current_app=None):
        calls.append(args)
        return "/x/" + "/".join(str(a) for a in args) * 2  # every id written twice

    monkeypatch.setattr(id_urls, "reverse", counting)
    monkeypatch.setattr(id_urls, "_id_urls", {})
    child = uuid.uuid4()
    assert id_urls.reverse_ids("any:route", child) == f"/x/{child}{child}"
    assert id_urls.reverse_ids("any:route", child) == f"/x/{child}{child}"
    assert calls[-1] == (child,)  # not the stand-in's path


def _render(text: str, **values) -> str:
    return Template("{% load fixed %}" + text).render(Context(values))


def test_the_tag_is_the_url_tag():
    child, guardian = uuid.uuid4(), uuid.uuid4()
    for tag in [
        "'people:form_guardian' child guardian",
        "'people:child_detail' child",
        "'people:form_involvement' child guardian 'avsluta'",
    ]:
        for text in ["{%% %s %s %%}", "{%% %s %s as u %%}[{{ u }}]"]:
            ours = _render(text % ("id_url", tag), child=child, guardian=guardian)
            assert ours == _render(text % ("url", tag), child=child, guardian=guardian)
            assert str(child) in ours
    # "as": a route that does not reverse is "", as with {% url %}; without, an error.
    assert _render("{% id_url 'people:child_detail' 'x/y' as u %}[{{ u }}]") == "[]"
    with pytest.raises(NoReverseMatch):
        _render("{% id_url 'people:child_detail' child child %}", child=child)


def test_a_route_is_reversed_once(monkeypatch):
    calls = []

    def counting(name, args=None, current_app=None):
        calls.append(name)
        return reverse(name, args=args, current_app=current_app)

    monkeypatch.setattr(id_urls, "reverse", counting)
    monkeypatch.setattr(id_urls, "_id_urls", {})
    paths = {id_urls.reverse_ids("people:child_detail", uuid.uuid4()) for _ in range(5)}
    assert len(paths) == 5 and calls == ["people:child_detail"]

"""Values every page shows that do not change while the process runs, worked out once
per process instead of on every page (decision 0359):

- ``{% fixed_url 'web:home' %}``: the path of a route without arguments, as
  ``{% url 'web:home' %}`` gives it (escaped the same way). Reversing a name costs
  about as much as the rest of the page's header together, and the header reverses a
  dozen. Remembered per URL configuration and script prefix, so a test that swaps the
  URL configuration or a deployment under a path prefix gets its own.
- ``{% id_url 'people:form_guardian' child.public_id guardian.public_id as url %}``:
  ``{% url %}`` for a route whose arguments are public ids (decision 0372). The route
  is reversed once per process with stand-in ids and the shape of its other arguments;
  each page puts its ids in their places (``reverse_ids``). The overview has a dozen.
- ``{% language_options as languages %}``: the languages of the language switch, as
  ``{% get_available_languages %}`` with ``{% get_language_info_list %}`` give them,
  per ``LANGUAGES`` setting.
- ``{% fixed_for nav may.children %}…{% endfixed_for %}``: the block rendered once per
  language, URL configuration and script prefix and the values named (decision 0369),
  then given again as it was rendered. For a block every page has whose output depends
  on nothing but those (the menu, the footer's language list, the static files' links):
  a value the block shows that is not named would be shown to the next user as it was
  rendered for the first. It refuses ``{% csrf_token %}`` (one per request) and
  ``{% block %}`` inside.

Nothing here depends on the user: the same for everyone, like the template itself.
"""

from __future__ import annotations

import uuid

from django import template
from django.conf import settings
from django.template.defaulttags import CsrfTokenNode, URLNode
from django.template.defaulttags import url as url_tag
from django.template.loader_tags import BlockNode
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info

from samverkan.core.id_urls import STAND_IN_MARK, STAND_INS, reverse_ids

register = template.Library()

_urls: dict[tuple, str] = {}
_languages: dict[tuple, list[dict]] = {}


def fixed_reverse(name: str) -> str:
    key = (name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    url = _urls.get(key)
    if url is None:
        url = _urls[key] = reverse(name)
    return url


class FixedURLNode(template.Node):
    def __init__(self, name: str):
        self.name = name

    def render(self, context):
        url = fixed_reverse(self.name)
        return conditional_escape(url) if context.autoescape else url


@register.tag
def fixed_url(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "'\"" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(
            "{% fixed_url %} takes one quoted route name without arguments; "
            "use {% url %} for a route with arguments."
        )
    return FixedURLNode(bits[1][1:-1])


class IdURLNode(URLNode):
    """``{% url %}`` (``URLNode``: the same arguments, current application, ``as``,
    escaping and, with ``as``, a route that does not reverse giving ""), reversed by
    ``reverse_ids``."""

    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = reverse_ids(view_name, *args, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def id_url(parser, token):
    node = url_tag(parser, token)
    if node.kwargs:
        raise template.TemplateSyntaxError(
            "{% id_url %} takes positional arguments; use {% url %} for keywords."
        )
    return IdURLNode(node.view_name, node.args, node.kwargs, node.asvar)


@register.simple_tag
def language_options() -> list[dict]:
    key = tuple(settings.LANGUAGES)
    options = _languages.get(key)
    if options is None:
        options = _languages[key] = [get_language_info(code) for code, _ in settings.LANGUAGES]
    return options


# Bounds what one block keeps: its named values have few combinations (a language, a
# menu entry, five yes-or-no), far fewer than this; past it the block starts over.
FIXED_FOR_LIMIT = 1024


class FixedForNode(template.Node):
    """Keeps its renderings on itself: a template parsed again (a changed file in
    development) gets a new node and renders afresh. Its block holds no ``{% block %}``
    (refused when parsed), so the search for blocks that ``{% extends %}`` makes of the
    base template on every render does not look inside (``child_nodelists``).

    ``name=value`` binds an id (decision 0372): the block is rendered with a stand-in
    UUID as ``name`` and kept; each render puts the value's text where the stand-in's
    is. For a block that shows the id only as its text (a path by ``{% id_url %}``, an
    attribute): a rendering that holds the stand-in in any other form (its hex, its
    number) is not kept, and such a block is rendered each time. A value that is not a
    UUID: rendered each time, with the value."""

    child_nodelists = ()

    def __init__(self, nodelist, values, ids=()):
        self.nodelist = nodelist
        self.values = values
        self.ids = ids
        self.rendered: dict[tuple, str | None] = {}

    def render(self, context):
        ids = {name: value.resolve(context) for name, value in self.ids}
        if not all(isinstance(value, uuid.UUID) for value in ids.values()):
            return self._render(context, ids)
        key = (
            get_language(),
            context.autoescape,
            get_urlconf() or settings.ROOT_URLCONF,
            get_script_prefix(),
            *(value.resolve(context) for value in self.values),
        )
        try:
            kept = self.rendered[key]
        except KeyError:
            kept = self._keep(context, key)
        except TypeError:  # a value that cannot be a key: rendered each time
            return self._render(context, ids)
        if kept is None:
            return self._render(context, ids)
        if not ids:
            return kept
        for stand_in, value in zip(STAND_INS, ids.values(), strict=False):
            kept = kept.replace(str(stand_in), str(value))
        # The kept rendering (safe as rendered) with hex digits and dashes put in.
        return mark_safe(kept)  # noqa: S308  # nosec B308 B703

    def _render(self, context, ids: dict) -> str:
        with context.push(**ids):
            return self.nodelist.render(context)

    def _keep(self, context, key: tuple) -> str | None:
        stand_ins = dict(zip((name for name, _ in self.ids), STAND_INS, strict=False))
        output = self._render(context, stand_ins)  # a SafeString, as rendered
        if stand_ins and not _shows_ids_as_text(output, stand_ins.values()):
            output = None
        if len(self.rendered) >= FIXED_FOR_LIMIT:
            self.rendered.clear()
        self.rendered[key] = output
        return output


def _shows_ids_as_text(output: str, stand_ins) -> bool:
    """Whether the stand-ins appear in the rendering only as their text (so that putting
    the ids' text in their places is the block rendered with the ids)."""
    for stand_in in stand_ins:
        output = output.replace(str(stand_in), "")
    lowered = output.lower()
    return STAND_IN_MARK not in lowered and not any(
        str(stand_in.int)[:12] in output for stand_in in stand_ins
    )


@register.tag
def fixed_for(parser, token):
    values, ids = [], []
    for bit in token.split_contents()[1:]:
        name, equals, value = bit.partition("=")
        if equals and name.isidentifier():
            ids.append((name, parser.compile_filter(value)))
        else:
            values.append(parser.compile_filter(bit))
    if len(ids) > len(STAND_INS) or len({name for name, _ in ids}) != len(ids):
        raise template.TemplateSyntaxError("{% fixed_for %} binds each id once, at most eight.")
    nodelist = parser.parse(("endfixed_for",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(CsrfTokenNode):
        raise template.TemplateSyntaxError(
            "{% fixed_for %} cannot hold {% csrf_token %}: its token is the request's own."
        )
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("{% fixed_for %} cannot hold a {% block %}.")
    return FixedForNode(nodelist, values, ids)

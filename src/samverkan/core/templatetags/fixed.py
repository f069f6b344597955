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

from django import template
from django.conf import settings
from django.template.defaulttags import CsrfTokenNode, URLNode
from django.template.defaulttags import url as url_tag
from django.template.loader_tags import BlockNode
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language, get_language_info

from samverkan.core.id_urls import reverse_ids

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
    base template on every render does not look inside (``child_nodelists``)."""

    child_nodelists = ()

    def __init__(self, nodelist, values):
        self.nodelist = nodelist
        self.values = values
        self.rendered: dict[tuple, str] = {}

    def render(self, context):
        key = (
            get_language(),
            context.autoescape,
            get_urlconf() or settings.ROOT_URLCONF,
            get_script_prefix(),
            *(value.resolve(context) for value in self.values),
        )
        try:
            return self.rendered[key]
        except KeyError:
            pass
        except TypeError:  # a value that cannot be a key: rendered each time
            return self.nodelist.render(context)
        output = self.nodelist.render(context)  # a SafeString, as rendered
        if len(self.rendered) >= FIXED_FOR_LIMIT:
            self.rendered.clear()
        self.rendered[key] = output
        return output


@register.tag
def fixed_for(parser, token):
    values = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endfixed_for",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(CsrfTokenNode):
        raise template.TemplateSyntaxError(
            "{% fixed_for %} cannot hold {% csrf_token %}: its token is the request's own."
        )
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("{% fixed_for %} cannot hold a {% block %}.")
    return FixedForNode(nodelist, values)

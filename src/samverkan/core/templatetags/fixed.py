"""Values every page shows that do not change while the process runs, worked out once
per process instead of on every page (decision 0359):

- ``{% fixed_url 'web:home' %}``: the path of a route without arguments, as
  ``{% url 'web:home' %}`` gives it (escaped the same way). Reversing a name costs
  about as much as the rest of the page's header together, and the header reverses a
  dozen. Remembered per URL configuration and script prefix, so a test that swaps the
  URL configuration or a deployment under a path prefix gets its own.
- ``{% language_options as languages %}``: the languages of the language switch, as
  ``{% get_available_languages %}`` with ``{% get_language_info_list %}`` give them,
  per ``LANGUAGES`` setting.

Nothing here depends on the user: the same for everyone, like the template itself.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language_info

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


@register.simple_tag
def language_options() -> list[dict]:
    key = tuple(settings.LANGUAGES)
    options = _languages.get(key)
    if options is None:
        options = _languages[key] = [get_language_info(code) for code, _ in settings.LANGUAGES]
    return options

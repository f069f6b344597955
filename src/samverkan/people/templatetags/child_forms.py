"""``{% form_slot url %}``: where a form on the child overview is loaded when its
"details" is opened, with a link to the form's own page for a browser without
JavaScript (``people.views.child_form``). A tag, not an included template: the overview
has one per guardian and per open matter, and an ``{% include %}`` finds and renders a
template each time (decision 0369)."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def form_slot(url: str) -> str:
    return format_html(
        '<div class="form-slot" aria-live="polite"><p><a href="{}">{}</a></p></div>\n',
        url,
        gettext("Öppna formuläret"),
    )

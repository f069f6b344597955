"""``{% summary text 200 %}``: the text's first whole sentences (core.summaries); when
something was left out, the whole text follows in a ``<details>`` ("Läs hela texten")."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from samverkan.core.summaries import summarise

register = template.Library()


@register.simple_tag
def summary(text, limit=200):
    found = summarise(text, int(limit))
    if not found.cut:
        return found.full
    return format_html(
        '{} <details class="more"><summary>{}</summary><p>{}</p></details>',
        found.short,
        _("Läs hela texten"),
        found.full,
    )


@register.filter
def lead(text, limit=200):
    """Only the short form (for a place where the whole text is one link away)."""
    return summarise(text, int(limit)).short

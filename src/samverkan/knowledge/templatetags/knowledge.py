"""Template tags that link the product's words to the shared knowledge.

    {% load knowledge %}
    {% term "SIP" %}                      -> <a href=".../begrepp/sip/" title="...">SIP</a>
    {% term "förhandsbedömning" "förhandsbedömningen" %}   (other link text)
    {% factor_summary summary %}          risk and protective factors noted for a child
    {% actor_card "bup" %}                mission and duties of the kind of organisation

Concepts are looked up by code, term or abbreviation, case-insensitively, with one
query per request. An unknown term is rendered as plain text.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from .. import selectors

register = template.Library()

_CACHE_ATTR = "_knowledge_concept_index"


def _index(context) -> selectors.ConceptIndex:
    request = context.get("request")
    index = getattr(request, _CACHE_ATTR, None) if request is not None else None
    if index is None:
        index = selectors.concept_index()
        if request is not None:
            setattr(request, _CACHE_ATTR, index)
    return index


@register.simple_tag(takes_context=True)
def term(context, key: str, label: str | None = None):
    concept = _index(context).find(str(key))
    text = label or key
    if concept is None:
        return text
    name = concept.term
    if concept.abbreviation:
        name = f"{concept.abbreviation} – {concept.term}"
    return format_html(
        # The knowledge base is Swedish (on an English page too: lang="sv").
        '<a class="term" lang="sv" href="{}" title="{}: {}">{}</a>',
        reverse("knowledge:concept_detail", args=[concept.code]),
        name,
        concept.definition,
        text,
    )


@register.inclusion_tag("knowledge/_factor_summary.html")
def factor_summary(summary, heading_id: str = "factors-heading"):
    return {"summary": summary, "heading_id": heading_id}


@register.inclusion_tag("knowledge/_actor_card.html")
def actor_card(org_type: str):
    return {"profile": selectors.actor_profile_for_org_type(org_type)}

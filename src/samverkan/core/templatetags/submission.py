"""``{% submission_key %}``: the one-time key of a form (core.idempotency). Put it next
to ``{% csrf_token %}`` in every form that creates or changes something."""

import secrets

from django import template
from django.utils.html import format_html

from samverkan.core.idempotency import FORM_FIELD

register = template.Library()


@register.simple_tag
def submission_key():
    return format_html(
        '<input type="hidden" name="{}" value="{}">', FORM_FIELD, secrets.token_urlsafe(24)
    )

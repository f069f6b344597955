"""The family member's page "Meddelanden" (decision 0339): whether, and where, they are
told by e-mail or SMS that something new waits for them in the portal. Thin: the rules
and the audit are in ``notices``."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from samverkan.core.errors import DomainError
from samverkan.core.forms import add_domain_error
from samverkan.notify import family as notify_family
from samverkan.notify import sms

from . import notices, session
from .forms import ContactForm


def _render(request, form, status=200):
    return render(
        request,
        "portal/contact.html",
        {
            "form": form,
            "contact": notices.contact_of(request.family_actor.family_id),
            "sms_enabled": sms.enabled(),
            "sample": notify_family.text(),
            "nav": "contact",
        },
        status=status,
    )


@never_cache
@session.family_view
def contact(request):
    if request.method != "POST":
        mine = notices.contact_of(request.family_actor.family_id)
        initial = {"email": mine.email, "sms_number": mine.sms_number} if mine else None
        return _render(request, ContactForm(initial=initial))
    form = ContactForm(request.POST)
    if form.is_valid():
        number = form.cleaned_data["sms_number"]
        if not sms.enabled():  # no SMS field on the page: a number given before stays
            mine = notices.contact_of(request.family_actor.family_id)
            number = mine.sms_number if mine else ""
        try:
            saved = notices.contact_set(
                actor=request.family_actor, email=form.cleaned_data["email"], sms_number=number
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Sparat. Vi meddelar dig när det finns något nytt.")
                if saved
                else _("Sparat. Du får inga meddelanden från e-tjänsten."),
            )
            return HttpResponseRedirect(reverse("portal:contact"))
    return _render(request, form, status=422)

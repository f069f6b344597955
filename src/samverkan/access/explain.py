"""Explanations of a refusal, built for the viewer's own domain.

A refusal tells the viewer that a ground is missing and what the lawful next step is
(ask the guardians for consent, make a report of concern). It never tells who revoked a
consent, what another organisation's matter is, or that one exists: those facts belong
to the organisation whose records hold them.

Every explanation that carries such a fact is built with ``for_viewer``: the full
account goes only to the organisations that hold its facts; everybody else gets the
neutral text. Texts without such facts (a consent's own dates and scope, the actor's own
function) need no gate.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy

from samverkan.core.i18n import lazy_format

# Lazy: shown in the reader's language, written to the audit log in Swedish (ADR 0180).
ASK_CONSENT = gettext_lazy("Be vårdnadshavarna om ett nytt samtycke om uppgifterna behövs.")
ASK_FIRST_CONSENT = gettext_lazy("Be vårdnadshavarna om samtycke om uppgifterna behövs.")
REPORT_WORRY = gettext_lazy(
    "Är du orolig för att barnet far illa ska du göra en orosanmälan till socialtjänsten."
)


def for_viewer(
    viewer_organisation_id: int | None,
    *,
    detail: str,
    holders: Iterable[int] | None,
    neutral: str,
) -> str:
    """``detail`` when the viewer's organisation is one of ``holders`` (``None``: the
    detail is known to every party), otherwise ``neutral``."""
    if holders is None:
        return detail
    if viewer_organisation_id is not None and viewer_organisation_id in set(holders):
        return detail
    return neutral


def no_ground(what=None, *, next_step=ASK_FIRST_CONSENT) -> str:
    """The neutral refusal: no ground lets the information pass to the viewer now."""
    return lazy_format(
        gettext_lazy("%(what)s kan inte visas: det finns ingen grund för det just nu. %(next)s"),
        what=what if what is not None else gettext_lazy("Uppgifterna"),
        next=next_step,
    )


def consent_label(short_id: str) -> str:
    """ "Samtycke 1a2b3c4d" in the reader's language."""
    return lazy_format(gettext_lazy("Samtycke %(id)s"), id=short_id)


def consent_not_valid(label, *, ended: bool) -> str:
    """The neutral account of a consent that does not cover: nothing about why."""
    if ended:
        return lazy_format(
            gettext_lazy("%(label)s gäller inte längre. %(next)s"), label=label, next=ASK_CONSENT
        )
    return lazy_format(
        gettext_lazy("%(label)s gäller inte ännu. %(next)s"), label=label, next=ASK_FIRST_CONSENT
    )

"""The error pages a person meets (issue 13 item 15): Swedish, in the site's layout,
with a way back and the request id, which is also in every log line of the request
(core.logs), so that support can find what happened.

403 or 404 (docs/security.md, "Refusals"): a page the viewer's function may not use
(loggkontroll, administration, the register of children) answers 403 and says why:
that the page exists is no secret. A record the viewer has no ground to see answers
404, exactly like a record that does not exist, so that nobody learns that social
services (or anyone) has a matter about a child.

The 500 page uses no database and no session: it is rendered without the context
processors, from the request id alone, so that it shows even when the database is
down.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token


def _request_id(request) -> str:
    return getattr(request, "request_id", "") or ""


def _page(request, status: int, heading: str, text: str, reason: str = "") -> HttpResponse:
    return render(
        request,
        "web/errors/error.html",
        {
            "status": status,
            "heading": heading,
            "text": text,
            "reason": reason,
            "request_id": _request_id(request),
            # The language form returns to the start page, not to the refused address.
            "language_next": "/",
        },
        status=status,
    )


@requires_csrf_token
def bad_request(request, exception=None):
    return _page(
        request,
        400,
        _("Sidan kunde inte visas"),
        _("Adressen eller det som skickades kunde inte läsas. Gå tillbaka och försök igen."),
    )


@requires_csrf_token
def permission_denied(request, exception=None):
    # The reason is the view's own message (PermissionDenied("…")): what is refused and
    # why, never anything about a record.
    reason = str(exception) if exception is not None and str(exception) else ""
    return _page(
        request,
        403,
        _("Du har inte behörighet till sidan"),
        _(
            "Din funktion ger inte tillgång till det här. Har du flera roller kan du byta "
            "roll. Behöver du komma åt sidan i ditt arbete, kontakta din administratör."
        ),
        reason,
    )


@requires_csrf_token
def page_not_found(request, exception=None):
    return _page(
        request,
        404,
        _("Sidan finns inte"),
        _(
            "Sidan finns inte, eller så har du inte tillgång till den. Kontrollera "
            "adressen, eller gå tillbaka och välj på nytt."
        ),
    )


@requires_csrf_token
def request_too_large(request, *, limit: int):
    """413 (core.request_size): what was sent is larger than the page accepts; said
    before anything was read, so nothing of it was saved."""
    megabytes = max(1, round(limit / (1024 * 1024)))
    return _page(
        request,
        413,
        _("Det du skickade är för stort"),
        _(
            "Det du skickade är större än %(size)s MB, så det har inte tagits emot och "
            "inget har sparats. Gå tillbaka och skicka mindre, till exempel en mindre fil "
            "eller en kortare text."
        )
        % {"size": megabytes},
    )


def server_error(request):
    html = render_to_string(
        "web/errors/500.html",
        {
            "request_id": _request_id(request),
            "municipality_name": settings.SAMVERKAN["MUNICIPALITY_NAME"],
            "bare": True,
        },
    )
    return HttpResponse(html, status=500)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: usually a form left open past the session, or cookies off."""
    return _page(
        request,
        403,
        _("Formuläret kunde inte skickas"),
        _(
            "Sidan var för gammal eller så är du inte längre inloggad. Det du skrev har "
            "inte sparats. Gå tillbaka, ladda om sidan och skicka igen. Webbläsaren måste "
            "tillåta kakor från den här webbplatsen."
        ),
    )

"""Creating twice by accident creates once (issue 13 item 2, decision 0110).

Every form that writes carries a one-time key (``{% submission_key %}``, a hidden field
made when the form is shown); an API client may send an ``Idempotency-Key`` header. The
middleware claims the key for the sender in the ``Submission`` table, whose unique
constraint is the truth, in the same transaction as the view's writes:

- the first request with the key runs the view; a success (a redirect for a form, 2xx
  for the API) is stored with the key; anything else (a form shown again with its
  errors, a refusal, a redirect that carries an error message) gives the key back, so
  the corrected form can be sent with it;
- a repeat (a double click, a retry after a lost answer) waits, if the first is still
  running, until it commits, and then gets the first one's answer: a form is sent to
  the page the first one led to with a message, the API gets the stored answer again
  with ``Idempotent-Replayed: true``. A key used for another address is refused.

Requests without a key are handled as before.
"""

from __future__ import annotations

import datetime
import hashlib
import re

from django.contrib import messages
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Submission

FORM_FIELD = "submission_key"
HEADER = "Idempotency-Key"
KEEP = datetime.timedelta(days=1)
_KEY = re.compile(r"[A-Za-z0-9_\-:.]{8,64}")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _owner(request) -> str:
    authorization = request.headers.get("Authorization", "")
    if authorization.lower().startswith("bearer "):
        return "token:" + hashlib.sha256(authorization[7:].strip().encode()).hexdigest()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    session = getattr(request, "session", None)
    family = session.get("samverkan_portal") if session is not None else None
    if family and family.get("account_id"):
        return f"family:{family['account_id']}"  # the family portal (decision 0200)
    return "visitor"


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _key(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is not None or _is_api(request) or request.content_type not in _FORM_TYPES:
        return key  # the API reads its body itself (and answers a malformed one)
    try:
        return request.POST.get(FORM_FIELD)
    except (MultiPartParserError, BadRequest, SuspiciousOperation):
        return None  # an unreadable body: the view answers it as it did before


def _error_queued(request) -> bool:
    """Whether the view queued an error message in this request (Django's message
    storage keeps the messages added during the request in ``_queued_messages``)."""
    storage = getattr(request, "_messages", None)
    queued = getattr(storage, "_queued_messages", ())
    return any(m.level >= messages.ERROR for m in queued)


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in {"POST", "PUT", "PATCH", "DELETE"}:
            return self.get_response(request)
        key = _key(request)
        if not key:
            return self.get_response(request)
        if not _KEY.fullmatch(key):
            if _is_api(request):
                return JsonResponse(
                    {
                        "detail": _(
                            "Idempotency-Key ska vara 8–64 tecken: bokstäver a–z, siffror, "
                            "-, _, : eller punkt."
                        ),
                        "code": "invalid",
                    },
                    status=422,
                )
            return self.get_response(request)  # a damaged form key: handled as without one
        owner = _owner(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = Submission.objects.create(
                        owner=owner,
                        key=key,
                        path=request.path[:500],
                        status=0,
                        created_at=timezone.now(),
                    )
            except IntegrityError:
                # Another request with the key committed first (this insert waited for it).
                first = Submission.objects.filter(owner=owner, key=key).first()
                if first is not None:
                    return self._repeat(request, first)
                response = self.get_response(request)  # the first gave the key back
                return response
            response = self.get_response(request)
            if self._succeeded(request, response):
                claim.status = response.status_code
                claim.location = response.get("Location", "")[:500]
                if _is_api(request) and not response.streaming:
                    claim.content_type = response.get("Content-Type", "")[:100]
                    claim.body = response.content
                claim.save()
            else:
                claim.delete()
        Submission.objects.filter(owner=owner, created_at__lt=timezone.now() - KEEP).delete()
        return response

    @staticmethod
    def _succeeded(request, response) -> bool:
        if _is_api(request):
            return 200 <= response.status_code < 300
        if response.status_code not in {301, 302, 303} or not response.get("Location"):
            return False
        # A refusal by redirect (an error message shown on the page it leads to) gave
        # nothing to keep: the key goes back so that the form can be sent again.
        return not _error_queued(request)

    @staticmethod
    def _repeat(request, first: Submission):
        if first.path != request.path[:500]:
            message = _("Nyckeln har redan använts för en annan begäran. Skicka igen.")
            if _is_api(request):
                return JsonResponse({"detail": message, "code": "key_reused"}, status=422)
            messages.error(request, message)
            return HttpResponseRedirect(request.path)
        if _is_api(request):
            response = HttpResponse(
                bytes(first.body), status=first.status, content_type=first.content_type or None
            )
            response["Idempotent-Replayed"] = "true"
            if first.location:
                response["Location"] = first.location
            return response
        messages.info(
            request,
            _("Det här hade redan skickats, så inget nytt skapades. Här är det som sparades."),
        )
        return HttpResponseRedirect(first.location)

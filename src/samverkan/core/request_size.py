"""A bound on a whole request's body before anything reads it (decision 0290).

Django limits the form fields it parses into memory (DATA_UPLOAD_MAX_MEMORY_SIZE) and
the number of fields, but not a request's size: an uploaded file of any size would be
streamed to a temporary file, and every middleware or view that reads ``request.POST``
reads the whole body first. This middleware looks at Content-Length as the request
arrives and answers a body over the route's bound with 413 and a Swedish page in the
site's layout (web.errors.request_too_large), never reading it. The bound is
``bounds.REQUEST_BODY_BYTES``; a view that takes a file is marked with
``allow_upload`` and gets ``bounds.UPLOAD_REQUEST_BODY_BYTES``. A request without a
length (chunked) is read by Django's WSGI handler as empty, so it cannot pass either.
"""

from __future__ import annotations

from django.urls import Resolver404, resolve
from django.utils.module_loading import import_string

from . import bounds

ATTRIBUTE = "max_request_bytes"


def allow_upload(view):
    """Mark a view that takes an uploaded file: its body may be as large as a file
    (``bounds.FILE_UPLOAD_BYTES``) and the form around it."""
    setattr(view, ATTRIBUTE, bounds.UPLOAD_REQUEST_BODY_BYTES)
    return view


def limit_for(path: str) -> int:
    try:
        match = resolve(path)
    except Resolver404:
        return bounds.REQUEST_BODY_BYTES
    return getattr(match.func, ATTRIBUTE, bounds.REQUEST_BODY_BYTES)


def _length(request) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None  # not a number: Django reads such a body as empty


class RequestSizeMiddleware:
    """Before the session's idempotency check, the CSRF check or a view reads the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = _length(request)
        if length:
            limit = limit_for(request.path_info)
            if length > limit:
                too_large = import_string("samverkan.web.errors.request_too_large")
                return too_large(request, limit=limit)
        return self.get_response(request)

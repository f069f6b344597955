"""Per-request context (request id, client address) for code far from the request,
such as the audit writer. Backed by contextvars so it is safe under threads and ASGI."""

import contextvars
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip_address: str | None = None


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "samverkan_request_context", default=None
)


def current() -> RequestContext:
    ctx = _current.get()
    if ctx is None:
        # Outside a request (management command, task): one id per process call site.
        return RequestContext(request_id=f"cli-{uuid.uuid4()}")
    return ctx


def activate(ctx: RequestContext) -> contextvars.Token:
    return _current.set(ctx)


def deactivate(token: contextvars.Token) -> None:
    _current.reset(token)

"""Per-request context (request id, client address) for code far from the request,
such as the audit writer. Backed by contextvars so it is safe under threads and ASGI."""

import contextvars
import uuid
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip_address: str | None = None
    # How the session was authenticated ("loa3", "password+totp"): set once the session
    # is known (directory.middleware.ActorMiddleware, and at login).
    assurance_level: str = ""
    # The acting organisation's id, for the structured logs (never a child's data).
    organisation_id: int | None = None


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "samverkan_request_context", default=None
)


def current() -> RequestContext:
    ctx = _current.get()
    if ctx is None:
        # Outside a request (management command, task): one id per process call site.
        return RequestContext(request_id=f"cli-{uuid.uuid4()}")
    return ctx


def current_or_none() -> RequestContext | None:
    return _current.get()


def activate(ctx: RequestContext) -> contextvars.Token:
    return _current.set(ctx)


def deactivate(token: contextvars.Token) -> None:
    _current.reset(token)


def update(**changes) -> None:
    """Change fields of the current request's context (e.g. the assurance level once
    the session is loaded). Outside a request it does nothing."""
    ctx = _current.get()
    if ctx is not None:
        _current.set(replace(ctx, **changes))

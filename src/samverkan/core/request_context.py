"""Per-request context (request id, client address) for code far from the request,
such as the audit writer. Backed by contextvars so it is safe under threads and ASGI."""

import contextvars
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip_address: str | None = None
    # How the session was authenticated ("loa3", "password+totp"): set once the session
    # is known (directory.middleware.ActorMiddleware, and at login).
    assurance_level: str = ""
    # The acting organisation's id, for the structured logs (never a child's data).
    organisation_id: int | None = None
    # Answers asked once per request (``memoised``): shared by every copy ``update``
    # makes, dropped with the request.
    memo: dict = field(default_factory=dict, compare=False, repr=False)


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


def memoised(key, compute: Callable[[], T]) -> T:
    """``compute()`` once per request for ``key`` (decision 0342): a page that asks the
    same per-process or cached answer for every decision (the legal catalogue in force,
    the organisations' kinds) pays one lookup, not one per decision. Outside a request
    it computes every time. Only for answers that may not change while one request runs,
    or whose writer calls ``forget_memo``."""
    ctx = _current.get()
    if ctx is None:
        return compute()
    if key not in ctx.memo:
        ctx.memo[key] = compute()
    return ctx.memo[key]


def forget_memo(prefix) -> None:
    """Drop this request's memoised answers whose key starts with ``prefix`` (a writer
    that changed what they were computed from)."""
    ctx = _current.get()
    if ctx is not None:
        for key in [k for k in ctx.memo if isinstance(k, tuple) and k[:1] == (prefix,)]:
            del ctx.memo[key]

"""Structured logs (structlog): one JSON object per line, for log collectors.

Every line carries the time, level, logger, event, and, inside a request, the request
id and the acting organisation's id (from ``core.request_context``). Nothing about
children is ever logged: requests are logged by their route name (``people:child_detail``),
never by path or query string, which could hold a personnummer or a search term.
Code logs with ``structlog.get_logger(__name__).info("event", key=value)`` or the
standard ``logging`` module; both end in the same JSON lines.
"""

from __future__ import annotations

import re

import structlog

from . import request_context

# Defence in depth: a personnummer or samordningsnummer that slipped into a message
# (a library quoting input) is masked before the line is written.
_PERSONAL_NUMBER = re.compile(r"(?<!\d)(?:19|20)?\d{6}[-+]?\d{4}(?!\d)")
# Keys the standard library adds that can hold a whole request (path, query string).
_UNSAFE_KEYS = ("request", "args")


def scrub(logger, method_name, event_dict):
    for key in _UNSAFE_KEYS:
        event_dict.pop(key, None)
    for key, value in list(event_dict.items()):
        if isinstance(value, str) and _PERSONAL_NUMBER.search(value):
            event_dict[key] = _PERSONAL_NUMBER.sub("[personnummer]", value)
    return event_dict


def add_request_context(logger, method_name, event_dict):
    ctx = request_context.current_or_none()
    if ctx is not None:
        event_dict.setdefault("request_id", ctx.request_id)
        if ctx.organisation_id is not None:
            event_dict.setdefault("organisation_id", ctx.organisation_id)
        if ctx.assurance_level:
            event_dict.setdefault("assurance_level", ctx.assurance_level)
    return event_dict


_SHARED = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    add_request_context,
]

# For records from the standard logging module (Django, gunicorn, libraries).
FOREIGN_PRE_CHAIN = [*_SHARED, structlog.stdlib.ExtraAdder()]

remove_processors_meta = structlog.stdlib.ProcessorFormatter.remove_processors_meta


def render_json(logger, method_name, event_dict):
    if "exc_info" in event_dict:
        event_dict = structlog.processors.format_exc_info(logger, method_name, event_dict)
    event_dict = scrub(logger, method_name, event_dict)
    return structlog.processors.JSONRenderer(sort_keys=True)(logger, method_name, event_dict)


def configure() -> None:
    """Route structlog's loggers through the standard library, so that the handlers and
    formatters of ``settings.LOGGING`` apply to both. Called once, from CoreConfig."""
    structlog.configure(
        processors=[
            *_SHARED,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )

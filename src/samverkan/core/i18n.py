"""Texts that are shown in the reader's language but stored in Swedish (docs/i18n.md).

An access decision's reason ("Samtycke saknas för att lämna uppgifter från BUP till
Frejaskolan.") is shown to the user in the interface language *and* written to the audit
log, which is kept in Swedish, the product's language. ``lazy_format`` keeps such a text
lazy: the message (a ``gettext_lazy`` text) and its values are put together only when the
text is turned into a string, so a page renders it in the reader's language and the audit
log (which renders it under ``translation.override(settings.LANGUAGE_CODE)``) in Swedish.

    reason = lazy_format(gettext_lazy("%(org)s deltar inte i planen."), org=name)
"""

from django.utils.functional import Promise, lazy


def _format(message, params: dict) -> str:
    return str(message) % {
        key: str(value) if isinstance(value, Promise) else value for key, value in params.items()
    }


_lazy_format = lazy(_format, str)


def lazy_format(message, /, **params):
    """``message % params``, put together each time the text is turned into a string."""
    return _lazy_format(message, params)


def _join(separator, items: list) -> str:
    return str(separator).join(str(item) for item in items)


_lazy_join = lazy(_join, str)


def lazy_join(separator, items) -> str:
    """``separator.join(items)`` for lazy texts, put together when turned into a string."""
    return _lazy_join(separator, list(items))


def stored(text) -> str:
    """``text`` as it is stored in a record: in Swedish, the product's language, whatever
    the acting user's interface language (a lazy reason or ground label included)."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return str(text)

"""The session store: Django's database sessions, written only when something changed
or when the idle expiry has to move (decision 0094).

A session ends ``SESSION_COOKIE_AGE`` seconds after its last request. Django can keep
that exactly by writing the session on every request (``SESSION_SAVE_EVERY_REQUEST``),
which costs every page an UPDATE and a second commit besides its audit row. This store
remembers the expiry it read, and ``needs_refresh()`` says whether it is more than
``SAMVERKAN_SESSION_REFRESH_SECONDS`` (default 60) behind the one a write would give;
``web.middleware.SessionLifetimeMiddleware`` then marks the session modified, so it is
written at most once a minute per active user. A session therefore ends between
``SESSION_COOKIE_AGE - refresh`` and ``SESSION_COOKIE_AGE`` seconds after its last
request (29 to 30 minutes by default)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from samverkan.core.prepared import PreparedQuery

# The session's row, built and compiled once per process (decision 0370); what
# Django's ``_get_session_from_db`` asks: the key, not yet expired.
_SESSION_ROW = PreparedQuery(
    Session,
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now),
    lambda: (Session._meta.get_field("session_key"), Session._meta.get_field("expire_date")),
)


def refresh_seconds() -> int:
    return int(settings.SAMVERKAN.get("SESSION_REFRESH_SECONDS", 60))


class SessionStore(db.SessionStore):
    stored_expiry: datetime.datetime | None = None

    def load(self):
        found = self._get_session_from_db()
        self.stored_expiry = found.expire_date if found else None
        return self.decode(found.session_data) if found else {}

    def _get_session_from_db(self):
        """Django's read of the row (the same query), compiled once per process; a
        missing or expired row forgets the key, as Django's does."""
        if self.get_model_class() is not Session:
            return super()._get_session_from_db()
        rows = _SESSION_ROW.run(self.session_key, timezone.now())
        if not rows:
            self._session_key = None
            return None
        return rows[0]

    def needs_refresh(self) -> bool:
        """Whether the stored expiry lags more than the refresh interval behind the
        expiry a write now would give (a session that was never read: no)."""
        if self.stored_expiry is None:
            return False
        lag = self.get_expiry_date() - self.stored_expiry
        return lag > datetime.timedelta(seconds=refresh_seconds())

    def save(self, must_create=False):
        super().save(must_create)
        self.stored_expiry = self.get_expiry_date()

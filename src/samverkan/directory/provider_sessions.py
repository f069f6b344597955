"""Which Samverkan sessions a login with e-legitimation opened, so that the identity
provider can end them (OpenID Connect Back-Channel Logout 1.0, decision 0123).

The login remembers the session under the provider's session id (``sid``) and subject
(``sub``); choosing a role moves it to the session's new key; logging out here forgets
it. When the person logs out at the provider (or the provider ends the session for
another reason), the provider sends a signed logout token naming the ``sid`` (or only
the ``sub``: then every session of that person from that provider ends), and
``end_for_provider`` deletes those sessions, each with a ``logout`` audit row."""

from __future__ import annotations

import datetime
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.core import request_context

from . import assurance
from .middleware import SESSION_KEY as MEMBERSHIP_KEY
from .models import ProviderSession
from .selectors import actor_for_user


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def remember(*, session_key: str, user_id: int, issuer: str, sid: str, subject: str) -> None:
    """Called after an e-legitimation login. Rows older than the longest session are
    removed on the way (their sessions have ended anyway)."""
    oldest = timezone.now() - datetime.timedelta(seconds=settings.SESSION_MAX_SECONDS)
    ProviderSession.objects.filter(created_at__lt=oldest).delete()
    ProviderSession.objects.update_or_create(
        session_key=session_key,
        defaults={
            "user_id": user_id,
            "issuer": issuer[:200],
            "sid": sid[:200],
            "subject": subject[:200],
        },
    )


def moved(old_key: str | None, new_key: str | None) -> None:
    """The session got a new key (``cycle_key``, e.g. after choosing a role)."""
    if old_key and new_key and old_key != new_key:
        ProviderSession.objects.filter(session_key=old_key).update(session_key=new_key)


def forget(session_key: str | None) -> None:
    """The session ended here (logging out)."""
    if session_key:
        ProviderSession.objects.filter(session_key=session_key).delete()


@transaction.atomic
def end_for_provider(*, issuer: str, sid: str = "", subject: str = "") -> int:
    """End every session the provider's logout names: by ``sid`` when given (and, when
    ``subject`` is given too, only that person's), otherwise every session of
    ``subject``. Returns how many ended. Each is in the audit log as a ``logout`` of its
    user, initiated by the provider."""
    rows = ProviderSession.objects.select_related("user").filter(issuer=issuer)
    if sid:
        rows = rows.filter(sid=sid)
        if subject:
            rows = rows.filter(subject=subject)
    elif subject:
        rows = rows.filter(subject=subject)
    else:
        return 0
    store = _store()
    ended = 0
    for row in rows.select_for_update():
        session = store(session_key=row.session_key)
        data = session.load()  # an empty dict when the session is gone already
        if data:
            record = data.get(assurance.SESSION_KEY)
            request_context.update(assurance_level=assurance.label(record))
            actor = actor_for_user(row.user, data.get(MEMBERSHIP_KEY))
            audit.event_record(
                actor=actor,
                action=Action.LOGOUT,
                resource_type="auth.session",
                details={"method": assurance.OIDC, "initiated_by": "provider"},
            )
            session.delete(row.session_key)
            ended += 1
        row.delete()
    return ended

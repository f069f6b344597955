"""The session's user, its second factor's device and its memberships in one query
(decision 0366).

Django's ``AuthenticationMiddleware`` loads the session's user (one query) and
django-otp's ``OTPMiddleware`` then loads the device the session passed its second
factor with (a second query), and ``directory``'s ``ActorMiddleware`` the user's
active memberships (a third). Every logged-in page paid the three round trips.
``VerifiedUserMiddleware`` takes ``OTPMiddleware``'s place: when the session names a
TOTP device, the user is read with that device and the active memberships joined
(``directory.selectors.session_user``; the actor then uses those memberships), and the user
goes through the same checks Django's ``auth.get_user`` makes (the session's backend is
still configured, the backend would return this user, the session's password hash
matches), then through django-otp's own (the device belongs to this user and is
confirmed). The result is the same user, device and memberships as the three queries
gave,
read fresh from the database on every request: nothing is cached, so a logout, a
deactivated account, a changed password or a removed device take effect on the next
request in every process.

Anything else (no device in the session, another kind of device, a backend whose
``get_user`` is not ``ModelBackend``'s, no such user) takes Django's,
django-otp's and the actor's own path unchanged.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser
from django.utils.crypto import constant_time_compare
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware

from samverkan.directory import selectors as directory

TOTP_DEVICE = "otp_totp.totpdevice"


class VerifiedUserMiddleware(OTPMiddleware):
    """django-otp's middleware, with the user, the device and the memberships read in
    one query."""

    def _verify_user_sync(self, request, user):
        found = user_with_device(request)
        if found is None:
            return super()._verify_user_sync(request, user)
        user, device = found
        # What AuthenticationMiddleware's lazy user gives, should anything ask it.
        request._cached_user = user
        self._init_user_fields(user)
        if user.is_authenticated:
            user.otp_device = self._finalize_device(request, user, device)
        return user


def _checks_like_django(backend) -> bool:
    """Whether the session's backend reads the user as Django's ``ModelBackend`` does
    (refusing an inactive user); the staff and family OpenID backends do (decision
    0366). Any other backend takes Django's own path."""
    return type(backend).get_user is ModelBackend.get_user


def user_with_device(request):
    """``(user, device)`` read in one query, the user checked as ``auth.get_user``
    checks it (``AnonymousUser`` when it refuses), the device ``None`` when the session's
    is not this user's; ``None`` when this shortcut does not apply."""
    session = request.session
    try:
        user_id = auth._get_user_session_key(request)
        backend_path = session[auth.BACKEND_SESSION_KEY]
        persistent_id = session[DEVICE_ID_SESSION_KEY]
    except KeyError:
        return None
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return None
    label, _, device_id = OTPMiddleware._normalize_persistent_id(persistent_id).rpartition("/")
    if label != TOTP_DEVICE or not device_id.isdigit():
        return None
    backend = auth.load_backend(backend_path)
    if not _checks_like_django(backend):
        return None
    found = directory.session_user(user_id, int(device_id))
    if found is None:
        return None
    user = _session_verified(request, found) if backend.user_can_authenticate(found) else None
    return (user or AnonymousUser()), found.session_device


def _session_verified(request, user):
    """The user, or ``None`` (the session flushed) when the session's password hash
    does not match: the check ``django.contrib.auth.get_user`` makes (Django 5.x)."""
    session_hash = request.session.get(auth.HASH_SESSION_KEY)
    session_auth_hash = user.get_session_auth_hash()
    if session_hash and constant_time_compare(session_hash, session_auth_hash):
        return user
    if session_hash and any(
        constant_time_compare(session_hash, fallback)
        for fallback in user.get_session_auth_fallback_hash()
    ):
        request.session.cycle_key()
        request.session[auth.HASH_SESSION_KEY] = session_auth_hash
        return user
    request.session.flush()
    return None

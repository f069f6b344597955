"""Two-factor login (TOTP, with django-otp): who must use it, enrolling an
authenticator app, checking a code, resetting a lost device. Every step leaves an audit
row.

The decision is kept in the session at login (``SESSION_STATE``) so that the gate in
``web.middleware.SecondFactorMiddleware`` costs no query on ordinary requests; whether
the session has passed its second factor is django-otp's ``request.user.is_verified()``.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.models import Action, Outcome
from samverkan.directory import selectors as directory

SESSION_STATE = "samverkan_second_factor"
# The session's state: the code must be given, an app must be enrolled first, or no
# second factor is asked for.
VERIFY = "verify"
ENROL = "enrol"
NOT_REQUIRED = "not_required"

# A function that carries one of these sees personal data: its holders must use a
# second factor (when SAMVERKAN["REQUIRE_2FA"] is on).
PERSONAL_DATA_PERMISSIONS = frozenset({Permission.PEOPLE_VIEW, Permission.AUDIT_VIEW})

DEVICE_NAME = "Autentiseringsapp"
RESOURCE = "auth.otp_device"


def required_for(user) -> bool:
    """Whether the user must use a second factor: the setting is on and one of the
    user's active memberships has a function that sees personal data."""
    if not settings.SAMVERKAN["REQUIRE_2FA"]:
        return False
    return any(
        PERSONAL_DATA_PERMISSIONS.intersection(membership.function.permissions)
        for membership in directory.active_memberships(user.pk)
    )


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("id").first()


def state_for(user) -> str:
    """What a logged-in user still has to do before anything else."""
    if confirmed_device(user) is not None:
        return VERIFY
    if required_for(user):
        return ENROL
    return NOT_REQUIRED


def record_state_at_login(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: keep the state in the new session, so that the gate
    needs no query on later requests."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STATE] = state_for(user)


def session_state(request) -> str:
    """The state kept in the session; worked out (and kept) if the session has none,
    e.g. one created before two-factor login existed."""
    state = request.session.get(SESSION_STATE)
    if state not in {VERIFY, ENROL, NOT_REQUIRED}:
        state = state_for(request.user)
        request.session[SESSION_STATE] = state
    return state


def is_done(request) -> bool:
    """Whether the logged-in session may go on: verified, or no second factor asked."""
    return request.user.is_verified() or session_state(request) == NOT_REQUIRED


# Enrolment --------------------------------------------------------------------------


def enrolment_device(user) -> TOTPDevice:
    """The user's unconfirmed device, created on first use: the secret shown on the
    enrolment page stays the same until it is confirmed."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as authenticator apps expect it typed in: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice, *, label: str) -> SafeString:
    """The device's otpauth:// address as a QR code: an inline SVG element (no image
    request, no script), with an accessible name."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    attributes = format_html('<svg role="img" aria-label="{}" class="qr-code" ', label)
    # The SVG is generated here by the qrcode library from our own otpauth:// address
    # (hex secret, username quoted by django-otp); nothing in it comes from a request.
    return mark_safe(svg.replace("<svg ", attributes, 1))  # noqa: S308  # nosec B308 B703


@dataclass(frozen=True)
class CodeResult:
    ok: bool
    # Seconds to wait before the next try after repeated wrong codes (django-otp's
    # exponential back-off), 0 when a try is allowed.
    wait_seconds: int = 0


def _normalise(code: str) -> str:
    return "".join((code or "").split())


def _throttled(device: TOTPDevice) -> int:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return 0
    locked_until = (info or {}).get("locked_until")
    if locked_until is None:
        return 1
    return max(1, int((locked_until - timezone.now()).total_seconds()) + 1)


def _fail(request, device: TOTPDevice, *, stage: str, wait: int) -> CodeResult:
    audit.event_record(
        actor=request.actor,
        action=Action.OTP_FAILED,
        resource_type=RESOURCE,
        resource_id=device.persistent_id,
        outcome=Outcome.DENIED,
        details={"stage": stage, "throttled": bool(wait)},
    )
    return CodeResult(ok=False, wait_seconds=wait)


def _passed(request, device: TOTPDevice) -> None:
    django_otp.login(request, device)
    # A new session id once the second factor is passed (no fixation across it).
    request.session.cycle_key()
    request.session[SESSION_STATE] = VERIFY


def enrolment_confirm(*, request, device: TOTPDevice, code: str) -> CodeResult:
    """Confirm the enrolment with a code from the app. On success the device is the
    user's second factor and this session counts as verified."""
    with transaction.atomic():
        wait = _throttled(device)
        verified = (
            None
            if wait
            else django_otp.verify_token(request.user, device.persistent_id, _normalise(code))
        )
        if verified is None:
            return _fail(request, device, stage="enrol", wait=wait)
        verified.confirmed = True
        verified.save(update_fields=["confirmed"])
        # Other unconfirmed devices (an abandoned earlier try) have no use.
        TOTPDevice.objects.devices_for_user(request.user, confirmed=False).delete()
        _passed(request, verified)
        audit.event_record(
            actor=request.actor,
            action=Action.OTP_ENROL,
            resource_type=RESOURCE,
            resource_id=verified.persistent_id,
        )
    return CodeResult(ok=True)


def code_verify(*, request, code: str) -> CodeResult:
    """Check the code from the user's enrolled app."""
    device = confirmed_device(request.user)
    if device is None:
        return CodeResult(ok=False)
    with transaction.atomic():
        wait = _throttled(device)
        verified = (
            None
            if wait
            else django_otp.verify_token(request.user, device.persistent_id, _normalise(code))
        )
        if verified is None:
            return _fail(request, device, stage="login", wait=wait)
        _passed(request, verified)
        audit.event_record(
            actor=request.actor,
            action=Action.OTP_VERIFY,
            resource_type=RESOURCE,
            resource_id=verified.persistent_id,
        )
    return CodeResult(ok=True)


def devices_reset(*, actor, user) -> int:
    """Remove every device of a user who lost theirs (an administrator's command): the
    user enrols a new app at the next login. Returns how many devices were removed."""
    with transaction.atomic():
        devices = TOTPDevice.objects.devices_for_user(user, confirmed=None)
        removed = devices.count()
        devices.delete()
        audit.event_record(
            actor=actor,
            action=Action.OTP_RESET,
            resource_type=RESOURCE,
            resource_id=str(user.pk),
            details={"username": user.get_username(), "devices": removed},
        )
    return removed

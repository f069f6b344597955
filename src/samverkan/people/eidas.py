"""Foreign eIDs (through eIDAS) linked to guardian records (decision 0310).

A guardian whose foreign eID gives no Swedish number cannot be found by personnummer.
Staff of the organisation that recorded the guardian check the person's identity in
person (a passport or an identity card) and link the eID — the identity provider, the
eIDAS identifier the portal showed the person, the country — to their guardian record.
The family portal then logs that eID in as this guardian. A link is ended (with who,
when and why), never changed or deleted; both acts are audited on the child."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.core import bounds
from samverkan.core.errors import NotFound, ValidationFailed
from samverkan.core.unique import create_or_refuse

from .custody import _own_custody
from .models import Child, GuardianEidasLink, IdentityCheck
from .writes import _audit_child

# Sweden Connect's prid ("DE:abc123", "NO:...") or an eIDAS PersonIdentifier
# ("DE/SE/abc123"): two letters, then ":" or "/SE/", then the person's code.
_IDENTIFIER = re.compile(r"^[A-Z]{2}(:|/[A-Z]{2}/)[A-Za-z0-9+/=._:-]{1,180}$")


def portal_issuer() -> str:
    return settings.SAMVERKAN_PORTAL_OIDC["ISSUER"]


def linked_guardian_ids(issuer: str, identifier: str) -> frozenset[int]:
    """The guardian records the foreign eID is linked to now."""
    if not issuer or not identifier:
        return frozenset()
    return frozenset(
        GuardianEidasLink.objects.filter(
            issuer=issuer, identifier=identifier, revoked_at__isnull=True
        ).values_list("guardian_id", flat=True)
    )


def links_of(guardian_ids) -> dict[int, list[GuardianEidasLink]]:
    """The links in force per guardian record (for the staff's guardian form)."""
    found: dict[int, list[GuardianEidasLink]] = {}
    for link in GuardianEidasLink.objects.filter(
        guardian_id__in=list(guardian_ids), revoked_at__isnull=True
    ).order_by("linked_at", "pk"):
        found.setdefault(link.guardian_id, []).append(link)
    return found


def clean_identifier(raw: str) -> str:
    value = re.sub(r"\s+", "", raw or "")
    if not value:
        raise ValidationFailed(_("Ange koden från e-tjänsten."), field="identifier")
    value = value[:2].upper() + value[2:]
    if len(value) > bounds.TEXT_NAME or not _IDENTIFIER.match(value):
        raise ValidationFailed(
            _(
                "Koden ser inte ut som en kod från e-tjänsten. Den börjar med landets två "
                "bokstäver och ett kolon, till exempel DE:abc123."
            ),
            field="identifier",
        )
    return value


@transaction.atomic
def link(
    *, actor: Actor, child: Child, guardian_public_id, identifier: str, checked_how: str
) -> GuardianEidasLink:
    """Link a foreign eID to the actor's organisation's record of the guardian, after
    the identity was checked in person as ``checked_how`` says."""
    custody, decision = _own_custody(actor, child, guardian_public_id)
    if actor.user_id is None:
        raise NotFound(_("Vårdnadshavaren finns inte i din verksamhets register."))
    identifier = clean_identifier(identifier)
    if checked_how not in IdentityCheck.values:
        raise ValidationFailed(_("Välj hur du kontrollerade identiteten."), field="checked_how")
    issuer = portal_issuer()
    if not issuer:
        raise ValidationFailed(
            _("Inloggning till familjens sidor är inte påslagen här."), field="identifier"
        )
    refused = _("Den utländska e-legitimationen är redan kopplad till vårdnadshavaren.")
    if GuardianEidasLink.objects.filter(
        guardian=custody.guardian, issuer=issuer, identifier=identifier, revoked_at__isnull=True
    ).exists():
        raise ValidationFailed(refused, field="identifier")
    with create_or_refuse(refused, field="identifier"):
        row = GuardianEidasLink.objects.create(
            guardian=custody.guardian,
            issuer=issuer,
            identifier=identifier,
            country=identifier[:2],
            checked_how=checked_how,
            linked_by_id=actor.user_id,
            linked_by_name=actor.label[: bounds.TEXT_LABEL],
            linked_at=timezone.now(),
        )
    _audit_child(
        actor,
        Action.CREATE,
        child,
        decision.ground,
        resource=row,
        guardian=str(custody.guardian.public_id),
        country=row.country,
        checked_how=checked_how,
    )
    return row


@transaction.atomic
def revoke(*, actor: Actor, child: Child, guardian_public_id, link_public_id, reason: str):
    """End a link: from now on the foreign eID no longer logs in as the guardian (a
    portal session in progress loses the child at its next page)."""
    custody, decision = _own_custody(actor, child, guardian_public_id)
    try:
        row = GuardianEidasLink.objects.select_for_update().get(
            public_id=link_public_id, guardian=custody.guardian, revoked_at__isnull=True
        )
    except (GuardianEidasLink.DoesNotExist, ValueError) as exc:
        raise NotFound(_("Kopplingen finns inte eller är redan borttagen.")) from exc
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Skriv varför kopplingen tas bort."), field="reason")
    row.revoked_at = timezone.now()
    row.revoked_by_name = actor.label[: bounds.TEXT_LABEL]
    row.revoke_reason = bounds.check_text(reason, max_length=bounds.TEXT_LINE, field="reason")
    row.save(update_fields=["revoked_at", "revoked_by_name", "revoke_reason", "updated_at"])
    _audit_child(
        actor,
        Action.CHANGE,
        child,
        decision.ground,
        resource=row,
        guardian=str(custody.guardian.public_id),
        reason=row.revoke_reason,
    )
    return row

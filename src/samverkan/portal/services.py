"""Writes of the family portal (decision 0200): the login (a portal account for a
person the family rule gives a child, the audit row), and the three acts on a consent,
each through the consent app's family services and recorded as a ``SigningAct`` with
the e-legitimation transaction, in one transaction."""

from __future__ import annotations

import datetime
import time

from django.db import transaction
from django.utils import timezone

from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action, Outcome
from samverkan.consent import family as consent_family
from samverkan.core import bounds, request_context
from samverkan.directory import assurance
from samverkan.people import eidas as people_eidas
from samverkan.people import family as people_family

from . import receipt
from .models import FamilyAccount, SigningAct, SigningKind
from .session import FUNCTION_NAME, actor_for

NO_CHILDREN = "no_children"
EIDAS_NOT_LINKED = "eidas_not_linked"


class NoChildren(Exception):
    """The person is neither a registered guardian of a child nor a young person old
    enough to log in themself."""


class EidasNotLinked(Exception):
    """A foreign eID with no Swedish number that staff have not linked to a guardian
    record (decision 0310): the person is shown their identifier to take to staff."""

    def __init__(self, identifier: str, country: str):
        super().__init__(country)
        self.identifier = identifier
        self.country = country


def _account_for(identity, now) -> FamilyAccount:
    if identity.personal_number:
        lookup = {"personal_number": identity.personal_number}
    else:
        lookup = {
            "personal_number": "",
            "eidas_issuer": identity.eidas_issuer,
            "eidas_identifier": identity.eidas_identifier,
        }
    account, created = FamilyAccount.objects.get_or_create(
        **lookup,
        defaults={
            "display_name": identity.name,
            "first_login_at": now,
            "last_login_at": now,
            "eidas_issuer": identity.eidas_issuer,
            "eidas_identifier": identity.eidas_identifier,
            "eidas_country": identity.eidas_country,
        },
    )
    if not created:
        account.last_login_at = now
        account.display_name = identity.name or account.display_name
        fields = ["last_login_at", "display_name", "updated_at"]
        if identity.is_eidas:
            # The eID the person used this time (a mapped number may also be used
            # with a Swedish eID, which leaves the last foreign one recorded).
            account.eidas_issuer = identity.eidas_issuer
            account.eidas_identifier = identity.eidas_identifier
            account.eidas_country = identity.eidas_country
            fields += ["eidas_issuer", "eidas_identifier", "eidas_country"]
        account.save(update_fields=fields)
    return account


@transaction.atomic
def login_record(*, identity, acr: str, sid: str, sub: str) -> tuple[FamilyAccount, dict]:
    """The portal account of the person the provider vouched for, made at the first
    login, and the session record. Refused (``NoChildren``) when the family rule gives
    them no child: nobody else gets an account. A foreign eID (eIDAS) with no Swedish
    number logs in only as the guardian records staff linked it to
    (``EidasNotLinked`` otherwise)."""
    level = assurance.level_of(acr)
    linked = people_eidas.linked_guardian_ids(identity.eidas_issuer, identity.eidas_identifier)
    if identity.is_eidas and not identity.personal_number and not linked:
        raise EidasNotLinked(identity.eidas_identifier, identity.eidas_country)
    probe = Actor(
        user_id=None,
        function_name=FUNCTION_NAME,
        assurance_sufficient=True,
        family_id=0,
        family_personal_number=identity.personal_number,
        family_guardian_ids=linked,
    )
    if not people_family.has_any_child(probe):
        raise NoChildren()
    now = timezone.now()
    account = _account_for(identity, now)
    entry = {
        "account_id": account.pk,
        "name": identity.name,
        "acr": acr,
        "level": level,
        "sid": sid,
        "sub": sub,
        "transaction_id": identity.transaction_id,
        "eidas": identity.is_eidas,
        "country": identity.eidas_country,
        "login_at": time.time(),
        "seen_at": time.time(),
    }
    actor = actor_for(entry, account)
    request_context.update(assurance_level=actor.assurance_level)
    audit.event_record(
        actor=actor,
        action=Action.LOGIN,
        resource_type="auth.session",
        details={
            "method": "oidc",
            "client": "portal",
            "acr": acr,
            "level": level,
            "sub": sub[:100],
            # A foreign eID through eIDAS: the country, and whether the person was
            # found by the number the eIDAS node bound to them or by a staff link.
            **(
                {
                    "eidas": True,
                    "country": identity.eidas_country,
                    "by": "mapped_number" if identity.personal_number else "staff_link",
                }
                if identity.is_eidas
                else {}
            ),
        },
    )
    return account, entry


def login_refused(*, reason: str, claims: dict | None = None) -> None:
    audit.event_record(
        actor=None,
        action=Action.LOGIN_FAILED,
        resource_type="auth.session",
        outcome=Outcome.DENIED,
        reason=reason,
        details={
            "method": "oidc",
            "client": "portal",
            "reason": reason,
            "subject": str((claims or {}).get("sub", ""))[:100],
        },
    )


def e_transaction(entry: dict) -> consent_family.ETransaction:
    return consent_family.ETransaction(
        transaction_id=entry.get("transaction_id", ""),
        acr=entry.get("acr", ""),
        level=entry.get("level"),
        authenticated_at=datetime.datetime.fromtimestamp(entry.get("login_at", 0), tz=datetime.UTC),
    )


def _act(actor, entry, kind, view, statement, result=None) -> SigningAct:
    etx = e_transaction(entry)
    return SigningAct.objects.create(
        account_id=actor.family_id,
        kind=kind,
        consent_public_id=view.public_id,
        result_public_id=result,
        child_public_id=view.consent.child.public_id,
        signer_name=actor.display_name[:200],
        statement=statement[: bounds.TEXT_DOCUMENT],
        text_sha256=receipt.digest(statement),
        transaction_id=etx.transaction_id,
        acr=etx.acr[:200],
        assurance_level=etx.level,
        authenticated_at=etx.authenticated_at,
        occurred_at=timezone.now(),
    )


@transaction.atomic
def consent_sign(*, actor: Actor, entry: dict, public_id, statement: str) -> SigningAct:
    view = consent_family.consent_for_family(actor, public_id)
    consent_family.family_sign(actor=actor, public_id=public_id, etx=e_transaction(entry))
    return _act(actor, entry, SigningKind.SIGN, view, statement)


@transaction.atomic
def consent_revoke(*, actor: Actor, entry: dict, public_id, statement: str, note: str = ""):
    view = consent_family.consent_for_family(actor, public_id)
    consent_family.family_revoke(
        actor=actor, public_id=public_id, etx=e_transaction(entry), note=note
    )
    return _act(actor, entry, SigningKind.REVOKE, view, statement)


@transaction.atomic
def consent_narrow(
    *, actor: Actor, entry: dict, public_id, statement: str, party_ids, category_codes
):
    view = consent_family.consent_for_family(actor, public_id)
    new = consent_family.family_narrow(
        actor=actor,
        public_id=public_id,
        etx=e_transaction(entry),
        remove_party_ids=party_ids,
        remove_category_codes=category_codes,
    )
    _act(actor, entry, SigningKind.NARROW, view, statement, result=new.public_id)
    return new

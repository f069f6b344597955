"""Access rules for agreements and routines (not personal data, but not public either).

- **Read**: staff of an organisation that is party to the agreement, once it is no
  longer a draft; editors always.
- **Edit** (and accept or reject proposals): the document owner — staff acting in the
  owner function of the owner organisation — and the strategy group (the
  ``governance.manage`` permission).
- **Create**: the strategy group.
- **Comment or propose a change**: anyone who may read it.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy

from samverkan.access import policy
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit.models import Action
from samverkan.audit.services import Ground

from .models import Agreement, AgreementParty, AgreementStatus

MANAGE = Permission.GOVERNANCE_MANAGE
_READS = {Action.READ, Action.PRINT, Action.EXPORT}

STRATEGY_GROUP = Ground(code="strategy_group", label=gettext_lazy("Strategigruppen (styrdokument)"))
SURVEY_RESPONDENT = Ground(code="survey_respondent", label=gettext_lazy("Svarar på en enkät"))
DOCUMENT_OWNER = "document_owner"
AGREEMENT_PARTY = "agreement_party"


def is_strategy_group(actor: Actor | None) -> bool:
    return actor is not None and actor.has_perm(MANAGE)


def is_owner(actor: Actor | None, agreement: Agreement) -> bool:
    return (
        actor is not None
        and actor.has_membership
        and actor.organisation_id == agreement.owner_organisation_id
        and actor.function_code == agreement.owner_function.code
    )


def may_edit(actor: Actor | None, agreement: Agreement) -> bool:
    return is_strategy_group(actor) or is_owner(actor, agreement)


def may_create(actor: Actor | None) -> bool:
    return is_strategy_group(actor)


def _is_party(actor: Actor, agreement: Agreement) -> bool:
    return AgreementParty.objects.filter(
        agreement=agreement, organisation_id=actor.organisation_id
    ).exists()


def decide_agreement(actor: Actor, action: str, agreement: Agreement) -> policy.Decision:
    if is_strategy_group(actor):
        return policy.allow(STRATEGY_GROUP)
    if is_owner(actor, agreement):
        return policy.allow(
            Ground(
                code=DOCUMENT_OWNER,
                label=f"Dokumentägare för {agreement.title}",
                reference=str(agreement.public_id),
            )
        )
    if action not in _READS:
        return policy.deny("Bara dokumentägaren och strategigruppen kan ändra dokumentet.")
    if agreement.status == AgreementStatus.DRAFT:
        return policy.deny("Dokumentet är ett utkast och visas bara för dem som skriver det.")
    if _is_party(actor, agreement):
        return policy.allow(
            Ground(
                code=AGREEMENT_PARTY,
                label=f"Part i {agreement.title}",
                reference=str(agreement.public_id),
            )
        )
    return policy.deny("Din organisation är inte part i dokumentet.")


def agreements_condition(actor: Actor, action: str) -> Q | None:
    if is_strategy_group(actor):
        return Q(pk__isnull=False)
    owner = Q(
        owner_organisation_id=actor.organisation_id,
        owner_function__code=actor.function_code,
    )
    if action not in _READS:
        return owner
    party = Exists(
        AgreementParty.objects.filter(
            agreement=OuterRef("pk"), organisation_id=actor.organisation_id
        )
    )
    return owner | (party & ~Q(status=AgreementStatus.DRAFT))


def register() -> None:
    policy.register(Agreement, decide=decide_agreement, condition=agreements_condition)

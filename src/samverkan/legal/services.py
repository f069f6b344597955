"""Recording a judgement under a ground that needs one ("Kan jag lämna ut det här?").

``decision_record`` refuses unless: the actor's organisation has its own matter with the
child; the ground is in the catalogue, needs a human judgement, and the catalogue
permits it on the day of the decision (in force, direction, category, age, authorities);
every condition of the ground is confirmed; where the ground requires an
interest-balancing, who weighed (the actor), what was weighed (the recipient's need and
the interest the secrecy protects) and the outcome with its motivation are all given.
The decision and its audit row are written in one transaction.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.core.errors import ValidationFailed
from samverkan.people import identity

from . import catalogue, grounds, history, organisations, paths
from .models import DisclosureDecision, Outcome

DEFAULT_VALID_DAYS = 30


def valid_days() -> int:
    """How long a decision to disclose lets the recipient read the category."""
    return settings.SAMVERKAN.get("LEGAL_DECISION_VALID_DAYS", DEFAULT_VALID_DAYS)


def verdict_for(
    *,
    ground: catalogue.Ground,
    child,
    from_organisation_id: int,
    to_organisation_id: int,
    category: str,
    at: datetime.datetime,
) -> catalogue.Verdict:
    kinds = organisations.kinds(from_organisation_id, to_organisation_id)
    if to_organisation_id not in kinds:
        return catalogue.Verdict(False, _("Mottagaren finns inte."))
    source, target = kinds[from_organisation_id], kinds[to_organisation_id]
    day = timezone.localtime(at).date()
    return catalogue.load().permits(
        ground,
        from_type=source.org_type,
        to_type=target.org_type,
        category=category,
        at=day,
        age=identity.age_on(child.date_of_birth, day),
        from_kind=source.principal_kind,
        to_kind=target.principal_kind,
    )


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(message, field=field)
    return value


def decision_record(
    *,
    actor: Actor,
    child_view,
    to_organisation_id: int,
    category: str,
    ground_code: str,
    what: str,
    confirmed: list[int],
    outcome: str,
    motivation: str,
    recipient_need: str = "",
    secrecy_interest: str = "",
    at: datetime.datetime | None = None,
) -> DisclosureDecision:
    """``child_view``: the child as ``people.child_get`` gave it to the actor."""
    at = at or timezone.now()
    if not child_view.own_matter:
        raise ValidationFailed(
            _("Bara en verksamhet som har ett eget ärende med barnet kan pröva ett utlämnande.")
        )
    if to_organisation_id == actor.organisation_id:
        raise ValidationFailed(_("Inom samma verksamhet lämnas inget ut."), field="to_organisation")
    current = catalogue.load()
    try:
        ground = current.get(ground_code)
    except KeyError:
        raise ValidationFailed(_("Grunden finns inte i katalogen."), field="ground") from None
    if not ground.judgement:
        raise ValidationFailed(
            _("%(name)s prövas av Samverkan själv; den kräver inget beslut.")
            % {"name": ground.name},
            field="ground",
        )
    verdict = verdict_for(
        ground=ground,
        child=child_view.child,
        from_organisation_id=actor.organisation_id,
        to_organisation_id=to_organisation_id,
        category=category,
        at=at,
    )
    if not verdict.allowed:
        raise ValidationFailed(verdict.reason, field="ground")
    if sorted(set(confirmed)) != list(range(len(ground.conditions))):
        raise ValidationFailed(
            _("Alla villkor för grunden måste vara uppfyllda och bekräftade."),
            field="conditions",
        )
    if outcome not in Outcome.values:
        raise ValidationFailed(_("Välj utfall."), field="outcome")
    what = _text(what, "what", _("Skriv vilka uppgifter prövningen gäller."))
    motivation = _text(motivation, "motivation", _("Skriv en motivering."))
    if ground.balancing:
        recipient_need = _text(
            recipient_need,
            "recipient_need",
            _("Skriv vilket behov mottagaren har av uppgifterna (intresseavvägningen)."),
        )
        secrecy_interest = _text(
            secrecy_interest,
            "secrecy_interest",
            _("Skriv vilket intresse sekretessen skyddar här (intresseavvägningen)."),
        )
    history.record()
    disclose = outcome == Outcome.DISCLOSE
    with transaction.atomic():
        decision = DisclosureDecision.objects.create(
            child=child_view.child,
            from_organisation_id=actor.organisation_id,
            to_organisation_id=to_organisation_id,
            category=category,
            ground_code=ground.code,
            catalogue_version=current.version,
            what=what,
            conditions_confirmed=list(ground.conditions),
            recipient_need=recipient_need.strip(),
            secrecy_interest=secrecy_interest.strip(),
            outcome=outcome,
            motivation=motivation,
            decided_at=at,
            decided_by_id=actor.user_id,
            decided_by_name=actor.label,
            decided_by_function=actor.function_name or "",
            valid_until=at + datetime.timedelta(days=valid_days()) if disclose else None,
        )
        audit.event_record(
            actor=actor,
            action=Action.CREATE,
            resource_type="legal.disclosuredecision",
            resource_id=str(decision.public_id),
            subject_id=str(child_view.child.public_id),
            ground=grounds.audit_ground(ground.code, str(decision.public_id)),
            reason=_("Utlämnandeprövning: %(outcome)s") % {"outcome": Outcome(outcome).label},
            details={
                "to_organisation_id": to_organisation_id,
                "category": category,
                "outcome": outcome,
                "interest_balancing": ground.balancing,
                "conditions_confirmed": len(ground.conditions),
            },
        )
    transaction.on_commit(lambda: paths.forget(child_view.child.pk))
    paths.forget(child_view.child.pk)
    return decision

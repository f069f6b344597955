"""Consents in the family portal (decision 0200): what a guardian or a young person
sees of the child's consents, and the three things they may do — give (sign) a consent
staff prepared, narrow it, revoke it — through the same rules engine as staff.

A family member is an ``Actor`` with ``is_family``; the family rule below lets them
read and change a consent about a child the people app's family rule lets them see.
Whether they may sign is the rules engine's own question: a guardian signs as the
guardian the registering organisation recorded (matched by personnummer), the young
person as the child. Every read and write is audited with the family member as actor.

Signed givers are never edited: narrowing makes a new consent (``renews`` the old one)
that carries every current signature over — each giver consented to more — and the old
consent's signatures are revoked in the same transaction. Staff are told in their inbox
(``consent.inbox``).

Texts shown to the family never say why a consent stopped covering when the reason is
another organisation's matter (a report or an investigation): the family reads the
neutral account, as every other party does (decision 0080).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.access import pipeline, policy
from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.core.errors import NotFound, ValidationFailed
from samverkan.people import selectors as people
from samverkan.people.identity import age_on

from . import grants, rules, sharing
from . import inbox as consent_inbox
from .models import (
    Consent,
    ConsentForm,
    ConsentGiver,
    ConsentParty,
    Disclosure,
    EventKind,
    GiverKind,
)
from .selectors import _consents_qs, _loaded
from .services import _audit, _event


@dataclass(frozen=True)
class Signature:
    name: str
    kind: str
    given_at: datetime.datetime
    revoked_at: datetime.datetime | None
    mine: bool


@dataclass(frozen=True)
class Shared:
    occurred_at: datetime.datetime
    from_name: str
    to_name: str
    category: str
    what: str


@dataclass
class FamilyConsent:
    consent: Consent
    coverage: rules.Coverage
    parties: list  # (id, name, registering)
    categories: list  # (code, name)
    purposes: list[str]
    signatures: list[Signature]
    state_text: str
    may_sign: bool
    may_change: bool  # narrow and revoke: the family member has a current signature
    giver_kind: str | None
    shared: list[Shared] = field(default_factory=list)

    @property
    def public_id(self):
        return self.consent.public_id

    @property
    def short_id(self) -> str:
        return self.consent.short_id

    @property
    def covers(self) -> bool:
        return self.coverage.covers


def _date(value) -> str:
    return f"{value:%Y-%m-%d}"


def _state_text(consent: Consent, coverage: rules.Coverage, child) -> str:
    """The account for the family: never why a consent lapsed with a matter."""
    state = coverage.state
    if coverage.covers:
        return _("Gäller till och med %(day)s.") % {"day": _date(consent.valid_until)}
    if state == rules.State.NOT_YET:
        return _("Gäller från %(day)s.") % {"day": _date(consent.valid_from)}
    if state == rules.State.EXPIRED:
        return _("Gick ut %(day)s.") % {"day": _date(consent.valid_until)}
    if state == rules.State.REVOKED:
        revoked = min(g.revoked_at for g in consent.givers.all() if g.revoked_at)
        return _("Återkallat %(day)s. Inga fler uppgifter lämnas med stöd av det.") % {
            "day": _date(timezone.localtime(revoked))
        }
    if state == rules.State.GUARDIAN_MISSING:
        return _(
            "Alla vårdnadshavare har inte skrivit under än. Samtycket gäller först när alla "
            "har gjort det."
        )
    if state == rules.State.CHILD_MUST_CONSENT:
        return _("%(first_name)s behöver själv skriva under innan samtycket gäller.") % {
            "first_name": child.first_name
        }
    if state == rules.State.NO_CUSTODIANS:
        return _(
            "Verksamheten behöver registrera vårdnadshavarna innan samtycket kan gälla. "
            "Kontakta verksamheten."
        )
    return _("Samtycket gäller inte längre. Verksamheten kontaktar er om ett nytt samtycke behövs.")


def _giver_for(actor: Actor, consent: Consent, custodies: list):
    """(kind, guardian) the family member would sign as, or (None, reason)."""
    child = consent.child
    number = actor.family_personal_number
    if number and child.personal_number == number:
        if age_on(child.date_of_birth) < settings.SAMVERKAN["CONSENT_CHILD_VIEWS_AGE"]:
            return None, _("Du kan inte själv skriva under samtycket ännu.")
        return GiverKind.CHILD, None
    for custody in custodies:
        if custody.guardian.organisation_id == consent.registered_by_organisation_id and _is_me(
            actor, custody.guardian
        ):
            return GiverKind.GUARDIAN, custody.guardian
    return None, _(
        "Verksamheten som har skrivit samtycket har inte registrerat dig som vårdnadshavare. "
        "Kontakta verksamheten."
    )


def _is_me(actor: Actor, guardian) -> bool:
    """The guardian record names the family member: by personnummer, or staff linked
    their foreign eID to it (decision 0310)."""
    number = actor.family_personal_number
    return bool(number and guardian.personal_number == number) or (
        guardian.pk in actor.family_guardian_ids
    )


def _mine(actor: Actor, giver: ConsentGiver) -> bool:
    if giver.kind == GiverKind.CHILD:
        number = actor.family_personal_number
        return bool(number) and giver.consent.child.personal_number == number
    return giver.guardian is not None and _is_me(actor, giver.guardian)


def _view(actor, consent, facts, hidden: set[int], *, with_shared: bool) -> FamilyConsent:
    coverage = sharing.coverage(consent, facts, timezone.now())
    givers = list(consent.givers.all())
    kind, _guardian = _giver_for(actor, consent, facts.custodies)
    mine = [g for g in givers if _mine(actor, g)]
    revoked = any(g.revoked_at for g in givers)
    open_ = not revoked and consent.valid_until >= timezone.localdate()
    view = FamilyConsent(
        consent=consent,
        coverage=coverage,
        parties=[
            (
                p.organisation_id,
                p.organisation.name,
                p.organisation_id == consent.registered_by_organisation_id,
            )
            for p in consent.party_links.all()
        ],
        categories=[(c.code, c.name) for c in consent.categories.all()],
        purposes=[p.name for p in consent.purposes.all()],
        signatures=[
            Signature(g.name, g.kind, g.given_at, g.revoked_at, _mine(actor, g)) for g in givers
        ],
        state_text=_state_text(consent, coverage, consent.child),
        may_sign=open_ and kind is not None and not mine,
        may_change=open_ and any(g.revoked_at is None for g in mine),
        giver_kind=kind,
    )
    if with_shared:
        view.shared = [
            Shared(
                d.occurred_at,
                d.from_organisation.name,
                d.to_organisation.name,
                d.category.name,
                d.what,
            )
            for d in Disclosure.objects.filter(consent=consent)
            .exclude(from_organisation_id__in=hidden)
            .exclude(to_organisation_id__in=hidden)
            .select_related("from_organisation", "to_organisation", "category")
            .order_by("-occurred_at", "-pk")[:100]
        ]
    return view


def consents_for_family(actor: Actor, child, *, hidden=frozenset()) -> list[FamilyConsent]:
    """The child's consents for a family member, through the disclosure pipeline (one
    audit row per consent, the family member as actor)."""
    results = pipeline.disclose(
        actor,
        Action.READ,
        _loaded(list(_consents_qs().filter(child=child).order_by("-created_at", "-pk"))),
        subject=lambda consent: str(child.public_id),
        reason="Familjens samtycken",
    )
    shown = [r.resource for r in results if r.shown]
    if not shown:
        return []
    facts = sharing.ChildFacts(
        child=child,
        custodies=people.system_custodies(child),
        involvements=people.system_involvements(child),
        consents=shown,
    )
    return [_view(actor, c, facts, set(hidden), with_shared=False) for c in shown]


def _load(actor: Actor, public_id, action: str, *, lock: bool = False) -> Consent:
    try:
        qs = _consents_qs()
        if lock:
            Consent.objects.select_for_update().filter(public_id=public_id).first()
        consent = _loaded([qs.get(public_id=public_id)])[0]
    except (Consent.DoesNotExist, ValueError, DjangoValidationError) as exc:
        raise NotFound(_("Samtycket finns inte.")) from exc
    pipeline.disclose_one(actor, action, consent, subject=str(consent.child.public_id))
    return consent


def consent_for_family(actor: Actor, public_id, *, hidden=None) -> FamilyConsent:
    """One consent with what was shared under it. ``hidden(child)``: the organisations
    the family must not be told of, left out of what was shared."""
    consent = _load(actor, public_id, Action.READ)
    leave_out = set(hidden(consent.child)) if hidden else set()
    return _view(
        actor, consent, sharing.ChildFacts.load(consent.child), leave_out, with_shared=True
    )


@dataclass(frozen=True)
class ETransaction:
    """The e-legitimation behind a signature: the provider's transaction (the ID
    token's ``jti``, else a digest of the token), its ``acr`` and level, and when the
    person identified themself."""

    transaction_id: str
    acr: str
    level: int | None
    authenticated_at: datetime.datetime

    @property
    def words(self) -> str:
        level = f"LoA {self.level}" if self.level else self.acr
        return f"e-legitimation ({level}), transaktion {self.transaction_id[:16]}"


def _current_view(actor, public_id, *, lock: bool) -> tuple[Consent, FamilyConsent]:
    consent = _load(actor, public_id, Action.CHANGE, lock=lock)
    facts = sharing.ChildFacts.load(consent.child)
    return consent, _view(actor, consent, facts, set(), with_shared=False)


@transaction.atomic
def family_sign(*, actor: Actor, public_id, etx: ETransaction) -> ConsentGiver:
    """The family member gives the consent staff prepared: one signature, theirs."""
    consent, view = _current_view(actor, public_id, lock=True)
    if not view.may_sign:
        if any(s.mine for s in view.signatures):
            raise ValidationFailed(_("Du har redan skrivit under samtycket."))
        if view.giver_kind is None:
            _kind, reason = _giver_for(actor, consent, people.system_custodies(consent.child))
            raise ValidationFailed(reason)
        raise ValidationFailed(
            _("Samtycket går inte att skriva under: det är återkallat eller har gått ut.")
        )
    kind, guardian = _giver_for(actor, consent, people.system_custodies(consent.child))
    giver = ConsentGiver.objects.create(
        consent=consent,
        kind=kind,
        guardian=guardian,
        name=guardian.full_name if guardian else consent.child.full_name,
        given_at=timezone.now(),
        method=ConsentForm.DIGITAL,
    )
    _event(consent, EventKind.SIGNED, actor, f"{giver.name}, {etx.words}")
    grants.refresh([consent.child_id])
    _audit(
        actor,
        Action.CHANGE,
        consent,
        _ground(actor, consent),
        signed=[giver.name],
        e_transaction=etx.transaction_id,
        acr=etx.acr,
    )
    consent_inbox.family_deliver(consent, "signed")
    return giver


def _ground(actor: Actor, consent: Consent):
    return policy.decide(actor, Action.CHANGE, consent).ground


def _my_active(actor: Actor, consent: Consent) -> list[ConsentGiver]:
    return [
        g for g in consent.givers.select_for_update() if g.revoked_at is None and _mine(actor, g)
    ]


@transaction.atomic
def family_revoke(*, actor: Actor, public_id, etx: ETransaction, note: str = "") -> Consent:
    """Revoke: from now on nothing more passes under the consent. Earlier disclosures
    stay documented."""
    consent, view = _current_view(actor, public_id, lock=True)
    mine = _my_active(actor, consent) if view.may_change else []
    if not mine:
        raise ValidationFailed(_("Det finns ingen underskrift av dig att återkalla."))
    now = timezone.now()
    for giver in mine:
        giver.revoked_at = now
        giver.revocation_note = note.strip()
        giver.save(update_fields=["revoked_at", "revocation_note"])
    names = ", ".join(g.name for g in mine)
    _event(
        consent, EventKind.REVOKED, actor, f"{names}, {etx.words}. {note.strip()}".strip(), at=now
    )
    grants.refresh([consent.child_id])
    _audit(
        actor,
        Action.CHANGE,
        consent,
        _ground(actor, consent),
        revoked=[g.name for g in mine],
        e_transaction=etx.transaction_id,
        acr=etx.acr,
    )
    return consent


NARROWED_NOTE = gettext_lazy("Inskränkt av familjen")


@transaction.atomic
def family_narrow(
    *,
    actor: Actor,
    public_id,
    etx: ETransaction,
    remove_party_ids: list[int],
    remove_category_codes: list[str],
) -> Consent:
    """Narrow: a new consent without the removed parties or categories, carrying every
    current signature (each giver consented to more), which takes effect at once; the
    old consent's signatures are revoked in the same transaction."""
    old, view = _current_view(actor, public_id, lock=True)
    mine = _my_active(actor, old) if view.may_change else []
    if not mine:
        raise ValidationFailed(_("Bara den som har skrivit under kan inskränka samtycket."))
    party_ids = [p[0] for p in view.parties]
    remove_parties = {int(p) for p in remove_party_ids} & set(party_ids)
    remove_categories = set(remove_category_codes) & {c[0] for c in view.categories}
    if not remove_parties and not remove_categories:
        raise ValidationFailed(_("Välj vad du vill ta bort ur samtycket."), field="parties")
    if old.registered_by_organisation_id in remove_parties:
        raise ValidationFailed(
            _(
                "Verksamheten som har skrivit samtycket kan inte tas bort. Vill du att inga "
                "uppgifter lämnas alls, återkalla samtycket."
            ),
            field="parties",
        )
    keep_parties = [p for p in party_ids if p not in remove_parties]
    keep_categories = [c for c in old.categories.all() if c.code not in remove_categories]
    if len(keep_parties) < 2:
        raise ValidationFailed(
            _("Samtycket måste gälla minst två verksamheter. Återkalla det i stället."),
            field="parties",
        )
    if not keep_categories:
        raise ValidationFailed(
            _("Samtycket måste gälla minst ett slags uppgifter. Återkalla det i stället."),
            field="categories",
        )
    now = timezone.now()
    new = Consent.objects.create(
        child=old.child,
        registered_by_organisation_id=old.registered_by_organisation_id,
        registered_by_id=old.registered_by_id,
        exclusions=old.exclusions,
        form=old.form,
        context=old.context,
        valid_from=old.valid_from,
        valid_until=old.valid_until,
        child_views=old.child_views,
        note=old.note,
        renews=old,
    )
    ConsentParty.objects.bulk_create(
        [ConsentParty(consent=new, organisation_id=p) for p in keep_parties]
    )
    new.categories.set(keep_categories)
    new.purposes.set(list(old.purposes.all()))
    carried = [g for g in old.givers.select_for_update() if g.revoked_at is None]
    ConsentGiver.objects.bulk_create(
        [
            ConsentGiver(
                consent=new,
                kind=g.kind,
                guardian=g.guardian,
                name=g.name,
                given_at=g.given_at,
                method=g.method,
            )
            for g in carried
        ]
    )
    for giver in carried:
        giver.revoked_at = now
        giver.revocation_note = f"{NARROWED_NOTE}: samtycke {new.short_id}"
        giver.save(update_fields=["revoked_at", "revocation_note"])
    removed = [name for pid, name, _r in view.parties if pid in remove_parties] + [
        name for code, name in view.categories if code in remove_categories
    ]
    text = f"{NARROWED_NOTE} ({', '.join(g.name for g in mine)}, {etx.words}): " + ", ".join(
        removed
    )
    _event(new, EventKind.RENEWED, actor, f"{text}. Ersätter samtycke {old.short_id}.", at=now)
    _event(old, EventKind.RENEWED, actor, f"{text}. Ersatt av samtycke {new.short_id}.", at=now)
    grants.refresh([old.child_id])
    ground = _ground(actor, old)
    _audit(
        actor,
        Action.CHANGE,
        old,
        ground,
        narrowed_into=str(new.public_id),
        removed=removed,
        e_transaction=etx.transaction_id,
        acr=etx.acr,
    )
    _audit(actor, Action.CREATE, new, ground, renews=str(old.public_id))
    consent_inbox.family_deliver(old, "narrowed")
    return new


# The family rule for consent records (registered from consent.policies) --------------


def decide_consent_for_family(actor: Actor, action: str, consent: Consent) -> policy.Decision:
    """A family member may read and change a consent about a child the family rule of
    the people app lets them see; the ground is theirs (guardian, or the young person)."""
    if action not in {Action.READ, Action.CHANGE, Action.PRINT}:
        return policy.deny(_("Åtgärden är inte tillåten."))
    return policy.decide(actor, Action.READ, consent.child)

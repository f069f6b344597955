"""Writes of consents. Signed records are never edited: signing adds givers,
revocation stamps them, renewal creates a new consent that points at the old one."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.access.actor import Actor
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.core import i18n
from samverkan.core.errors import NotFound, PermissionDenied, ValidationFailed
from samverkan.directory import selectors as directory
from samverkan.notify import family as notify_family
from samverkan.people import selectors as people
from samverkan.people import services as people_services
from samverkan.people.identity import age_on

from . import grants, sharing
from . import inbox as consent_inbox
from .models import (
    Consent,
    ConsentContext,
    ConsentEvent,
    ConsentForm,
    ConsentGiver,
    ConsentParty,
    Disclosure,
    EventKind,
    GiverKind,
    InformationCategory,
    Purpose,
)

MAX_VALIDITY_DAYS = 3 * 366
# How far back the sweep looks for consents whose expiry has not been recorded yet (a
# sweep that did not run for a while still tells the holders); as far back as
# the inbox (consent.inbox) shows them.
EXPIRY_LOOKBACK_DAYS = 60


@dataclass(frozen=True)
class GiverInput:
    """One person giving consent: a guardian (by public id) or the child itself."""

    kind: str
    guardian_id: str | None = None
    given_on: datetime.date | None = None
    method: str = ConsentForm.WRITTEN


@dataclass(frozen=True)
class NewGuardian:
    """A guardian the registering organisation has not recorded yet, given on the
    consent form (their identity), and whether they have consented."""

    guardian: people_services.GuardianInput
    consented: bool = True
    given_on: datetime.date | None = None
    method: str = ConsentForm.WRITTEN
    source: str = "manual"


def _record_new_guardians(actor: Actor, child, new_guardians: list[NewGuardian]):
    """Record the givers' identities in the organisation's own register of the family
    (each organisation keeps its own, ADR 0005) — only when it has none — and return
    those who consented as givers."""
    if people.system_custodies(child, actor.organisation_id):
        raise ValidationFailed(
            _("Din verksamhet har redan registrerat barnets vårdnadshavare. Välj bland dem."),
            field="givers",
        )
    givers = []
    for new in new_guardians:
        custody = people_services.guardian_add(
            actor=actor, child=child, data=new.guardian, source=new.source
        )
        if new.consented:
            givers.append(
                GiverInput(
                    kind=GiverKind.GUARDIAN,
                    guardian_id=str(custody.guardian.public_id),
                    given_on=new.given_on,
                    method=new.method,
                )
            )
    return givers


def _event(consent: Consent, kind: str, actor: Actor | None, text: str = "", at=None):
    event = ConsentEvent.objects.create(
        consent=consent,
        kind=kind,
        occurred_at=at or timezone.now(),
        actor_name=actor.label if actor else "",
        actor_organisation_name=actor.organisation_name if actor else "",
        text=i18n.stored(text),  # a reason is lazy; the record keeps it in Swedish
    )
    consent_inbox.event_deliver(consent, kind)
    return event


def _audit(actor: Actor, action: str, consent: Consent, ground, **details):
    audit.event_record(
        actor=actor,
        action=action,
        resource_type="consent.consent",
        resource_id=str(consent.public_id),
        subject_id=str(consent.child.public_id),
        ground=ground,
        details=details,
    )


def _given_at(day: datetime.date | None) -> datetime.datetime:
    """A signature dated today counts from now; an earlier date from that day's start."""
    today = timezone.localdate()
    if day is None or day == today:
        return timezone.now()
    if day > today:
        raise ValidationFailed(_("Datum för samtycket kan inte ligga i framtiden."), field="givers")
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _add_givers(actor: Actor, consent: Consent, givers: list[GiverInput]) -> list[ConsentGiver]:
    child = consent.child
    custodies = {
        str(c.guardian.public_id): c.guardian
        for c in people.system_custodies(child, consent.registered_by_organisation_id)
    }
    age = age_on(child.date_of_birth)
    views_age = settings.SAMVERKAN["CONSENT_CHILD_VIEWS_AGE"]
    created = []
    for giver in givers:
        if giver.method not in ConsentForm.values:
            raise ValidationFailed(_("Välj hur samtycket gavs."), field="givers")
        if giver.kind == GiverKind.GUARDIAN:
            guardian = custodies.get(str(giver.guardian_id))
            if guardian is None:
                raise ValidationFailed(
                    _("Bara vårdnadshavare med vårdnad om barnet kan samtycka."), field="givers"
                )
            row = ConsentGiver(
                consent=consent,
                kind=GiverKind.GUARDIAN,
                guardian=guardian,
                name=guardian.full_name,
                given_at=_given_at(giver.given_on),
                method=giver.method,
            )
        elif giver.kind == GiverKind.CHILD:
            if age < views_age:
                raise ValidationFailed(
                    _(
                        "%(first_name)s är %(age)s år. Barnets eget samtycke registreras från "
                        "%(views_age)s år; yngre barns synpunkter skrivs i fältet för barnets "
                        "synpunkter."
                    )
                    % {"first_name": child.first_name, "age": age, "views_age": views_age},
                    field="givers",
                )
            row = ConsentGiver(
                consent=consent,
                kind=GiverKind.CHILD,
                name=child.full_name,
                given_at=_given_at(giver.given_on),
                method=giver.method,
            )
        else:
            raise ValidationFailed(_("Okänd typ av samtyckesgivare."), field="givers")
        # Both as days in the product's time zone (created_at is stored in UTC).
        oldest = timezone.localdate(consent.created_at) - datetime.timedelta(days=30)
        if timezone.localdate(row.given_at) < oldest:
            raise ValidationFailed(
                _("Samtycket kan inte registreras med ett datum mer än 30 dagar bakåt."),
                field="givers",
            )
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError as exc:
            raise ValidationFailed(
                _("%(name)s har redan samtyckt.") % {"name": row.name}, field="givers"
            ) from exc
        created.append(row)
    return created


def _require_change(actor: Actor, child) -> policy.Decision:
    decision = policy.decide(actor, Action.CHANGE, child)
    if not decision:
        raise NotFound(_("Barnet finns inte eller så har du inte behörighet."))
    return decision


@transaction.atomic
def consent_give(
    *,
    actor: Actor,
    child,
    party_ids: list[int],
    category_codes: list[str],
    purpose_codes: list[str],
    form: str,
    context: str,
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    exclusions: str = "",
    child_views: str = "",
    note: str = "",
    givers: list[GiverInput] | None = None,
    renews: Consent | None = None,
    new_guardians: list[NewGuardian] | None = None,
) -> Consent:
    """Register a consent for a child the actor's organisation works with. Without
    givers it is a prepared consent (print the form, then register the signatures).
    ``new_guardians``: when the organisation has not recorded the child's guardians,
    their identities given on the form; they are recorded in the organisation's own
    register (so that the consent can be tested against custody) and those who
    consented become givers."""
    decision = _require_change(actor, child)
    if not actor.has_perm(Permission.PEOPLE_REGISTER):
        raise PermissionDenied(_("Din funktion får inte registrera samtycken."))
    if renews is not None and renews.child_id != child.pk:
        raise ValidationFailed(_("Samtycket som förnyas gäller ett annat barn."), field="renews")
    if new_guardians:
        givers = [*(givers or []), *_record_new_guardians(actor, child, new_guardians)]
    parties = set(party_ids) | {actor.organisation_id}
    known = directory.organisations_by_ids(parties)
    if len(known) != len(parties) or not all(o.is_active for o in known.values()):
        raise ValidationFailed(_("En av de valda verksamheterna finns inte."), field="parties")
    if len(parties) < 2:
        raise ValidationFailed(
            _("Välj minst en verksamhet till som uppgifterna får lämnas till eller från."),
            field="parties",
        )
    categories = list(InformationCategory.objects.filter(code__in=category_codes, is_active=True))
    if not categories or len(categories) != len(set(category_codes)):
        raise ValidationFailed(
            _("Välj vilka slags uppgifter samtycket gäller."), field="categories"
        )
    purposes = list(Purpose.objects.filter(code__in=purpose_codes, is_active=True))
    if not purposes or len(purposes) != len(set(purpose_codes)):
        raise ValidationFailed(_("Välj för vilka syften uppgifterna får lämnas."), field="purposes")
    if form not in ConsentForm.values:
        raise ValidationFailed(_("Välj hur samtycket ges."), field="form")
    if context not in ConsentContext.values:
        raise ValidationFailed(_("Välj i vilket sammanhang samtycket ges."), field="context")
    today = timezone.localdate()
    valid_from = valid_from or today
    valid_until = valid_until or valid_from + datetime.timedelta(
        days=settings.SAMVERKAN["CONSENT_DEFAULT_VALIDITY_DAYS"]
    )
    if valid_from < today - datetime.timedelta(days=30):
        raise ValidationFailed(
            _("Startdatum kan inte ligga mer än 30 dagar bakåt."), field="valid_from"
        )
    if valid_until < valid_from:
        raise ValidationFailed(_("Slutdatum måste vara efter startdatum."), field="valid_until")
    if (valid_until - valid_from).days > MAX_VALIDITY_DAYS:
        raise ValidationFailed(_("Ett samtycke kan gälla högst tre år."), field="valid_until")
    age = age_on(child.date_of_birth)
    if age >= settings.SAMVERKAN["CONSENT_CHILD_VIEWS_AGE"] and not child_views.strip():
        raise ValidationFailed(
            _(
                "%(first_name)s är %(age)s år. Skriv ned barnets egna synpunkter på att "
                "uppgifter lämnas."
            )
            % {"first_name": child.first_name, "age": age},
            field="child_views",
        )
    consent = Consent.objects.create(
        child=child,
        registered_by_organisation_id=actor.organisation_id,
        registered_by_id=actor.user_id,
        exclusions=exclusions.strip(),
        form=form,
        context=context,
        valid_from=valid_from,
        valid_until=valid_until,
        child_views=child_views.strip(),
        note=note.strip(),
        renews=renews,
    )
    ConsentParty.objects.bulk_create(
        [ConsentParty(consent=consent, organisation_id=org_id) for org_id in sorted(parties)]
    )
    consent.categories.set(categories)
    consent.purposes.set(purposes)
    _event(
        consent,
        EventKind.RENEWED if renews else EventKind.REGISTERED,
        actor,
        _("Förnyar samtycke %(short_id)s.") % {"short_id": renews.short_id} if renews else "",
    )
    if renews is not None:
        _event(renews, EventKind.RENEWED, actor, f"Ersatt av samtycke {consent.short_id}.")
    if givers:
        rows = _add_givers(actor, consent, givers)
        _event(consent, EventKind.SIGNED, actor, ", ".join(r.name for r in rows))
    grants.refresh([child.pk])
    _audit(actor, Action.CREATE, consent, decision.ground, parties=sorted(parties))
    if not givers:  # prepared for the family's signature (in the portal, decision 0339)
        notify_family.item_ready(kind=notify_family.CONSENT_PREPARED, child=child, item=consent)
    return consent


def _consent_for_change(actor: Actor, consent: Consent) -> policy.Decision:
    decision = policy.decide(actor, Action.CHANGE, consent)
    if not decision:
        raise PermissionDenied(decision.reason)
    return decision


@transaction.atomic
def consent_sign(*, actor: Actor, consent: Consent, givers: list[GiverInput]) -> Consent:
    """Register that the consent has been signed (who, when, how)."""
    decision = _consent_for_change(actor, consent)
    if not givers:
        raise ValidationFailed(_("Välj vem som har samtyckt."), field="givers")
    if any(g.revoked_at for g in consent.givers.all()):
        raise ValidationFailed(
            _("Samtycket är återkallat. Registrera ett nytt samtycke i stället."), field="givers"
        )
    rows = _add_givers(actor, consent, givers)
    _event(consent, EventKind.SIGNED, actor, ", ".join(r.name for r in rows))
    grants.refresh([consent.child_id])
    _audit(actor, Action.CHANGE, consent, decision.ground, signed=[r.name for r in rows])
    return consent


@transaction.atomic
def consent_revoke(
    *, actor: Actor, consent: Consent, giver_ids: list[int] | None = None, note: str = ""
) -> Consent:
    """Any giver may revoke at any time; it takes effect at once for all further
    sharing. Earlier disclosures stay documented."""
    decision = _consent_for_change(actor, consent)
    now = timezone.now()
    active = [g for g in consent.givers.select_for_update() if g.revoked_at is None]
    if giver_ids is not None:
        active = [g for g in active if g.pk in set(giver_ids)]
    if not active:
        raise ValidationFailed(
            _("Det finns inget gällande samtycke att återkalla."), field="givers"
        )
    for giver in active:
        giver.revoked_at = now
        giver.revocation_note = note.strip()
        giver.save(update_fields=["revoked_at", "revocation_note"])
    names = ", ".join(g.name for g in active)
    _event(consent, EventKind.REVOKED, actor, f"{names}. {note.strip()}".strip(), at=now)
    grants.refresh([consent.child_id])
    _audit(actor, Action.CHANGE, consent, decision.ground, revoked=[g.name for g in active])
    return consent


@transaction.atomic
def disclosure_record(
    *,
    actor: Actor,
    child,
    decision: policy.Decision,
    from_organisation_id: int,
    category: str,
    purpose: str | None,
    what: str,
    resource_type: str,
    resource_id: str,
) -> None:
    """Record that something passed to the actor's organisation on ``decision``'s
    ground: a Disclosure row (for the consent's timeline) and the audit row."""
    disclosures_record(
        actor=actor,
        records=[
            Record(
                passed=Passed(child, decision, from_organisation_id, category, purpose, what),
                resource_type=resource_type,
                resource_id=resource_id,
            )
        ],
    )


@dataclass(frozen=True)
class Passed:
    """One thing the disclosure pipeline showed across organisations (see
    ``disclosures_add``)."""

    child: object
    decision: policy.Decision
    from_organisation_id: int
    category: str
    purpose: str | None
    what: str


@dataclass(frozen=True)
class Record:
    """One thing that passed, with the record the audit row names."""

    passed: Passed
    resource_type: str
    resource_id: str


def disclosures_record(*, actor: Actor, records: list[Record], consents=()) -> None:
    """``disclosure_record`` for several things at once: the Disclosure rows in one
    insert and the audit rows in one insert, each row as ``disclosure_record`` writes it.
    ``consents``: consents the caller has already loaded (not read again)."""
    for record in records:
        if not record.passed.decision.allowed:
            raise ValueError("Only allowed sharing can be recorded as a disclosure.")
    if not records:
        return
    disclosures_add(actor=actor, passed=[r.passed for r in records], consents=consents)
    audit.events_record(
        [
            {
                "actor": actor,
                "action": Action.READ,
                "resource_type": r.resource_type,
                "resource_id": r.resource_id,
                "subject_id": str(r.passed.child.public_id),
                "ground": r.passed.decision.ground,
                "details": {
                    "from_organisation_id": r.passed.from_organisation_id,
                    "category": r.passed.category,
                    "purpose": r.passed.purpose or "",
                },
            }
            for r in records
        ]
    )


def disclosures_add(*, actor: Actor, passed: list[Passed], consents=()) -> None:
    """The Disclosure rows (each consent's timeline of what passed on it) for what the
    disclosure pipeline showed; the pipeline wrote the audit rows. In one insert.
    ``consents``: consents the caller has already loaded; categories and purposes come
    from the per-process vocabulary (``sharing.vocabulary``)."""
    passed = [
        p
        for p in passed
        if p.decision.allowed and p.decision.ground.code != sharing.SAME_ORGANISATION
    ]
    if not passed:
        return
    wanted = {
        p.decision.ground.reference for p in passed if p.decision.ground.code == sharing.CONSENT
    }
    known = {str(c.public_id): c for c in consents if str(c.public_id) in wanted}
    if wanted - set(known):
        known.update(
            {str(c.public_id): c for c in Consent.objects.filter(public_id__in=wanted - set(known))}
        )
    now = timezone.now()
    Disclosure.objects.bulk_create(
        [
            Disclosure(
                child=p.child,
                consent=known.get(p.decision.ground.reference)
                if p.decision.ground.code == sharing.CONSENT
                else None,
                ground_code=p.decision.ground.code,
                # In Swedish whatever the acting user's language, as every stored text.
                ground_label=i18n.stored(p.decision.ground.label),
                ground_version=p.decision.ground.version,
                from_organisation_id=p.from_organisation_id,
                to_organisation_id=actor.organisation_id,
                category=_vocabulary_or_error(InformationCategory, p.category),
                purpose=sharing.vocabulary(Purpose, p.purpose) if p.purpose else None,
                what=p.what[:300],
                occurred_at=now,
                actor_name=actor.label,
            )
            for p in passed
        ]
    )


def _vocabulary_or_error(model, code: str):
    found = sharing.vocabulary(model, code)
    if found is None:
        raise model.DoesNotExist(f"{model.__name__} {code!r}")
    return found


def consents_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Record reminders before expiry, expiry, and consents that stopped covering
    because a matter changed character (each once), so the holders are told."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    remind_from = today + datetime.timedelta(days=settings.SAMVERKAN["CONSENT_REMINDER_DAYS"])
    counts = {"expiry_reminder": 0, "expired": 0, "context_lapsed": 0}
    candidates = (
        Consent.objects.filter(
            valid_until__gte=today - datetime.timedelta(days=EXPIRY_LOOKBACK_DAYS)
        )
        .exclude(valid_until__lt=today, events__kind=EventKind.EXPIRED)
        .select_related("child")
        .prefetch_related("givers", "party_links", "events", "renewals")
    )
    for consent in candidates:
        kinds = {e.kind for e in consent.events.all()}
        revoked = any(g.revoked_at for g in consent.givers.all())
        if revoked or consent.renewals.all():
            continue
        todo = []
        if consent.valid_until < today and EventKind.EXPIRED not in kinds:
            todo.append((EventKind.EXPIRED, f"Samtycket gick ut {consent.valid_until:%Y-%m-%d}."))
        elif consent.valid_until <= remind_from and EventKind.EXPIRY_REMINDER not in kinds:
            todo.append(
                (
                    EventKind.EXPIRY_REMINDER,
                    _("Samtycket går ut %(valid_until)s. Förnya det i tid.")
                    % {"valid_until": format(consent.valid_until, "%Y-%m-%d")},
                )
            )
        if (
            consent.context == ConsentContext.VOLUNTARY
            and consent.valid_until >= today  # an expired consent covers nothing anyway
            and EventKind.CONTEXT_LAPSED not in kinds
        ):
            facts = sharing.ChildFacts.load(consent.child)
            result = sharing.coverage(consent, facts, now)
            if result.context_lapsed:
                todo.append((EventKind.CONTEXT_LAPSED, result.full_account))
        for kind, text in todo:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        _event(consent, kind, None, text, at=now)
                except IntegrityError:
                    continue  # another sweep recorded it first
                counts[kind] += 1
    return counts

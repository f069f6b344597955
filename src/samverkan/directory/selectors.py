"""Reads of the directory. The directory itself (organisations, units, functions and
who holds a contact function) is not secret within the municipality."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import FilteredRelation, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import grounds
from samverkan.access.actor import ANONYMOUS, Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.core.errors import NotFound
from samverkan.core.prepared import PreparedQuery

from .models import (
    ContactFunction,
    ContactFunctionAssignment,
    Function,
    Membership,
    Organisation,
    OrganisationType,
    Principal,
    Unit,
)


def active_memberships(user_id: int, *, with_user: bool = True) -> QuerySet[Membership]:
    """``with_user=False``: the caller has the user already (not joined again)."""
    today = timezone.localdate()
    related = ("organisation", "unit", "function", "user")
    return Membership.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today),
        user_id=user_id,
        valid_from__lte=today,
        organisation__is_active=True,
    ).select_related(*(related if with_user else related[:3]))


def _session_user_query(user_id, device_id, today):
    return (
        get_user_model()
        .objects.filter(pk=user_id)
        .annotate(
            session_device=FilteredRelation("totpdevice", condition=Q(totpdevice__pk=device_id)),
            active_membership=FilteredRelation(
                "memberships",
                condition=Q(memberships__valid_from__lte=today)
                & (
                    Q(memberships__valid_until__isnull=True)
                    | Q(memberships__valid_until__gte=today)
                ),
            ),
        )
        .select_related(
            "session_device",
            "active_membership__organisation",
            "active_membership__unit",
            "active_membership__function",
        )
    )


# Built and compiled once per process (decision 0370).
_SESSION_USER = PreparedQuery(
    get_user_model,
    _session_user_query,
    lambda: (
        get_user_model()._meta.pk,
        get_user_model()._meta.get_field("totpdevice").related_model._meta.pk,
        Membership._meta.get_field("valid_from"),
    ),
)


def session_user(user_id, device_id: int):
    """The session's user in one query with what every logged-in request needs of it
    (decision 0366): ``user.session_device``, the second factor's TOTP device with
    ``device_id`` if it is this user's (else ``None``), and ``user.loaded_memberships``,
    the user's active memberships as ``active_memberships`` gives them (organisation,
    unit and function loaded), which ``actor_for_user`` then uses instead of asking
    again. ``None`` when there is no such user. Read fresh on every call."""
    rows = _SESSION_USER.run(user_id, device_id, timezone.localdate())
    if not rows:
        return None
    # A filtered relation that found no row is not set on the instance at all.
    memberships = [getattr(row, "active_membership", None) for row in rows]
    user = rows[0]
    user.session_device = getattr(user, "session_device", None)
    user.loaded_memberships = [m for m in memberships if m is not None and m.organisation.is_active]
    return user


def actor_from_membership(membership: Membership, user=None) -> Actor:
    """The actor acting in ``membership``; ``user``: its user, when already loaded
    (the membership is then read without joining the user again)."""
    user = membership.user if user is None else user
    return Actor(
        user_id=user.pk,
        username=user.get_username(),
        display_name=user.get_full_name() or user.get_username(),
        membership_id=membership.pk,
        organisation_id=membership.organisation_id,
        organisation_public_id=str(membership.organisation.public_id),
        organisation_name=membership.organisation.name,
        organisation_type=membership.organisation.org_type,
        principal_id=membership.organisation.principal_id,
        unit_id=membership.unit_id,
        unit_name=membership.unit.name if membership.unit else "",
        function_code=membership.function.code,
        function_name=membership.function.name,
        permissions=frozenset(membership.function.permissions),
    )


def actor_for_user(user, membership_id: int | None = None) -> Actor:
    """The actor for a logged-in user: the chosen membership, or the only one."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    # The request's user is loaded already: not joined again (decision 0359).
    # Read with the user and the second factor's device, when the session has one
    # (session_user, decision 0366).
    memberships = getattr(user, "loaded_memberships", None)
    if memberships is None:
        memberships = list(active_memberships(user.pk, with_user=False))
    chosen = None
    if membership_id is not None:
        chosen = next((m for m in memberships if m.pk == membership_id), None)
    if chosen is None and len(memberships) == 1:
        chosen = memberships[0]
    if chosen is None:
        return Actor(
            user_id=user.pk,
            username=user.get_username(),
            display_name=user.get_full_name() or user.get_username(),
        )
    return actor_from_membership(chosen, user)


def password_login_allowed(user_id: int) -> bool:
    """Whether the user may log in with a password: one of their active memberships is
    in an organisation that chose password login, or (the first system administrator,
    before any organisation exists) they have no membership at all but a password."""
    memberships = active_memberships(user_id)
    if not memberships.exists():
        return not Membership.objects.filter(user_id=user_id).exists()
    return memberships.filter(organisation__password_login=True).exists()


def password_login_offered() -> bool:
    """Whether the login page shows the password form: some organisation uses it."""
    return Organisation.objects.filter(is_active=True, password_login=True).exists()


def organisation_list() -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(is_active=True)
        .select_related("principal")
        .prefetch_related(Prefetch("units", queryset=Unit.objects.filter(is_active=True)))
        .order_by("principal__name", "name")
    )


def organisation_get(public_id) -> Organisation:
    try:
        return Organisation.objects.select_related("principal").get(public_id=public_id)
    except (Organisation.DoesNotExist, ValueError) as exc:
        raise NotFound(_("Organisationen finns inte.")) from exc


def organisation_choices(org_type: str | None = None) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(is_active=True).order_by("name")
    if org_type:
        qs = qs.filter(org_type=org_type)
    return qs


def organisation_exists(organisation_id: int) -> bool:
    return Organisation.objects.filter(pk=organisation_id, is_active=True).exists()


def unit_belongs_to(unit_id: int, organisation_id: int) -> bool:
    return Unit.objects.filter(pk=unit_id, organisation_id=organisation_id).exists()


def contact_functions_for(organisation_id: int) -> QuerySet[ContactFunction]:
    """Contact functions serving or provided by an organisation, with current holder."""
    current = ContactFunctionAssignment.objects.filter(ended_at__isnull=True).select_related(
        "membership__user", "membership__function"
    )
    return (
        ContactFunction.objects.filter(
            Q(served_organisation_id=organisation_id) | Q(provider_organisation_id=organisation_id)
        )
        .select_related("served_organisation", "provider_organisation")
        .prefetch_related(Prefetch("assignments", queryset=current, to_attr="current"))
        .order_by("served_organisation__name", "title")
    )


def contact_function_get(public_id) -> ContactFunction:
    try:
        return ContactFunction.objects.select_related(
            "served_organisation", "provider_organisation"
        ).get(public_id=public_id)
    except (ContactFunction.DoesNotExist, ValueError) as exc:
        raise NotFound(_("Kontaktfunktionen finns inte.")) from exc


def contact_function_history(contact_function: ContactFunction):
    return contact_function.assignments.select_related(
        "membership__user", "membership__function", "assigned_by"
    ).order_by("-started_at")


def current_holder(contact_function: ContactFunction) -> Membership | None:
    assignment = (
        contact_function.assignments.filter(ended_at__isnull=True)
        .select_related("membership__user", "membership__function")
        .first()
    )
    return assignment.membership if assignment else None


def memberships_of_organisation(organisation_id: int) -> QuerySet[Membership]:
    today = timezone.localdate()
    return (
        Membership.objects.filter(organisation_id=organisation_id, valid_from__lte=today)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("user", "function", "unit")
        .order_by("user__last_name", "user__first_name")
    )


def demo_user_rows() -> list[Membership]:
    """Every active membership, for the demo login page only (SHOW_DEMO_USERS)."""
    today = timezone.localdate()
    return list(
        Membership.objects.filter(valid_from__lte=today, user__is_active=True)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .select_related("user", "organisation", "function", "unit")
        .order_by("organisation__name", "function__name", "user__username")
    )


def organisation_name(organisation_id: int) -> str:
    return Organisation.objects.filter(pk=organisation_id).values_list(
        "name", flat=True
    ).first() or _("okänd organisation")


def organisations_by_ids(ids) -> dict[int, Organisation]:
    return Organisation.objects.select_related("principal").in_bulk(list(ids))


def function_choices() -> QuerySet[Function]:
    return Function.objects.order_by("name")


def unit_names() -> list[str]:
    """Names of every active unit (an anonymised text must not name one)."""
    return list(Unit.objects.filter(is_active=True).values_list("name", flat=True))


def organisation_type_labels() -> dict[str, str]:
    return dict(OrganisationType.choices)


# Administration ----------------------------------------------------------------------


def principals_all() -> QuerySet[Principal]:
    return Principal.objects.order_by("name")


def principal_get(public_id) -> Principal:
    try:
        return Principal.objects.get(public_id=public_id)
    except (Principal.DoesNotExist, ValueError) as exc:
        raise NotFound(_("Huvudmannen finns inte.")) from exc


def organisations_all() -> QuerySet[Organisation]:
    """Every organisation, also inactive ones (administration only)."""
    return Organisation.objects.select_related("principal").order_by("principal__name", "name")


def organisation_by_pk(pk: int) -> Organisation:
    try:
        return Organisation.objects.select_related("principal").get(pk=pk)
    except Organisation.DoesNotExist as exc:
        raise NotFound(_("Organisationen finns inte.")) from exc


def units_of(organisation_id: int, *, active_only: bool = False) -> QuerySet[Unit]:
    qs = Unit.objects.filter(organisation_id=organisation_id).order_by("name")
    return qs.filter(is_active=True) if active_only else qs


def unit_get(organisation_id: int, public_id) -> Unit:
    try:
        return Unit.objects.get(organisation_id=organisation_id, public_id=public_id)
    except (Unit.DoesNotExist, ValueError) as exc:
        raise NotFound(_("Enheten finns inte.")) from exc


def functions_for(organisation_id: int, *, active_only: bool = True) -> QuerySet[Function]:
    """The standard functions and the organisation's own."""
    qs = Function.objects.filter(Q(organisation__isnull=True) | Q(organisation_id=organisation_id))
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("name")


def own_functions(organisation_id: int) -> QuerySet[Function]:
    return Function.objects.filter(organisation_id=organisation_id).order_by("name")


def own_function_get(organisation_id: int, code: str) -> Function:
    try:
        return Function.objects.get(organisation_id=organisation_id, code=code)
    except Function.DoesNotExist as exc:
        raise NotFound(_("Funktionen finns inte.")) from exc


def staff_of(organisation_id: int, *, include_ended: bool = False) -> QuerySet[Membership]:
    qs = Membership.objects.filter(organisation_id=organisation_id).select_related(
        "user", "user__staff_identity", "function", "unit"
    )
    if not include_ended:
        today = timezone.localdate()
        qs = qs.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    return qs.order_by("user__last_name", "user__first_name")


def membership_get(organisation_id: int, public_id, *, actor: Actor | None = None) -> Membership:
    """A staff member's membership for the administration pages. With ``actor`` the
    read is audited (the page shows the person's personnummer and HSA-id)."""
    try:
        membership = Membership.objects.select_related(
            "user", "user__staff_identity", "function", "unit", "organisation"
        ).get(organisation_id=organisation_id, public_id=public_id)
    except (Membership.DoesNotExist, ValueError) as exc:
        raise NotFound(_("Personen finns inte i organisationen.")) from exc
    if actor is not None:
        audit.event_record(
            actor=actor,
            action=Action.READ,
            resource_type="directory.membership",
            resource_id=str(membership.public_id),
            ground=grounds.administration(),
        )
    return membership


def contact_functions_provided(organisation_id: int) -> QuerySet[ContactFunction]:
    current = ContactFunctionAssignment.objects.filter(ended_at__isnull=True).select_related(
        "membership__user", "membership__function"
    )
    return (
        ContactFunction.objects.filter(provider_organisation_id=organisation_id)
        .select_related("served_organisation")
        .prefetch_related(Prefetch("assignments", queryset=current, to_attr="current"))
        .order_by("served_organisation__name", "title")
    )


def administrators_of(organisation_id: int) -> QuerySet[Membership]:
    """The organisation's local administrators (functions with directory.manage)."""
    return [
        m
        for m in staff_of(organisation_id)
        if "directory.manage" in m.function.permissions
        and "directory.system" not in m.function.permissions
    ]


def is_empty() -> bool:
    """No organisation yet: `samverkan setup` has not run."""
    return not Organisation.objects.exists()


def contact_function_ids_held(membership_id: int | None) -> list[int]:
    """The contact functions a membership holds now (for its inbox)."""
    if membership_id is None:
        return []
    return list(
        ContactFunctionAssignment.objects.filter(
            membership_id=membership_id, ended_at__isnull=True
        ).values_list("contact_function_id", flat=True)
    )


def function_holders(organisation_id: int, code: str, unit_id: int | None = None) -> list:
    """Who holds a function in an organisation now (in the unit, when one is named)."""
    found = memberships_of_organisation(organisation_id).filter(function__code=code)
    if unit_id:
        found = found.filter(unit_id=unit_id)
    return list(found)


def member_units(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], int | None]:
    """The unit each (user, organisation) works in now (None: outside any unit), in one
    query; a person with several roles there counts in the unit of any of them."""
    today = timezone.localdate()
    found: dict[tuple[int, int], int | None] = {}
    if not pairs:
        return found
    rows = (
        Membership.objects.filter(
            user_id__in={u for u, _ in pairs},
            organisation_id__in={o for _, o in pairs},
            valid_from__lte=today,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .order_by("unit_id", "pk")
        .values_list("user_id", "organisation_id", "unit_id")
    )
    for user_id, organisation_id, unit_id in rows:
        if (user_id, organisation_id) in pairs and not found.get((user_id, organisation_id)):
            found[(user_id, organisation_id)] = unit_id
    return found


def contact_function_units(contact_function_ids: set[int]) -> dict[int, int | None]:
    """The unit of whoever holds each contact function now, in one query."""
    return dict(
        ContactFunctionAssignment.objects.filter(
            contact_function_id__in=contact_function_ids, ended_at__isnull=True
        ).values_list("contact_function_id", "membership__unit_id")
    )


def contact_function_holder(contact_function_id: int) -> Membership | None:
    assignment = (
        ContactFunctionAssignment.objects.filter(
            contact_function_id=contact_function_id, ended_at__isnull=True
        )
        .select_related("membership__user", "membership__function", "membership__organisation")
        .first()
    )
    return assignment.membership if assignment else None


def contact_function_between(served_organisation_id: int, provider_organisation_id: int):
    """The contact function one organisation provides for another, if there is one."""
    return (
        ContactFunction.objects.filter(
            served_organisation_id=served_organisation_id,
            provider_organisation_id=provider_organisation_id,
        )
        .order_by("pk")
        .first()
    )

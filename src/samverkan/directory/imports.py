"""Bulk import and export of organisations, units and staff (tablib: CSV and Excel).

An import is first a dry run: every row goes through the same services as the pages
(``administration``), each in its own savepoint, and the whole transaction is rolled
back, so the plan shows exactly what would change and why a row is rejected. Applying
runs the same rows again and commits those that pass; rejected rows are left out and
listed. Each change writes its own audit row, as on the pages; the import itself writes
one more (``directory.import``) with the counts. Columns: ``data/import_columns.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import tablib
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.access import grounds
from samverkan.access.actor import Actor
from samverkan.audit import services as audit
from samverkan.audit.models import Action
from samverkan.core.errors import DomainError, PermissionDenied, ValidationFailed

from . import administration, identity, policies
from .models import Membership, Organisation, Principal, PrincipalKind, StaffIdentity, Unit

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
CREATE, UPDATE, UNCHANGED, REJECTED = "create", "update", "unchanged", "rejected"
ACTION_LABELS = {
    CREATE: gettext_lazy("Läggs till"),
    UPDATE: gettext_lazy("Ändras"),
    UNCHANGED: gettext_lazy("Oförändrad"),
    REJECTED: "Avvisas",
}


@cache
def specification() -> dict:
    path = Path(__file__).parent / "data" / "import_columns.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("_comment", None)
    return data


def kinds() -> dict[str, str]:
    return {kind: spec["title"] for kind, spec in specification().items()}


def _key(header) -> str:
    text = str(header or "").strip().lower()
    for a, b in (("å", "a"), ("ä", "a"), ("ö", "o"), ("é", "e"), ("-", "_"), (" ", "_")):
        text = text.replace(a, b)
    return text


@dataclass
class Row:
    line: int
    values: dict[str, str]
    action: str = ""
    summary: str = ""
    reasons: list[str] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


@dataclass
class Plan:
    kind: str
    rows: list[Row]
    applied: bool = False

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {action: self.count(action) for action in ACTION_LABELS}

    @property
    def rejected(self) -> list[Row]:
        return [row for row in self.rows if row.action == REJECTED]


# Reading a file ----------------------------------------------------------------------


def read(kind: str, content: bytes, filename: str) -> list[dict[str, str]]:
    """The rows of an uploaded CSV or Excel file as dicts keyed by column name.
    ``ValidationFailed`` (Swedish) for a file that cannot be read."""
    if kind not in specification():
        raise ValidationFailed(_("Okänd sorts import."), field="kind")
    if len(content) > MAX_BYTES:
        raise ValidationFailed(_("Filen är för stor: högst 5 MB."), field="file")
    extension = Path(filename or "").suffix.lower().lstrip(".")
    if extension not in FORMATS:
        raise ValidationFailed(
            _("Välj en fil av typen CSV (.csv) eller Excel (.xlsx)."), field="file"
        )
    try:
        if extension == "csv":
            text = content.decode("utf-8-sig")
            delimiter = (
                ";"
                if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",")
                else ","
            )
            dataset = tablib.Dataset().load(text, format="csv", delimiter=delimiter)
        else:
            dataset = tablib.Dataset().load(content, format="xlsx")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(_("CSV-filen ska vara sparad som UTF-8."), field="file") from exc
    except Exception as exc:  # tablib and openpyxl raise many kinds for a broken file
        raise ValidationFailed(
            _("Filen gick inte att läsa som CSV eller Excel."), field="file"
        ) from exc
    columns = specification()[kind]["columns"]
    lookup = {}
    for column in columns:
        for name in [column["name"], *column.get("aliases", [])]:
            lookup[_key(name)] = column["name"]
    headers = [lookup.get(_key(h), "") for h in (dataset.headers or [])]
    missing = [
        c["label"].split(" (")[0] for c in columns if c["required"] and c["name"] not in headers
    ]
    if missing:
        raise ValidationFailed(
            _("Filen saknar kolumnerna: %(join)s. Första raden ska vara rubriker.")
            % {"join": ", ".join(missing)},
            field="file",
        )
    if dataset.height > MAX_ROWS:
        raise ValidationFailed(
            _("Filen har för många rader: högst %(MAX_ROWS)s.") % {"MAX_ROWS": MAX_ROWS},
            field="file",
        )
    rows = []
    for record in dataset:
        values = {}
        for header, value in zip(headers, record, strict=False):
            if header:
                values[header] = "" if value is None else str(value).strip()
        if any(values.values()):
            rows.append(values)
    if not rows:
        raise ValidationFailed(_("Filen innehåller inga rader att importera."), field="file")
    return rows


# Running the rows --------------------------------------------------------------------


def _yes(value: str) -> bool:
    return _key(value) in {"ja", "j", "yes", "x", "1", "sant", "true"}


def _organisation(actor: Actor | None, name: str) -> Organisation:
    """The organisation a row names; for a local administrator their own (the column
    may then be left out)."""
    if not name:
        if actor is not None and not policies.is_system_admin(actor) and actor.organisation_id:
            return Organisation.objects.get(pk=actor.organisation_id)
        raise ValidationFailed(_("Ange organisation."), field="organisation")
    matches = list(Organisation.objects.filter(name__iexact=name)[:2])
    if not matches:
        raise ValidationFailed(
            _("Organisationen %(name)s finns inte.") % {"name": name}, field="organisation"
        )
    if len(matches) > 1:
        raise ValidationFailed(
            _("Flera organisationer heter %(name)s; ändra namnet på den ena först.")
            % {"name": name},
            field="organisation",
        )
    return matches[0]


def _organisation_row(actor, values: dict) -> tuple[str, str]:
    name = values.get("huvudman", "")
    principal = Principal.objects.filter(name__iexact=name).first()
    created_principal = principal is None
    if principal is None:
        principal = administration.principal_save(
            actor=actor,
            name=name,
            kind=values.get("huvudmannens_typ") or PrincipalKind.MUNICIPALITY,
            organisation_number=values.get("organisationsnummer", ""),
        )
    existing = Organisation.objects.filter(
        principal=principal, name__iexact=values.get("organisation", "")
    ).first()
    before = _snapshot(
        existing, ("name", "org_type", "description", "phone", "email", "password_login")
    )
    organisation = administration.organisation_save(
        actor=actor,
        organisation=existing,
        principal=principal,
        name=values.get("organisation", ""),
        org_type=values.get("typ", "").lower(),
        description=values.get("beskrivning", existing.description if existing else ""),
        phone=values.get("telefon", existing.phone if existing else ""),
        email=values.get("e_post", existing.email if existing else ""),
        password_login=_yes(values["losenordsinloggning"])
        if "losenordsinloggning" in values
        else bool(existing and existing.password_login),
        is_active=True,
    )
    summary = f"{organisation.name} ({organisation.get_org_type_display()}), {principal.name}"
    if created_principal:
        summary += " – ny huvudman"
    if existing is None:
        return CREATE, summary
    after = _snapshot(organisation, before.keys())
    return (UPDATE if after != before else UNCHANGED), summary


def _unit_row(actor, values: dict) -> tuple[str, str]:
    organisation = _organisation(actor, values.get("organisation", ""))
    existing = Unit.objects.filter(
        organisation=organisation, name__iexact=values.get("enhet", "")
    ).first()
    before = _snapshot(existing, ("name", "description", "min_age", "max_age", "is_active"))
    unit = administration.unit_save(
        actor=actor,
        organisation=organisation,
        unit=existing,
        name=values.get("enhet", ""),
        description=values.get("beskrivning", existing.description if existing else ""),
        min_age=values.get("lagsta_alder") or None,
        max_age=values.get("hogsta_alder") or None,
    )
    summary = f"{unit.name}, {organisation.name}"
    if existing is None:
        return CREATE, summary
    return (UPDATE if _snapshot(unit, before.keys()) != before else UNCHANGED), summary


def _existing_staff(values: dict):
    """The staff account a row is about: by user name, personnummer or HSA-id."""
    User = get_user_model()
    username = values.get("anvandarnamn", "").strip().lower()
    if username:
        user = User.objects.filter(username__iexact=username).first()
        if user is not None:
            return user
    condition = Q()
    number = identity.normalise_personnummer(values.get("personnummer", ""))
    if number:
        condition |= Q(personnummer=number)
    hsa_id = identity.normalise_hsa_id(values.get("hsa_id", ""))
    if hsa_id:
        condition |= Q(hsa_id=hsa_id)
    if not condition:
        return None
    users = {i.user for i in StaffIdentity.objects.filter(condition).select_related("user")}
    if len(users) > 1:
        raise ValidationFailed(_("Personnummer och HSA-id hör till olika personalkonton."))
    return next(iter(users), None)


def _staff_row(actor, values: dict) -> tuple[str, str]:
    organisation = _organisation(actor, values.get("organisation", ""))
    user = _existing_staff(values)
    name = f"{values.get('fornamn', '')} {values.get('efternamn', '')}".strip()
    summary = f"{name}, {values.get('funktion', '')}, {organisation.name}"
    if user is None:
        administration.staff_account_create(
            actor=actor,
            organisation=organisation,
            function=values.get("funktion", ""),
            first_name=values.get("fornamn", ""),
            last_name=values.get("efternamn", ""),
            username=values.get("anvandarnamn", ""),
            email=values.get("e_post", ""),
            personnummer=values.get("personnummer", ""),
            hsa_id=values.get("hsa_id", ""),
            unit=values.get("enhet") or None,
        )
        return CREATE, summary
    membership = (
        Membership.objects.filter(user=user, organisation=organisation, valid_until__isnull=True)
        .select_related("function", "unit", "user", "organisation")
        .first()
    )
    if membership is None:
        raise ValidationFailed(
            _(
                "%(get_full_name)s har ett konto men arbetar inte i %(name)s. Lägg till "
                "hen på sidan för personal."
            )
            % {"get_full_name": user.get_full_name(), "name": organisation.name}
        )
    staff_identity = getattr(user, "staff_identity", None)
    before = (
        user.first_name,
        user.last_name,
        user.email,
        membership.function_id,
        membership.unit_id,
        getattr(staff_identity, "personnummer", None),
        getattr(staff_identity, "hsa_id", None),
    )
    administration.staff_account_update(
        actor=actor,
        membership=membership,
        first_name=values.get("fornamn", ""),
        last_name=values.get("efternamn", ""),
        email=values.get("e_post", user.email),
        personnummer=values.get("personnummer")
        or getattr(staff_identity, "personnummer", "")
        or "",
        hsa_id=values.get("hsa_id") or getattr(staff_identity, "hsa_id", "") or "",
        function=values.get("funktion") or membership.function,
        unit=values.get("enhet") or None,
    )
    user.refresh_from_db()
    membership.refresh_from_db()
    staff_identity = StaffIdentity.objects.filter(user=user).first()
    after = (
        user.first_name,
        user.last_name,
        user.email,
        membership.function_id,
        membership.unit_id,
        getattr(staff_identity, "personnummer", None),
        getattr(staff_identity, "hsa_id", None),
    )
    return (UPDATE if after != before else UNCHANGED), summary


def _snapshot(obj, names) -> dict:
    if obj is None:
        return dict.fromkeys(names)
    return {name: getattr(obj, name) for name in names}


_RUNNERS = {"organisations": _organisation_row, "units": _unit_row, "staff": _staff_row}


def _check_allowed(actor: Actor | None, kind: str) -> None:
    if kind == "organisations":
        policies.require_system(actor)
    elif actor is not None and not (
        policies.is_system_admin(actor) or actor.has_perm(policies.MANAGE)
    ):
        raise PermissionDenied(_("Du har inte behörighet att importera."))


def _run(actor: Actor | None, kind: str, rows: list[dict]) -> Plan:
    runner = _RUNNERS[kind]
    plan = Plan(kind=kind, rows=[])
    for number, values in enumerate(rows, start=2):  # line 1 holds the headers
        row = Row(line=number, values=values)
        try:
            with transaction.atomic():
                row.action, row.summary = runner(actor, values)
        except DomainError as exc:
            row.action = REJECTED
            row.reasons.append(exc.message)
            row.summary = row.summary or " ".join(v for v in list(values.values())[:4] if v)
        plan.rows.append(row)
    return plan


class _DryRun(Exception):
    pass


def dry_run(*, actor: Actor | None, kind: str, rows: list[dict]) -> Plan:
    """What the import would do, row by row; nothing is kept."""
    _check_allowed(actor, kind)
    result: list[Plan] = []
    try:
        with transaction.atomic():
            result.append(_run(actor, kind, rows))
            raise _DryRun
    except _DryRun:
        pass
    return result[0]


@transaction.atomic
def apply(*, actor: Actor | None, kind: str, rows: list[dict]) -> Plan:
    """Import the rows that pass; rejected rows change nothing and are listed."""
    _check_allowed(actor, kind)
    plan = _run(actor, kind, rows)
    plan.applied = True
    audit.event_record(
        actor=actor,
        action=Action.CREATE,
        resource_type="directory.import",
        ground=grounds.administration(),
        details={"kind": kind, **plan.counts},
    )
    return plan


# Export ------------------------------------------------------------------------------


def _export_rows(actor: Actor | None, kind: str):
    system = actor is None or policies.is_system_admin(actor)
    own = Q() if system else Q(pk=actor.organisation_id)
    if kind == "organisations":
        for org in (
            Organisation.objects.filter(own)
            .select_related("principal")
            .order_by("principal__name", "name")
        ):
            yield [
                org.principal.name,
                org.principal.kind,
                org.principal.organisation_number,
                org.name,
                org.org_type,
                org.description,
                org.phone,
                org.email,
                "ja" if org.password_login else "nej",
            ]
    elif kind == "units":
        scope = Q() if system else Q(organisation_id=actor.organisation_id)
        for unit in Unit.objects.filter(scope, is_active=True).select_related("organisation"):
            yield [
                unit.organisation.name,
                unit.name,
                unit.description,
                "" if unit.min_age is None else unit.min_age,
                "" if unit.max_age is None else unit.max_age,
            ]
    else:
        scope = Q() if system else Q(organisation_id=actor.organisation_id)
        memberships = (
            Membership.objects.filter(scope, valid_until__isnull=True, user__is_active=True)
            .select_related("user", "user__staff_identity", "organisation", "function", "unit")
            .order_by("organisation__name", "user__last_name", "user__first_name")
        )
        for m in memberships:
            staff_identity = getattr(m.user, "staff_identity", None)
            yield [
                m.organisation.name,
                m.user.username,
                m.user.first_name,
                m.user.last_name,
                m.user.email,
                getattr(staff_identity, "personnummer", "") or "",
                getattr(staff_identity, "hsa_id", "") or "",
                m.function.code,
                m.unit.name if m.unit else "",
            ]


def export(*, actor: Actor | None, kind: str, file_format: str) -> bytes:
    """The same columns as the import, for the actor's scope; audited as an export."""
    if kind not in specification() or file_format not in FORMATS:
        raise ValidationFailed(_("Okänd sorts export."))
    if kind == "organisations":
        policies.require_system(actor)
    elif actor is not None and not (
        policies.is_system_admin(actor) or actor.has_perm(policies.MANAGE)
    ):
        raise PermissionDenied(_("Du har inte behörighet att exportera."))
    headers = [c["name"] for c in specification()[kind]["columns"]]
    dataset = tablib.Dataset(headers=headers)
    for values in _export_rows(actor, kind):
        dataset.append(values)
    with transaction.atomic():
        audit.event_record(
            actor=actor,
            action=Action.EXPORT,
            resource_type="directory.export",
            ground=grounds.administration(),
            details={"kind": kind, "format": file_format, "rows": dataset.height},
        )
    exported = dataset.export(file_format)
    return exported.encode("utf-8-sig") if isinstance(exported, str) else exported

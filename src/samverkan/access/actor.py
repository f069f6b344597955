"""Who is acting: a user acting in one staff membership (organisation, unit, function),
or a family member logged in to the family portal (a guardian or a young person, by
personnummer; never a staff account). Built once per request by the directory app or
the portal; passed explicitly to services and selectors."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str = ""
    display_name: str = ""
    membership_id: int | None = None
    organisation_id: int | None = None
    organisation_public_id: str = ""
    organisation_name: str = ""
    organisation_type: str = ""
    principal_id: int | None = None
    unit_id: int | None = None
    unit_name: str = ""
    function_code: str = ""
    function_name: str = ""
    permissions: frozenset[str] = field(default_factory=frozenset)
    # How the session was authenticated ("loa3", "password+totp"; empty for API tokens
    # and commands) and whether that is enough to read personal data
    # (SAMVERKAN["REQUIRED_ASSURANCE_LEVEL"], docs/security.md).
    assurance_level: str = ""
    assurance_sufficient: bool = True
    # A family member in the portal (decision 0200): their portal account's id and
    # personnummer. Only the rules registered with ``policy.register_family`` decide for
    # them; every staff rule is skipped, so a family member never sees staff-only data.
    family_id: int | None = None
    family_personal_number: str = ""
    # A family member who logged in with a foreign eID (eIDAS) that staff linked to
    # guardian records after checking the person's identity (decision 0310): those
    # records' ids. The family rules match custody by personnummer or by these.
    family_guardian_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_family(self) -> bool:
        return self.family_id is not None

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None or self.family_id is not None

    @property
    def has_membership(self) -> bool:
        return self.membership_id is not None

    def has_perm(self, permission: str) -> bool:
        return self.has_membership and permission in self.permissions

    @property
    def label(self) -> str:
        """How the actor is named to others: function and organisation."""
        parts = [self.display_name or self.username]
        if self.function_name:
            parts.append(self.function_name)
        if self.organisation_name:
            parts.append(self.organisation_name)
        return ", ".join(parts)


ANONYMOUS = Actor(user_id=None)

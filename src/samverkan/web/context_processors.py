from functools import cached_property

from django.conf import settings

from samverkan.access import pipeline
from samverkan.audit import selectors as audit_selectors
from samverkan.directory import policies as directory_policies
from samverkan.meetings import selectors as meeting_selectors
from samverkan.people import selectors as people_selectors


class Allowed:
    """What the actor may reach, decided by the registered rules
    (``access.pipeline.may_list``) and the apps' selectors. Templates show links and
    forms by these values, never by a permission code of their own (the secrecy gate,
    ``web/tests/secrecy/test_gate.py``). Each answer is asked once per request, when a
    template first needs it."""

    def __init__(self, actor):
        self._actor = actor

    def _list(self, label: str) -> bool:
        return self._actor is not None and pipeline.may_list(self._actor, label)

    @cached_property
    def children(self) -> bool:
        return self._list("people.child")

    @cached_property
    def reports(self) -> bool:
        return self._list("concerns.report")

    @cached_property
    def plans(self) -> bool:
        return self._list("plans.plan")

    @cached_property
    def escalations(self) -> bool:
        return self._list("meetings.escalation")

    @cached_property
    def register_children(self) -> bool:
        return self._actor is not None and people_selectors.may_register_children(self._actor)

    @cached_property
    def audit(self) -> bool:
        return self._actor is not None and audit_selectors.may_audit(self._actor)

    @cached_property
    def administration(self) -> bool:
        actor = self._actor
        return actor is not None and directory_policies.may_administer(actor, actor.organisation_id)

    @cached_property
    def set_up_forum(self) -> bool:
        return self._actor is not None and meeting_selectors.may_set_up_forum(self._actor)


def product(request):
    actor = getattr(request, "actor", None)
    return {
        "municipality_name": settings.SAMVERKAN["MUNICIPALITY_NAME"],
        "actor": actor,
        "may": Allowed(actor),
        # An e-legitimation login below the level needed for personal data: say so on
        # every page, instead of only refusing the pages.
        "assurance_insufficient": bool(
            actor is not None and actor.is_authenticated and not actor.assurance_sufficient
        ),
        "required_assurance_level": settings.SAMVERKAN["REQUIRED_ASSURANCE_LEVEL"],
    }

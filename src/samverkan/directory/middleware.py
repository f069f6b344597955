from dataclasses import replace

from django.utils.functional import SimpleLazyObject

from samverkan.core import request_context

from . import assurance
from .selectors import actor_for_user

SESSION_KEY = "samverkan_membership_id"


class ActorMiddleware:
    """Attaches ``request.actor``: the logged-in user acting in their chosen (or only)
    membership, with the session's level of assurance. Resolved lazily, once per
    request. The assurance level also goes into the request context, so that every
    audit row of the request carries it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        record = None
        if request.user.is_authenticated:
            record = request.session.get(assurance.SESSION_KEY)
            verified = getattr(request.user, "is_verified", lambda: False)()
            request_context.update(
                assurance_level=assurance.label(record, verified_second_factor=verified)
            )
        request.actor = SimpleLazyObject(lambda: _actor(request, record))
        return self.get_response(request)


def _actor(request, record):
    actor = actor_for_user(request.user, request.session.get(SESSION_KEY))
    if actor.is_authenticated:
        actor = replace(
            actor,
            assurance_level=request_context.current().assurance_level,
            assurance_sufficient=assurance.sufficient(record),
        )
        request_context.update(organisation_id=actor.organisation_id)
    return actor

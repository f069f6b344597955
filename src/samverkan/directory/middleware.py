from django.utils.functional import SimpleLazyObject

from .selectors import actor_for_user

SESSION_KEY = "samverkan_membership_id"


class ActorMiddleware:
    """Attaches ``request.actor``: the logged-in user acting in their chosen (or only)
    membership. Resolved lazily, once per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = SimpleLazyObject(
            lambda: actor_for_user(request.user, request.session.get(SESSION_KEY))
        )
        return self.get_response(request)

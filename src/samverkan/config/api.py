"""The JSON API: /api/, OpenAPI 3 at /api/openapi.json, bearer tokens from
`samverkan token create <username>`."""

import threading

from django.contrib.auth.decorators import login_required
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from samverkan import __version__
from samverkan.concerns.api import router as concerns_router
from samverkan.consent.api import children_router as consent_children_router
from samverkan.consent.api import consents_router
from samverkan.core import limits
from samverkan.core.errors import DomainError
from samverkan.directory import selectors as directory_selectors
from samverkan.directory import services as directory_services
from samverkan.meetings.api import forums_router, meetings_router
from samverkan.people.api import router as people_router
from samverkan.plans.api import children_router as plans_children_router
from samverkan.plans.api import router as plans_router


class BearerToken(HttpBearer):
    openapi_description = "Token från `samverkan token create <användarnamn>`."

    def authenticate(self, request, token):
        membership = directory_services.token_authenticate(token)
        if membership is None:
            return None
        request.actor = directory_selectors.actor_from_membership(membership)
        return request.actor


class Limit(BaseThrottle):
    """An abuse limit (core.limits, decision 0170) as a ninja throttle: checked after the
    token, counted in the shared cache, 429 with Retry-After when used up."""

    def __init__(self, name: str, key):
        self.name = name
        self.key = key
        # One instance serves every request; the last verdict is per thread.
        self._local = threading.local()

    def allow_request(self, request) -> bool:
        self._local.verdict = limits.hit(request, self.name, self.key)
        return not self._local.verdict.limited

    def wait(self) -> float | None:
        verdict = getattr(self._local, "verdict", limits.ALLOWED)
        return verdict.retry_after or None


def _user_key(group, request) -> str:
    return f"user:{getattr(request.auth, 'user_id', None)}"


# Every error body: {"detail": plain Swedish, "code": machine-readable[, "field"]}.
ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "field": {"type": "string"},
    },
    "required": ["detail", "code"],
}
ERROR_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    422: "invalid",
    429: "throttled",
}
COMMON_ERRORS = {
    400: "Anropet kunde inte läsas (t.ex. ogiltig JSON) eller en regel stoppade det.",
    401: "Ogiltig eller saknad token.",
    422: "Ogiltig indata: fel typ, format eller värde i sökväg, fråga eller innehåll.",
}
NOT_FOUND = "Finns inte, eller så får anroparen inte veta att det finns."


class SamverkanAPI(NinjaAPI):
    """Adds the errors every operation can answer with to the OpenAPI document, so
    that clients (and schemathesis) see each status the API really returns."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["ApiError"] = ERROR_SCHEMA
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}
        for path, operations in schema["paths"].items():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                extra = dict(COMMON_ERRORS)
                if "{" in path:
                    extra[404] = NOT_FOUND
                for status, description in extra.items():
                    if status not in responses and str(status) not in responses:
                        responses[status] = {"description": description, "content": error}
        return schema


api = SamverkanAPI(
    title="Samverkan API",
    version=__version__,
    description=(
        "Integrations-API för Samverkan. Alla anrop kräver en bearer-token och ger bara "
        "det som tokenens roll (organisation och funktion) får se. Varje läsning loggas."
    ),
    auth=BearerToken(),
    # Per user (the token's user) and per client address, whoever calls.
    throttle=[Limit(limits.API_USER, _user_key), Limit(limits.API_IP, limits.client_ip)],
    # The document and the interactive docs: for logged-in staff only (issue 13).
    docs_decorator=login_required,
    urls_namespace="api",
)


@api.exception_handler(Throttled)
def throttled(request, exc: Throttled):
    return api.create_response(
        request,
        {
            "detail": "För många anrop på kort tid. Vänta och försök igen "
            "(se Retry-After, sekunder).",
            "code": "throttled",
        },
        status=429,
    )


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    body = {"detail": exc.message, "code": exc.code}
    if exc.field:
        body["field"] = exc.field
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(AuthenticationError)
def auth_error(request, exc):
    return api.create_response(
        request, {"detail": "Ogiltig eller saknad token.", "code": "unauthenticated"}, status=401
    )


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    message = str(exc)
    if exc.status_code == 400 and message == "Cannot parse request body":
        message = "Anropets innehåll kunde inte läsas: skicka giltig JSON."
    code = ERROR_CODES.get(exc.status_code, "error")
    return api.create_response(request, {"detail": message, "code": code}, status=exc.status_code)


@api.exception_handler(NinjaValidationError)
def validation_error(request, exc: NinjaValidationError):
    return api.create_response(
        request,
        {"detail": "Ogiltig indata.", "code": "invalid", "errors": exc.errors},
        status=422,
    )


api.add_router("/children", people_router)
api.add_router("/children", consent_children_router)
api.add_router("/consents", consents_router)
api.add_router("/concerns", concerns_router)
api.add_router("/plans", plans_router)
api.add_router("/children", plans_children_router)
api.add_router("/forums", forums_router)
api.add_router("/meetings", meetings_router)

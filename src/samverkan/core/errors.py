"""Errors the service layer raises. Views translate them into messages or HTTP codes;
the message is always plain language a user can act on, in the interface language
(marked for translation where it is raised; docs/i18n.md)."""

from django.utils.translation import gettext


class DomainError(Exception):
    """A rule of the domain refused the operation. ``message`` is shown to the user."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        message = str(message)  # a lazy text (e.g. an access decision's reason) is rendered now
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class ValidationFailed(DomainError):
    status_code = 422


class PermissionDenied(DomainError):
    status_code = 403


class NotFound(DomainError):
    """Raised both when a record does not exist and when the actor may not know that
    it exists; the two are indistinguishable on purpose."""

    status_code = 404

    def __init__(self, message: str | None = None, **kwargs):
        super().__init__(message or gettext("Hittades inte."), code="not_found", **kwargs)


class StaleWrite(DomainError):
    """Optimistic-locking conflict: somebody else saved first."""

    status_code = 409

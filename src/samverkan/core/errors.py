"""Errors the service layer raises. Views translate them into messages or HTTP codes;
the message is always plain Swedish a user can act on."""


class DomainError(Exception):
    """A rule of the domain refused the operation. ``message`` is shown to the user."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
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

    def __init__(self, message: str = "Hittades inte.", **kwargs):
        super().__init__(message, code="not_found", **kwargs)


class StaleWrite(DomainError):
    """Optimistic-locking conflict: somebody else saved first."""

    status_code = 409

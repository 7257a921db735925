"""Domain errors with names. The HTTP layer maps each class to a status in one table; each carries
a stable `code` (the class name in snake case unless the raiser names a finer one)."""
import re


class DomainError(Exception):
    """Base of every error a user can cause; `detail` is safe to show."""

    def __init__(self, detail: str, *, errors: list[dict] | None = None, extra: dict | None = None,
                 code: str | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        self.extra = extra or {}
        self.code = code or re.sub(r"(?<!^)(?=[A-Z])", "_", type(self).__name__).lower()


class InvalidInput(DomainError):
    """The request is malformed or a field is invalid; `errors` names the fields."""


class NotAuthenticated(DomainError):
    pass


class NotPermitted(DomainError):
    pass


class NotFound(DomainError):
    pass


class Conflict(DomainError):
    pass


class DuplicateSku(Conflict):
    pass


class DuplicateBarcode(Conflict):
    pass


class EmailTaken(Conflict):
    pass


class VersionMismatch(Conflict):
    pass


class OutOfStock(Conflict):
    pass


class IllegalTransition(Conflict):
    pass


class IdempotencyKeyReused(DomainError):
    pass


class PayloadTooLarge(DomainError):
    pass


class UnsupportedMediaType(DomainError):
    pass


class TooManyAttempts(DomainError):
    def __init__(self, detail: str, *, retry_after: int):
        super().__init__(detail, extra={"retry_after": retry_after})
        self.retry_after = retry_after


class Contention(DomainError):
    """Too many concurrent writers on the same stock; safe to retry."""


class ThirdPartyRefused(Conflict):
    """A third party (carrier, e-invoice provider) read the request and said no; `detail` gives its reason."""


class ThirdPartyUnavailable(DomainError):
    """A third party did not answer clearly (429, 5xx, timeout): nothing changed here; retry later."""

"""Application errors that views and the API turn into clear messages."""


class ApplicationError(Exception):
    """A rule of the domain was broken; the message is translated and safe to show."""

    def __init__(self, message, *, code: str = "invalid", extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.extra = extra or {}

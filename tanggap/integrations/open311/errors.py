"""The Open311 error: a list of {code, description} sent with one HTTP status."""


class Open311Error(Exception):
    """A request the endpoint refuses; *errors* are (code, translated description) pairs.

    GeoReport v2 uses three HTTP statuses: 404 for an unknown resource, 403 for a missing or
    wrong api_key, 400 for everything else. A body code may be more specific (413, 415).
    """

    def __init__(self, status: int, errors: list[tuple[int, str]]):
        super().__init__(status, errors)
        self.status = status
        self.errors = [(code, str(description)) for code, description in errors]

    @classmethod
    def one(cls, status: int, description, *, code: int | None = None) -> "Open311Error":
        """Return an error with a single entry whose code defaults to the HTTP status."""
        return cls(status, [(code or status, description)])

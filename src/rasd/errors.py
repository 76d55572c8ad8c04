"""One exception tree for everything a user can cause; the CLI turns these into one-line messages."""


class RasdError(Exception):
    """Base of every error a user can hit."""


class InputError(RasdError):
    """An input that cannot be read or holds no article (bad file, bad encoding, no text)."""

    def __init__(self, where: str, reason: str):
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason

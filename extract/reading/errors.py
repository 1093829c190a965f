"""Why a file cannot be read: ReadError and its statuses."""
from __future__ import annotations

STATUSES = ("unreadable", "empty", "too_large", "binary", "undecodable")


class ReadError(Exception):
    """A file that cannot be turned into text; `status` is a short machine-readable reason."""

    def __init__(self, path, status: str, reason: str):
        super().__init__(f"{path}: {status}: {reason}")
        self.path, self.status, self.reason = str(path), status, reason

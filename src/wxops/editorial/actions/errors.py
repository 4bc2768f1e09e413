"""The one error every editorial action raises when it refuses: a message in words.

    PushError
     └── TransitionError      the status table does not allow the move (or another process moved first)

``PermissionDenied`` (Django's) is raised when the user may not do it at all.
"""

from __future__ import annotations


class PushError(Exception):
    """Refused, with ``message`` saying what to fix; ``problems`` lists each one when there are several."""

    def __init__(self, message: str, problems: tuple[str, ...] = ()):
        super().__init__(message)
        self.message = message
        self.problems = problems or (message,)

    def __str__(self) -> str:
        return self.message


class TransitionError(PushError):
    """The push cannot go from its current status to the one asked for."""

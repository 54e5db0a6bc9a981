"""The harness's own error, kept apart from the client's error tree."""

from __future__ import annotations

__all__ = ["HarnessError"]


class HarnessError(RuntimeError):
    """A node could not be fetched, started or stopped.

    The message says what failed and, for a node that did not start, ends with the tail of
    that node's log, so a failing test shows the server's side of the story.
    """

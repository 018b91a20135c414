from __future__ import annotations

from typing import Protocol


class SinkError(Exception):
    """A write that failed for good (after the retries the sink does itself)."""


class Sink(Protocol):
    kind: str
    location: str  # where the root is, for messages and the run summary

    def open(self) -> None:
        """Check the destination is usable before generating anything."""

    def write(self, path: str, payload: bytes) -> None:
        """Make ``path`` (relative, '/'-separated) hold exactly ``payload``, atomically."""

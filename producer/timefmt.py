"""Timestamp rendering in the three formats the contract accepts (see contract/)."""

from __future__ import annotations

import time


class IsoMillis:
    """ISO-8601 UTC with milliseconds. Caches the per-second prefix: consecutive events
    share their second, and strftime is the costliest part of an event otherwise."""

    __slots__ = ("_sec", "_prefix")

    def __init__(self) -> None:
        self._sec = -1
        self._prefix = b""

    def __call__(self, ms: int) -> bytes:
        sec, milli = divmod(ms, 1000)
        if sec != self._sec:
            self._sec = sec
            self._prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec)).encode()
        return b"%s.%03dZ" % (self._prefix, milli)


def iso(ms: int) -> str:
    return IsoMillis()(ms).decode()


def legacy_slashed(ms: int) -> str:
    """contract.LEGACY_TIMESTAMP_FORMAT (yyyy/MM/dd HH:mm:ss, UTC, no fraction)."""
    return time.strftime("%Y/%m/%d %H:%M:%S", time.gmtime(ms // 1000))

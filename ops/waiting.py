"""Wait for a remote run to finish, with a deadline and progress.

Kept instead of the SDK's waiters: databricks-sdk 0.162 has none for pipeline updates or
SQL statements, and its job-run waiter ignores a poll interval (sleeps 1, 2 .. 10 s plus
jitter, so tests/ops took 43 s instead of 10 s with it), sleeps past its deadline and
fails on a run without a state. One loop serves the job, the update and the statements.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ops.report import Progress

T = TypeVar("T")


@dataclass(frozen=True)
class Deadline:
    timeout_seconds: float
    poll_seconds: float


class WaitTimeout(Exception):
    """The deadline passed while the run was still going."""

    def __init__(self, what: str, seconds: float, last_state: str):
        super().__init__(f"{what} still {last_state} after {seconds:g}s (timeout)")
        self.last_state = last_state


def wait_for(
    what: str,
    fetch: Callable[[], T],
    state_of: Callable[[T], str],
    finished: Callable[[T], bool],
    deadline: Deadline,
    progress: Progress,
) -> T:
    """Poll ``fetch`` until ``finished``; raise WaitTimeout at the deadline."""
    start = time.monotonic()
    while True:
        current = fetch()
        elapsed = time.monotonic() - start
        state = state_of(current)
        if finished(current):
            return current
        progress.update(what, state, elapsed)
        if elapsed + deadline.poll_seconds > deadline.timeout_seconds:
            raise WaitTimeout(what, deadline.timeout_seconds, state)
        time.sleep(deadline.poll_seconds)

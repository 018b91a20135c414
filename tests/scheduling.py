"""How `make test`'s two workers share the CPU (a pytest plugin, loaded by tests/conftest.py).

The end-to-end scenario is the critical path of the run: its file starts first, and the
other worker yields the CPU to it. With autogroup scheduling (on in most distributions'
kernels), CPU is shared between sessions first and nice only ranks processes within one
session; the scenario's Spark Connect server has a session of its own. So the yielding
worker moves to a new session and lowers that session's group too. Measured on 2 cores:
the scenario took 390 s beside a worker with nice alone, 205 s beside this one (212 s
alone). Out of the terminal's process group, that worker would miss Ctrl-C: the
controller forwards it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
from pathlib import Path

import pytest

# The longest test file (about half of the suite's time): collected first, so on two workers
# it starts at once and the other worker runs everything else beside it.
LONGEST_FIRST = ("tests/pipelines/test_end_to_end.py",)
YIELD_NICE = 10
# Where workers that left the terminal's session record their pid (set by the controller).
SESSIONS_ENV = "CLICKSTREAM_TEST_WORKER_SESSIONS"

_decided = False  # this worker has looked at its first test


def _file(item: pytest.Item) -> str:
    return item.nodeid.split("::")[0]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: _file(item) not in LONGEST_FIRST)  # stable: the rest keep their order


def pytest_configure(config: pytest.Config) -> None:
    """In the controller of a run with workers: forward Ctrl-C to the workers' own sessions."""
    if "PYTEST_XDIST_WORKER" in os.environ or not getattr(config.option, "numprocesses", None):
        return
    sessions = Path(tempfile.mkdtemp(prefix="test-worker-sessions-"))
    os.environ[SESSIONS_ENV] = str(sessions)  # workers start after configure: they inherit it
    previous = signal.getsignal(signal.SIGINT)

    def forward(signum: int, frame: object) -> None:
        for leader in sessions.iterdir():
            with contextlib.suppress(ProcessLookupError, PermissionError, ValueError):
                os.killpg(int(leader.name), signal.SIGINT)
        (previous if callable(previous) else signal.default_int_handler)(signum, frame)

    signal.signal(signal.SIGINT, forward)
    config.add_cleanup(lambda: shutil.rmtree(sessions, ignore_errors=True))


def pytest_runtest_setup(item: pytest.Item) -> None:
    global _decided
    if not _decided and "PYTEST_XDIST_WORKER" in os.environ and _file(item) not in LONGEST_FIRST:
        _yield_cpu(YIELD_NICE)
    _decided = True


def _yield_cpu(nice: int) -> None:
    """Lower this worker's priority and that of everything it starts: nice, then a session of
    its own whose autogroup gets the same nice."""
    os.nice(nice)
    try:
        os.setsid()
    except OSError:  # already a session leader: nice alone applies
        return
    if SESSIONS_ENV in os.environ:
        (Path(os.environ[SESSIONS_ENV]) / str(os.getpid())).touch()
    with contextlib.suppress(OSError):  # no autogroup scheduling: nice alone applies
        Path("/proc/self/autogroup").write_text(str(nice))

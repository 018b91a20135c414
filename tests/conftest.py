"""Shared fixtures. Synthesizing imports the provider bindings (~20 s, 1 GB), so every
environment is synthesized once per test session, in a subprocess, and shared."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from infra.app import synth_in_subprocess

REPO_ROOT = Path(__file__).resolve().parents[1]
SYNTH_ENVS = ("dev", "prod", "pr-42")
EXPIRES_ON = "2026-12-31"
# Egress ranges as a deploy passes them: a /24 and a single address written as a /32.
# The shared synth has none, like `make scan` and the demo; tests of the firewall rules
# synthesize with them (tests/infra/test_stack.py).
ALLOWED_IP_RANGES = "20.50.60.0/24,40.74.28.5/32"
# The longest test file (about half of the suite's time): collected first, so on two workers
# (`make test`) it starts at once and the other worker runs everything else beside it.
LONGEST_FIRST = ("tests/pipelines/test_end_to_end.py",)


def _file(item: pytest.Item) -> str:
    return item.nodeid.split("::")[0]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: _file(item) not in LONGEST_FIRST)  # stable: the rest keep their order


_decided = False  # this worker has looked at its first test


def pytest_runtest_setup(item: pytest.Item) -> None:
    """On two workers, the one that does not run the longest file yields the CPU to it: the
    longest file is the critical path of the run."""
    global _decided
    if not _decided and "PYTEST_XDIST_WORKER" in os.environ and _file(item) not in LONGEST_FIRST:
        _yield_cpu(10)
    _decided = True


def _yield_cpu(nice: int) -> None:
    """Lower this process's priority, and that of everything it starts. With autogroup
    scheduling (on in most distributions' kernels), CPU is shared between sessions first and
    nice only ranks processes within one session (the scenario's Spark Connect server has a
    session of its own), so the process moves to a new session and lowers that session's
    group too. Measured on 2 cores: the scenario 390 s beside a niced worker, 205 s beside
    this one (212 s alone). The cost: out of the terminal's process group, this worker misses
    Ctrl-C, and pytest waits for it to finish the file it holds."""
    os.nice(nice)
    try:
        os.setsid()
        Path("/proc/self/autogroup").write_text(str(nice))
    except OSError:  # already a session leader, or no autogroup: nice alone applies
        pass


def synth_into(outdir: Path, envs: tuple[str, ...] = SYNTH_ENVS, overrides: dict[str, str] | None = None) -> Path:
    """Run the real app (python -m infra.app) into ``outdir``, with the deploy-time
    ``overrides`` (CLICKSTREAM_* variables); fail loudly with its output."""
    result = synth_in_subprocess(envs, outdir=outdir, expires_on=EXPIRES_ON, overrides=overrides)
    if result.returncode != 0:
        raise AssertionError(f"synth failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return outdir


@pytest.fixture(scope="session")
def synthesized_outdir(tmp_path_factory) -> Path:
    """A cdktf.out-like directory with stacks/<env>/cdk.tf.json for dev, prod and pr-42."""
    return synth_into(tmp_path_factory.mktemp("cdktf.out"))


@pytest.fixture(scope="session")
def synthesized(synthesized_outdir) -> dict[str, dict]:
    """Parsed cdk.tf.json of each synthesized environment."""
    return {env: json.loads((synthesized_outdir / "stacks" / env / "cdk.tf.json").read_text()) for env in SYNTH_ENVS}


@pytest.fixture(scope="session")
def bootstrap_stack(synthesized_outdir) -> dict:
    """Parsed cdk.tf.json of the bootstrap stack (infra/bootstrap), synthesized with the environments."""
    return json.loads((synthesized_outdir / "stacks" / "bootstrap" / "cdk.tf.json").read_text())

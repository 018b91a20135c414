"""Shared fixtures. Synthesizing imports the provider bindings (~20 s, 1 GB), so every
environment is synthesized once per test session, in a subprocess, and shared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infra.app import synth_in_subprocess

pytest_plugins = ("tests.scheduling",)  # how the two workers share the CPU

REPO_ROOT = Path(__file__).resolve().parents[1]
SYNTH_ENVS = ("dev", "prod", "pr-42")
EXPIRES_ON = "2026-12-31"
# Egress ranges as a deploy passes them: a /24 and a single address written as a /32.
# The shared synth has none, like `make scan` and the demo; tests of the firewall rules
# synthesize with them (tests/infra/test_stack.py).
ALLOWED_IP_RANGES = "20.50.60.0/24,40.74.28.5/32"


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

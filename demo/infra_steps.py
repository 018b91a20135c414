"""The two infrastructure steps, through the repo's own entry points in subprocesses:
``python -m infra.app`` (synth: its provider bindings cost ~1 GB, so they never load in
the demo's process) and ``python -m policies.scan`` (its exit code is the verdict)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from infra.app import synth_in_subprocess
from policies.scan import EXIT_FAILED

REPO_ROOT = Path(__file__).resolve().parents[1]


class InfraStepError(RuntimeError):
    """Synth or scan failed; the message carries what the tool printed."""


@dataclass(frozen=True)
class ScanResult:
    verdict: str  # the scan's last line: "all checks pass in 3 environment(s) ..."


def synthesize(outdir: Path, envs: list[str], expires_on: str) -> str:
    """Synthesize ``envs`` into ``outdir``; returns infra.app's own summary line."""
    done = synth_in_subprocess(envs, outdir=outdir, expires_on=expires_on)
    output = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        raise InfraStepError(f"python -m infra.app exited {done.returncode}:\n{output}")
    return output.splitlines()[-1] if output else f"synthesized {', '.join(envs)}"


def scan(outdir: Path, envs: list[str], reports: Path, width: int) -> ScanResult:
    """Run the policy scan; a finding or unscannable input raises with the scan's report."""
    environ = dict(os.environ, COLUMNS=str(width), TERM="dumb")
    command = [
        sys.executable,
        "-m",
        "policies.scan",
        "--outdir",
        str(outdir),
        "--reports",
        str(reports),
        "--env",
        *envs,
    ]
    done = subprocess.run(command, cwd=REPO_ROOT, env=environ, capture_output=True, text=True)
    output = (done.stdout + done.stderr).rstrip()
    if done.returncode == EXIT_FAILED:
        raise InfraStepError(
            f"the policy scan found problems (fix them or suppress with a justification, "
            f"see policies/README.md):\n{output}"
        )
    if done.returncode != 0:
        raise InfraStepError(f"python -m policies.scan exited {done.returncode}:\n{output}")
    lines = output.splitlines()
    return ScanResult(lines[-1] if lines else "scan passed")

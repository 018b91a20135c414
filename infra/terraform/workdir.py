"""Running Terraform in a synthesized stack's own directory without disturbing it.

The checks run in ``cdktf.out/stacks/<env>`` itself (the workspace files point at the code
by ``../../../<package>``), but a later ``cdktf deploy`` there must not inherit what they
did: they keep Terraform's data in ``.terraform-offline/`` instead of ``.terraform/`` (which
would remember the mirror as the only plugin source), and they set any existing lock file
aside while they run, because the mirror's packages hash differently from the registry's.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = ".terraform-offline"
LOCK_FILE = ".terraform.lock.hcl"
SOURCE_PACKAGES = ("contract", "pipelines", "producer")


class TerraformError(RuntimeError):
    pass


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str
    seconds: float


def check_sources_reachable(stack_dir: Path) -> None:
    """Workspace files are read from ``<stack>/../../../<package>``: fail early if that is not the code."""
    root = stack_dir.resolve().parents[2]
    missing = [p for p in SOURCE_PACKAGES if not (root / p).is_dir()]
    if missing:
        raise TerraformError(
            f"{stack_dir}: the stack reads its workspace files from {root}/{{{','.join(missing)}}}, which do not exist;"
            " synthesize into <repo>/cdktf.out (or link the packages beside the output directory)"
        )


@contextlib.contextmanager
def lock_file_set_aside(stack_dir: Path) -> Iterator[None]:
    lock = stack_dir / LOCK_FILE
    kept = stack_dir / DATA_DIR / (LOCK_FILE + ".kept")
    kept.parent.mkdir(exist_ok=True)
    if lock.exists():
        shutil.move(lock, kept)
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)
        if kept.exists():
            shutil.move(kept, lock)


class Workdir:
    """One stack directory; ``run`` calls Terraform there with the offline data directory."""

    def __init__(self, stack_dir: Path, plugin_dir: Path | None) -> None:
        self.stack_dir = stack_dir
        self.plugin_dir = plugin_dir
        self.environ = {
            **os.environ,
            "TF_DATA_DIR": DATA_DIR,
            "TF_IN_AUTOMATION": "1",
            "TF_INPUT": "0",
            "CHECKPOINT_DISABLE": "1",
        }
        if not Path(self.environ.get("TF_CLI_CONFIG_FILE", "/")).exists():
            self.environ.pop("TF_CLI_CONFIG_FILE", None)  # a missing file only adds a warning to every command

    def run(self, *args: str) -> Result:
        started = time.perf_counter()
        try:
            done = subprocess.run(
                ["terraform", *args], cwd=self.stack_dir, env=self.environ, capture_output=True, text=True
            )
        except FileNotFoundError as err:
            raise TerraformError(
                "terraform is not installed: `make setup` checks for it (Terraform >= 1.11, see README)"
            ) from err
        return Result(done.returncode, done.stdout, done.stderr, time.perf_counter() - started)

    def init(self) -> Result:
        source = [f"-plugin-dir={self.plugin_dir}"] if self.plugin_dir else []
        result = self.run("init", "-backend=false", "-input=false", "-no-color", *source)
        if result.returncode != 0:
            where = f"the mirror {self.plugin_dir}" if self.plugin_dir else "the registry"
            raise TerraformError(f"{self.stack_dir.name}: terraform init from {where} failed:\n{result.stderr.strip()}")
        return result

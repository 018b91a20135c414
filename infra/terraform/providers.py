"""Where `terraform init` takes the providers from.

A machine without access to the Terraform registry (this project's CI) has the exact
provider versions in a packed mirror; a user with internet access has none and
Terraform downloads them. The mirror is found, in order, at ``$CLICKSTREAM_TF_PLUGIN_DIR``,
``<repo>/../shared/terraform-providers``, and the same path beside the repository this
checkout was cloned from when that is a local path (a CI clone of a local checkout).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
PLUGIN_DIR_VARIABLE = "CLICKSTREAM_TF_PLUGIN_DIR"
MIRROR = Path("shared") / "terraform-providers"


def _origin(repo: Path) -> Path | None:
    result = subprocess.run(
        ["git", "-C", str(repo), "remote", "get-url", "origin"], capture_output=True, text=True, check=False
    )
    url = result.stdout.strip()
    return Path(url) if result.returncode == 0 and url.startswith("/") else None


def plugin_dir(environ: Mapping[str, str] | None = None, repo: Path = REPO_ROOT) -> Path | None:
    """The provider mirror to install from, or None to use the registry."""
    env: Mapping[str, str] = os.environ if environ is None else environ
    named = env.get(PLUGIN_DIR_VARIABLE)
    if named:
        if not Path(named).is_dir():
            raise FileNotFoundError(f"{PLUGIN_DIR_VARIABLE}={named}: no such directory")
        return Path(named)
    origin = _origin(repo)
    for base in (repo, origin):
        if base is not None and (base.parent / MIRROR).is_dir():
            return base.parent / MIRROR
    return None

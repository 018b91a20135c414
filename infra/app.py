"""Entry point: one stack per environment, synthesized in one process.

Synthesizes dev and prod plus the environments named in CLICKSTREAM_ENVS (space or
comma separated, e.g. "pr-42"), and the bootstrap stack (infra/bootstrap: state backends
and deploying identities, derived from the environments' stacks). Invalid configuration stops before anything is
written, with every problem listed (exit code 2).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

from infra.bootstrap import STACK_NAME as BOOTSTRAP_STACK
from infra.config import LONG_LIVED, ConfigError, Environment, load_environment
from infra.permissions import UncoveredTypes
from infra.trust import identities, level_types, load_platform


def requested_environments(environ: Mapping[str, str] | None = None) -> list[str]:
    env: Mapping[str, str] = os.environ if environ is None else environ
    extra = re.split(r"[,\s]+", env.get("CLICKSTREAM_ENVS", "").strip())
    return list(dict.fromkeys([*LONG_LIVED, *(name for name in extra if name)]))


def load_all(names: list[str]) -> list[Environment]:
    envs, errors = [], []
    for name in names:
        try:
            envs.append(load_environment(name))
        except ConfigError as err:
            errors.append(str(err))
    if errors:
        raise ConfigError("\n".join(errors))
    return envs


def synth(envs: list[Environment], outdir: str | None = None) -> str:
    """Synthesize ``envs`` into ``outdir`` (default: CDKTF_OUTDIR or cdktf.out)."""
    from cdktf import App  # heavy: imported only once configuration is known to be valid

    from infra.bootstrap.stack import BootstrapStack
    from infra.stack import ClickstreamStack

    app = App(outdir=outdir or os.environ.get("CDKTF_OUTDIR", "cdktf.out"))
    stacks = [ClickstreamStack(app, env) for env in envs]
    platform = load_platform()
    BootstrapStack(app, platform, identities(platform, level_types(platform, stacks)))
    app.synth()
    return app.outdir


REPO_ROOT = Path(__file__).resolve().parents[1]


def synth_in_subprocess(
    envs: Iterable[str], *, outdir: Path, expires_on: str, overrides: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m infra.app`` for ``envs`` into ``outdir``, in a process of its own (the
    provider bindings, ~1 GB, never load in the caller's), with no CLICKSTREAM_* variable
    of the caller's but the deploy-time ``overrides``; its output captured."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CLICKSTREAM_")}
    environ.update(
        CLICKSTREAM_ENVS=" ".join(envs),
        CLICKSTREAM_EXPIRES_ON=expires_on,
        CDKTF_OUTDIR=str(outdir),
        CHECKPOINT_DISABLE="1",
        JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="20",
    )
    environ.update(overrides or {})
    return subprocess.run(
        [sys.executable, "-m", "infra.app"], cwd=REPO_ROOT, env=environ, capture_output=True, text=True
    )


def main() -> int:
    started = time.monotonic()
    try:
        envs = load_all(requested_environments())
    except ConfigError as err:
        print(f"synth: invalid configuration\n{err}", file=sys.stderr)
        return 2
    print(f"synth: {', '.join(e.name for e in envs)} ...", file=sys.stderr)
    try:
        outdir = synth(envs)
    except (ConfigError, UncoveredTypes) as err:  # platform.yaml, unisolated levels, a type without permissions
        print(f"synth: invalid trust configuration\n{err}", file=sys.stderr)
        return 2
    names = ",".join([*(e.name for e in envs), BOOTSTRAP_STACK])
    print(f"synth: wrote {outdir}/stacks/{{{names}}} in {time.monotonic() - started:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Entry point: one stack per environment, synthesized in one process.

Synthesizes dev and prod plus the environments named in CLICKSTREAM_ENVS (space or
comma separated, e.g. "pr-42"), and the bootstrap stack (infra/bootstrap: state backends
and deploying identities, derived from the environments' stacks). Invalid configuration stops before anything is
written, with every problem listed (exit code 2).
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Mapping

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

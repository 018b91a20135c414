"""Destroy ephemeral environments whose `expires-on` tag has passed.

    python -m review.sweep                 # list what would be destroyed (dry run)
    python -m review.sweep --apply         # destroy each with `make destroy ENV=<env> AUTO_APPROVE=1`

Resource groups come from `az group list --tag managed-by=cdktf` (or --groups-json FILE).
A group is swept when its `env` tag names an ephemeral environment (never dev or prod),
and its `expires-on` date (YYYY-MM-DD, UTC) is before today. Exit codes: 0 all done,
1 a destroy failed, 2 bad input.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contract.environments import is_long_lived, is_valid_name

AZ_LIST = ["az", "group", "list", "--tag", "managed-by=cdktf", "--output", "json"]


@dataclass(frozen=True)
class Decision:
    env: str
    group: str
    expires_on: str
    expired: bool
    problem: str = ""


def decide(groups: list[dict[str, Any]], today: dt.date) -> list[Decision]:
    """One decision per resource group that belongs to an ephemeral environment."""
    decisions = []
    for group in groups:
        tags = group.get("tags") or {}
        env, name, expires = tags.get("env", ""), group.get("name", "?"), tags.get("expires-on")
        if is_long_lived(env) or tags.get("managed-by") != "cdktf":
            continue
        if not is_valid_name(env):
            decisions.append(Decision(env, name, str(expires), False, f"env tag {env!r} is not an environment name"))
            continue
        if expires is None:
            decisions.append(Decision(env, name, "", False, "no expires-on tag: never swept, delete it by hand"))
            continue
        try:
            expired = dt.date.fromisoformat(expires) < today
        except ValueError:
            decisions.append(Decision(env, name, expires, False, f"expires-on {expires!r} is not YYYY-MM-DD"))
            continue
        decisions.append(Decision(env, name, expires, expired))
    return sorted(decisions, key=lambda d: (d.env, d.group))


def expired_envs(decisions: list[Decision]) -> list[str]:
    return sorted({d.env for d in decisions if d.expired and not d.problem})


def load_groups(path: Path | None) -> list[dict[str, Any]]:
    if path is None:
        result = subprocess.run(AZ_LIST, capture_output=True, text=True)
        if result.returncode != 0:
            raise ValueError(f"`{' '.join(AZ_LIST)}` failed: {result.stderr.strip()}")
        text, source = result.stdout, "az group list"
    else:
        text, source = path.read_text(), str(path)
    try:
        groups = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{source}: not JSON ({error})") from None
    if not isinstance(groups, list) or not all(isinstance(g, dict) for g in groups):
        raise ValueError(f"{source}: expected a JSON list of resource groups")
    return groups


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m review.sweep", description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups-json", type=Path, help="resource groups as `az group list -o json` prints them")
    parser.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        default=dt.datetime.now(dt.UTC).date(),
        help="date to compare expires-on with (default: today, UTC)",
    )
    parser.add_argument("--apply", action="store_true", help="destroy the expired environments (default: dry run)")
    args = parser.parse_args(argv)
    try:
        decisions = decide(load_groups(args.groups_json), args.today)
    except (OSError, ValueError) as error:
        print(f"sweep: error: {error}", file=sys.stderr)
        return 2
    for d in decisions:
        state = f"problem: {d.problem}" if d.problem else ("expired" if d.expired else "alive")
        print(f"  {d.env:<12} {d.group:<40} expires-on {d.expires_on or '-':<10}  {state}")
    envs = expired_envs(decisions)
    failed = []
    for position, env in enumerate(envs, 1):
        if not args.apply:
            continue
        print(f"[{position}/{len(envs)}] make destroy ENV={env} AUTO_APPROVE=1", flush=True)
        if subprocess.run(["make", "destroy", f"ENV={env}", "AUTO_APPROVE=1"]).returncode != 0:
            failed.append(env)
    verb = "destroyed" if args.apply else "would destroy (dry run; --apply to destroy)"
    print(
        f"sweep: {len(decisions)} ephemeral group(s), {verb}: {', '.join(envs) or 'none'}"
        + (f"; FAILED: {', '.join(failed)}" if failed else "")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

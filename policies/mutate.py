"""Mutation testing of the policy set: break each promise of policies/promises.yaml in a
copy of each synthesized stack, scan all mutants in this process (checkov loads once) and
report which breakages no check catches.

    python -m policies.mutate [--outdir cdktf.out] [--env dev prod pr-42]

Exit 0 when every promise is guarded in every environment, 1 otherwise.
"""
from __future__ import annotations

import argparse
import copy
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from policies.stack import STACK_FILE, read_stack

PROMISES = Path(__file__).with_name("promises.yaml")


def load_promises(path: Path = PROMISES) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["promises"]


def _apply_path(node: Any, parts: list[str], op: str, value: Any) -> bool:
    """Set/remove `parts` under node; lists (blocks) are descended element-wise."""
    if isinstance(node, list):
        return any([_apply_path(item, parts, op, value) for item in node])
    if not isinstance(node, dict):
        return False
    head, rest = parts[0], parts[1:]
    if rest:
        return head in node and _apply_path(node[head], rest, op, value)
    if op == "remove":
        return node.pop(head, None) is not None
    node[head] = copy.deepcopy(value)
    return True


def mutate(config: dict[str, Any], spec: dict[str, Any]) -> bool:
    """Apply one breakage in place; False when the selector matches nothing (itself a slip:
    the promise's resource is gone or renamed, so the inventory is stale)."""
    by_name = config.get("resource", {}).get(spec["type"], {})
    names = [n for n in by_name if spec.get("where", "") in n]
    if spec["op"] == "remove_resource":
        for name in names:
            del by_name[name]
        return bool(names)
    parts = spec["path"].split(".")
    return any([_apply_path(by_name[n], parts, spec["op"], spec.get("value")) for n in names])


def run(outdir: Path, envs: list[str]) -> tuple[int, list[str]]:
    from policies import runner, suppressions

    runner.quiet_checkov()
    runner.load_policies()
    promises = load_promises()
    total, slips, work = 0, [], Path(tempfile.mkdtemp(prefix="mutants-"))
    for env in envs:
        original = read_stack(outdir / "stacks" / env / STACK_FILE)
        kind_supp = suppressions.load(suppressions.suppressions_file(original.kind))
        guarded = applicable = 0
        for index, promise in enumerate(promises):
            if original.kind.value not in promise["envs"]:
                continue
            applicable += 1
            config = copy.deepcopy(original.config)
            if not mutate(config, promise["mutate"]):
                slips.append(f"{env}: {promise['id']}: selector matches nothing (inventory stale)")
                continue
            # The directory name is the environment, so each mutant gets its own outdir.
            path = work / str(index) / "stacks" / env / STACK_FILE
            path.parent.mkdir(parents=True)
            path.write_text(json.dumps(config), encoding="utf-8")
            report = runner.scan_stack(read_stack(path), kind_supp).report
            if report.failed_checks:
                guarded += 1
            else:
                slips.append(f"{env}: {promise['id']}: {promise['promise']} (breakage not caught)")
        total += applicable - guarded
        print(f"{env}: {guarded}/{applicable} promises guarded")
    return total, slips


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m policies.mutate")
    parser.add_argument("--outdir", type=Path, default=Path("cdktf.out"))
    parser.add_argument("--env", nargs="+", default=["dev", "prod", "pr-42"])
    args = parser.parse_args(argv)
    missing, slips = run(args.outdir, args.env)
    for slip in slips:
        print(f"  slip: {slip}")
    return 1 if missing or slips else 0


if __name__ == "__main__":
    sys.exit(main())

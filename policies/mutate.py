"""Mutation testing of the policy set: break each promise of policies/promises.yaml in a
copy of each synthesized stack, check every mutant in this process (checkov loads once) and
report which breakages none of the promise's checks catches.

    python -m policies.mutate [--outdir cdktf.out] [--env dev prod pr-42] [--promises FILE]

Prints "N/N promises guarded" per environment and each slip; exit 0 when every promise is
guarded in every environment, 1 otherwise. tests/policies/test_mutation.py runs it in
`make test`.
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from synthesized.stack import STACK_FILE, Stack, StackError, read_stack

PROMISES = Path(__file__).with_name("promises.yaml")


KINDS = ("dev", "prod", "ephemeral")


def load_promises(path: Path = PROMISES) -> list[dict[str, Any]]:
    """The inventory; an entry without checks, known environment kinds or a breakage is an error."""
    promises = yaml.safe_load(path.read_text(encoding="utf-8"))["promises"]
    for promise in promises:
        if not promise.get("checks") or not promise.get("mutate") or not set(promise.get("envs") or ()) <= set(KINDS):
            raise ValueError(
                f"{path}: promise {promise.get('id')!r} needs checks, envs (of {KINDS}) and a mutate breakage"
            )
    return promises


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


def _templated(value: Any, env: str) -> Any:
    """`{env}` in a breakage's string values stands for the environment (group names...)."""
    if isinstance(value, str):
        return value.replace("{env}", env)
    if isinstance(value, list):
        return [_templated(item, env) for item in value]
    if isinstance(value, dict):
        return {key: _templated(item, env) for key, item in value.items()}
    return value


def _mutate_one(config: dict[str, Any], spec: dict[str, Any], env: str) -> bool:
    by_name = config.get("resource", {}).get(spec["type"], {})
    names = [n for n in by_name if spec.get("where", "") in n]
    if spec["op"] == "remove_resource":
        for name in names:
            del by_name[name]
        return bool(names)
    parts = spec["path"].split(".")
    value = _templated(spec.get("value"), env)
    return any([_apply_path(by_name[n], parts, spec["op"], value) for n in names])


def mutate(config: dict[str, Any], spec: dict[str, Any] | list[dict[str, Any]], env: str = "") -> bool:
    """Apply one breakage (one op, or a list of ops for a promise kept in more than one way,
    e.g. a lock or prevent_destroy) in place; False when no op matches anything (itself a
    slip: the promise's resource is gone or renamed, so the inventory is stale)."""
    specs = spec if isinstance(spec, list) else [spec]
    return any([_mutate_one(config, one, env) for one in specs])  # a list: every op applies


def caught(stack: Stack, checks: list[str], kind_supp: tuple[Any, ...]) -> bool:
    """Whether one of `checks` fails on the mutant, unsuppressed. Our policies are asked
    directly (the code checkov calls, without its ~1 s parse and graph per stack); checkov
    runs only for the built-in checks of a breakage ours did not catch."""
    from policies import runner

    ours = runner.our_checks()
    for check_id in (c for c in checks if c in ours):
        check = ours[check_id]
        for resource_type, name, _ in stack.all_resources():
            if not check.applies_to(resource_type):
                continue
            suppressed = any(s.matches(check_id, f"{resource_type}.{name}") for s in kind_supp)
            if not suppressed and check.findings(stack, resource_type, name):
                return True
    builtin = [c for c in checks if c not in ours]
    if not builtin:
        return False
    stack.path.parent.mkdir(parents=True)
    stack.path.write_text(json.dumps(stack.config), encoding="utf-8")
    return bool(runner.scan_stack(read_stack(stack.path), kind_supp, checks=builtin).report.failed_checks)


def run(outdir: Path, envs: list[str], promises_file: Path = PROMISES) -> tuple[int, list[str]]:
    """Check every applicable breakage of every environment; a breakage counts as caught only
    when one of the promise's own checks fails (so the inventory's check ids stay true)."""
    from policies import runner, suppressions

    runner.quiet_checkov()
    runner.load_policies()
    promises = load_promises(promises_file)
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
            if not mutate(config, promise["mutate"], env):
                slips.append(f"{env}: {promise['id']}: selector matches nothing (inventory stale)")
                continue
            # The directory name is the environment, so each mutant gets its own outdir.
            mutant = Stack(path=work / str(index) / "stacks" / env / STACK_FILE, env=env, config=config)
            if caught(mutant, promise["checks"], kind_supp):
                guarded += 1
            else:
                slips.append(
                    f"{env}: {promise['id']}: {promise['promise']} (breakage not caught by "
                    f"{', '.join(promise['checks'])})"
                )
        total += applicable - guarded
        print(f"{env}: {guarded}/{applicable} promises guarded")
    shutil.rmtree(work, ignore_errors=True)
    return total, slips


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m policies.mutate")
    parser.add_argument("--outdir", type=Path, default=Path("cdktf.out"), help="synthesized stacks (default cdktf.out)")
    parser.add_argument("--env", nargs="+", default=["dev", "prod", "pr-42"])
    parser.add_argument(
        "--promises", type=Path, default=PROMISES, help="the inventory (default policies/promises.yaml)"
    )
    args = parser.parse_args(argv)
    try:
        missing, slips = run(args.outdir, args.env, args.promises)
    except StackError as err:
        print(f"mutate: {err}", file=sys.stderr)
        return 2
    for slip in slips:
        print(f"  slip: {slip}")
    return 1 if missing or slips else 0


if __name__ == "__main__":
    sys.exit(main())

"""Diff two synthesized cdktf outputs: what applying this branch would change, without state.

No credentials, no Terraform: only `cdk.tf.json` of one stack, before and after. It knows
what the configuration says, not what exists, so it cannot see drift, and it decides
"replace" only from attributes known to force replacement (see `review.forcenew`):
directly, or because a replaced resource is referenced from such an attribute (its id
becomes unknown, so Terraform replaces the dependent too).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from review.forcenew import META_ARGUMENTS, forcing
from review.jsonfile import read_json
from review.model import Action, InputError, ResourceChange
from review.refs import Index, referenced_attribute, references, resource_address
from review.values import changed_paths

Resources = dict[str, tuple[str, dict[str, Any], str]]  # address -> (type, config, construct path)


def stack_file(root: Path, env: str) -> Path | None:
    """The stack JSON for `env` under a cdktf.out directory, a stack directory, or the file itself.
    None when `root` is a cdktf output without that stack (the environment is new)."""
    if root.is_file():
        return root
    if not root.is_dir():
        raise InputError(f"{root}: no such file or directory")
    for candidate in (root / "stacks" / env / "cdk.tf.json", root / "cdk.tf.json"):
        if candidate.is_file():
            return candidate
    if (root / "stacks").is_dir() or (root / "manifest.json").is_file():
        return None
    raise InputError(f"{root}: not a cdktf output (no stacks/{env}/cdk.tf.json); run `make synth`")


def load_stack(path: Path | None) -> tuple[Resources, dict[str, str]]:
    """Resources of one synthesized stack and its `moved` blocks (from -> to)."""
    if path is None:
        return {}, {}
    document = read_json(path)
    if not isinstance(document, dict):
        raise InputError(f"{path}: expected a JSON object (a synthesized stack)")
    blocks = document.get("resource", {})
    if not isinstance(blocks, dict):
        raise InputError(f"{path}: `resource` must be an object of types")
    resources: Resources = {}
    for rtype, by_name in blocks.items():
        if not isinstance(by_name, dict):
            raise InputError(f"{path}: resource.{rtype} must be an object of resources")
        for name, config in by_name.items():
            if not isinstance(config, dict):
                raise InputError(f"{path}: resource.{rtype}.{name} must be an object")
            resources[f"{rtype}.{name}"] = (rtype, config, _construct_path(config))
    moved = {}
    for position, block in enumerate(document.get("moved") or []):
        if not (isinstance(block, dict) and isinstance(block.get("from"), str) and isinstance(block.get("to"), str)):
            raise InputError(f"{path}: moved[{position}] needs `from` and `to` addresses")
        moved[block["from"]] = block["to"]
    return resources, moved


def _construct_path(config: dict) -> str:
    path = ((config.get("//") or {}).get("metadata") or {}).get("path", "")
    # The first segment is the stack id (the environment): the rest is what the author named.
    return path.split("/", 1)[1] if "/" in path else path


def settings(config: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in config.items() if k not in META_ARGUMENTS}


def diff_stacks(before: Resources, after: Resources, moved: dict[str, str]) -> tuple[list[ResourceChange], Index]:
    renamed_to = {to: source for source, to in moved.items() if source in before and to in after}
    changes: dict[str, ResourceChange] = {}
    for address, (rtype, config, label) in after.items():
        source = renamed_to.get(address, address)
        if source not in before:
            changes[address] = ResourceChange(address, rtype, Action.CREATE, None, settings(config), label=label)
            continue
        old = settings(before[source][1])
        new = settings(config)
        changed = changed_paths(old, new)
        forced = forcing(rtype, changed)
        if forced:
            changes[address] = ResourceChange(
                address,
                rtype,
                Action.REPLACE,
                old,
                new,
                tuple(changed),
                tuple(f"`{path}` changes" for path in forced),
                label,
            )
        elif changed or source != address:
            moved_note = (f"(moved from {source})",) if source != address else ()
            changes[address] = ResourceChange(
                address, rtype, Action.UPDATE, old, new, tuple(changed) + moved_note, label=label
            )
    for address, (rtype, config, label) in before.items():
        if address not in after and address not in moved:
            changes[address] = ResourceChange(address, rtype, Action.DELETE, settings(config), None, label=label)
    _propagate_replacements(changes, before, after, renamed_to)
    known = {a: (t, settings(c)) for a, (t, c, _l) in before.items()}
    known.update({a: (t, settings(c)) for a, (t, c, _l) in after.items()})
    order = list(after) + [a for a in before if a not in after]
    return [changes[a] for a in order if a in changes], Index(known)


def _propagate_replacements(
    changes: dict[str, ResourceChange], before: Resources, after: Resources, renamed_to: dict[str, str]
) -> None:
    """A resource whose force-new attribute takes a value that changes is replaced too (and
    one whose other attributes do is updated).

    A referenced value changes when the referenced attribute changed in configuration, or
    when its resource is replaced and the attribute is computed (not set in configuration:
    `id`, `principal_id`...), since Terraform only knows it after apply. An attribute set in
    configuration (`name`) stays known through a replacement, so it changes nothing.
    """
    grew = True
    while grew:
        grew = False
        for address, (rtype, config, label) in after.items():
            current = changes.get(address)
            source = renamed_to.get(address, address)
            if source not in before or (current and current.action in (Action.REPLACE, Action.CREATE)):
                continue
            moving = sorted(
                {
                    (path, resource_address(ref))
                    for path, value in _leaves(settings(config))
                    for ref in references(value)
                    if _value_changes(ref, changes, after)
                }
            )
            followed = [(path, target) for path, target in moving if forcing(rtype, [path])]
            if not moving or (current is not None and not followed):
                continue
            # Same configuration text, new value: Terraform updates in place, or replaces when
            # the attribute forces it.
            changed = current.changed if current else ()
            changes[address] = ResourceChange(
                address,
                rtype,
                Action.REPLACE if followed else Action.UPDATE,
                settings(before[source][1]),
                settings(config),
                changed + tuple(path for path, _t in moving if path not in changed),
                (current.reasons if current else ())
                + tuple(f"`{path}` takes a new value from {target}" for path, target in followed or moving),
                label,
            )
            grew = True


def _value_changes(ref: str, changes: dict[str, ResourceChange], after: Resources, depth: int = 0) -> bool:
    target = resource_address(ref)
    change = changes.get(target)
    if change is None or target not in after or depth > 5:
        return False
    attribute = referenced_attribute(ref)
    if attribute in change.changed:
        return True
    config = after[target][1]
    if attribute not in config:
        return change.action is Action.REPLACE  # computed: unknown until the new object exists
    return any(_value_changes(inner, changes, after, depth + 1) for inner in references(config[attribute]))


def _leaves(values: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(values, dict):
        for key, value in values.items():
            yield from _leaves(value, f"{prefix}.{key}" if prefix else key)
    elif isinstance(values, list) and any(isinstance(item, dict) for item in values):
        for item in values:
            yield from _leaves(item, prefix)
    else:
        yield prefix, values


def load_config_diff(
    before_root: Path, after_root: Path, env: str
) -> tuple[list[ResourceChange], Index, str, list[str]]:
    before_file = stack_file(before_root, env)
    after_file = stack_file(after_root, env)
    notes = []
    if after_file is None:
        raise InputError(
            f"{after_root}: no stack for env `{env}` (stacks/{env}/cdk.tf.json); "
            f"synthesize it with `make synth ENV={env}`"
        )
    if before_file is None:
        notes.append(f"{before_root} has no `{env}` stack: everything is new.")
    before, _ = load_stack(before_file)
    after, moved = load_stack(after_file)
    changes, index = diff_stacks(before, after, moved)
    detail = f"configuration diff (no state): {before_root} → {after_root}"
    return changes, index, detail, notes

"""Value plumbing shared by both inputs: attribute diffs, sensitive masking, unknown markers."""

from __future__ import annotations

import json
from typing import Any

from review.model import SENSITIVE, UNKNOWN


def changed_paths(before: Any, after: Any, prefix: str = "") -> list[str]:
    """Dotted paths of the attributes that differ. Blocks (lists of objects) are walked
    element by element, and their index left out of the path: `custom_parameters.no_public_ip`."""
    if isinstance(before, dict) and isinstance(after, dict):
        paths: list[str] = []
        for key in sorted(set(before) | set(after)):
            paths += changed_paths(before.get(key), after.get(key), f"{prefix}.{key}" if prefix else key)
        return paths
    if (
        isinstance(before, list)
        and isinstance(after, list)
        and len(before) == len(after)
        and all(isinstance(item, dict) for item in before + after)
    ):
        paths = []
        for old, new in zip(before, after, strict=False):
            paths += [p for p in changed_paths(old, new, prefix) if p not in paths]
        return paths
    if _empty(before) and _empty(after):
        return []
    return [] if before == after else [prefix]


def _empty(value: Any) -> bool:
    # Terraform and cdktf disagree on "unset": null, "", [] and {} all mean nothing configured.
    return value is None or value == [] or value == {}


def mask_sensitive(value: Any, sensitive: Any) -> Any:
    """Replace every value the plan marks sensitive: a review comment is public to the repo."""
    if sensitive is True:
        return SENSITIVE if value is not None else None
    if isinstance(value, dict) and isinstance(sensitive, dict):
        return {k: mask_sensitive(v, sensitive.get(k)) for k, v in value.items()}
    if isinstance(value, list) and isinstance(sensitive, list):
        return [mask_sensitive(v, sensitive[i] if i < len(sensitive) else None) for i, v in enumerate(value)]
    return value


def mark_unknown(value: Any, unknown: Any) -> Any:
    """Overlay the plan's `after_unknown` tree, so unknowns read `(known after apply)`."""
    if unknown is True:
        return UNKNOWN
    if isinstance(unknown, dict):
        base = value if isinstance(value, dict) else {}
        merged = dict(base)
        for key, sub in unknown.items():
            merged[key] = mark_unknown(base.get(key), sub)
        return merged
    if isinstance(unknown, list) and isinstance(value, list):
        return [mark_unknown(v, unknown[i] if i < len(unknown) else None) for i, v in enumerate(value)]
    return value


def short(value: Any, limit: int = 60) -> str:
    """One line, at most `limit` characters, for a table cell."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, (bool, int, float, list, dict)) or value is None:
        # Terraform's spelling: true/false/null, JSON lists and maps.
        text = json.dumps(value, default=str, separators=(", ", ": "))
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def at_path(values: Any, path: str) -> Any:
    """The value at a dotted path, looking into the first element of blocks."""
    for key in path.split("."):
        if isinstance(values, list):
            values = values[0] if values else None
        if not isinstance(values, dict):
            return None
        values = values.get(key)
    return values

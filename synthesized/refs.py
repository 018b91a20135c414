"""References inside a synthesized stack's values: every ``${type.name.attr}`` a value
interpolates, and the resource (or data source) each one names. One reader for the plan
review, the demo's resource graph and the offline plan's ``configuration``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

INTERPOLATION = re.compile(r"\$\{(.*?)\}")
# A resource reference: optional `data.`, a provider-prefixed type, a name (group 1), then the
# indexes and attributes read (group 2): `azurerm_x.y.identity[0].principal_id`.
REFERENCE = re.compile(
    r"(?<![\w.\]])((?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z_][\w-]*)((?:\[[^\]]*\]|\.[A-Za-z_][\w-]*)*)"
)


def references(value: Any) -> Iterator[str]:
    """References in a value (`azurerm_x.y.identity[0].principal_id`), in order, with repeats.
    `resource_address` turns one into the address of the resource (or data source)."""
    if isinstance(value, str):
        for expression in INTERPOLATION.findall(value):
            for match in REFERENCE.finditer(expression):
                yield match.group(1) + (match.group(2) or "")
    elif isinstance(value, dict):
        for item in value.values():
            yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


def strip_index(address: str) -> str:
    """`azurerm_x.y[0]` -> `azurerm_x.y`: the address without its instance key."""
    return re.sub(r"\[[^\]]*\]$", "", address)


def resource_address(ref: str) -> str:
    """`azurerm_storage_account.lake.id` -> `azurerm_storage_account.lake` (data. kept)."""
    parts = re.sub(r"\[[^\]]*\]", "", ref).split(".")
    return ".".join(parts[:3] if parts[0] == "data" else parts[:2])


def referenced_attribute(ref: str) -> str:
    """`azurerm_x.y.identity[0].principal_id` -> `identity`: the top-level attribute read."""
    parts = re.sub(r"\[[^\]]*\]", "", ref).split(".")
    rest = parts[3:] if parts[0] == "data" else parts[2:]
    return rest[0] if rest else ""

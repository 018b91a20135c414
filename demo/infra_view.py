"""Tables of the infrastructure inventory: resources by kind per environment, the access
matrix and the Azure roles of one environment."""

from __future__ import annotations

from contract import rbac
from demo.inventory import (
    AZURE_ROLE,
    CATEGORIES,
    CATEGORY_OF,
    MATRIX_KINDS,
    OTHER,
    TARGET_WORDS,
    Inventory,
    role_columns,
    short_principal,
    short_type,
)
from demo.tables import TableData, table

# Rows of the access matrix: by kind of object, then layer order for schemas.
_TARGET_ORDER = tuple(TARGET_WORDS.values())


def categories_table(inventories: list[Inventory], *, with_types: bool = True) -> TableData:
    """One row per category, one count column per environment (and the types in each)."""
    envs = [inv.env for inv in inventories]
    per_env = {inv.env: inv.by_category() for inv in inventories}
    categories = list(dict.fromkeys(c for inv in inventories for c in inv.by_category()))
    rows = []
    for category in categories:
        counts = [sum(per_env[env].get(category, {}).values()) for env in envs]
        types = sorted({t for env in envs for t in per_env[env].get(category, {})})
        rows.append((category, *counts, *([", ".join(short_type(t) for t in types)] if with_types else [])))
    rows.append(("total", *(inv.total for inv in inventories), *([""] if with_types else [])))
    return table(
        "Resources by kind",
        ("kind", *envs, *(["resource types"] if with_types else [])),
        rows,
        numeric=range(1, len(envs) + 1),
    )


def types_table(inventories: list[Inventory]) -> TableData:
    """Every resource type with its count per environment (the report's full listing)."""
    envs = [inv.env for inv in inventories]
    order = [*CATEGORIES, OTHER]
    types = sorted(
        {t for inv in inventories for t in inv.by_type}, key=lambda t: (order.index(CATEGORY_OF.get(t, OTHER)), t)
    )
    rows = [(CATEGORY_OF.get(t, OTHER), t, *(inv.by_type.get(t, 0) for inv in inventories)) for t in types]
    return table("Resources by Terraform type", ("kind", "type", *envs), rows, numeric=range(2, len(envs) + 2))


def access_matrix(inv: Inventory) -> TableData:
    """Objects x groups: the privileges and permissions each group is given, as synthesized."""
    entries = inv.of_kind(*MATRIX_KINDS)
    principals = role_columns({a.principal for a in entries})
    cells: dict[str, dict[str, list[str]]] = {}
    for a in entries:
        cells.setdefault(a.target, {}).setdefault(a.principal, []).extend(a.rights)
    rows = [
        (target, *(", ".join(cells[target].get(p, ())) for p in principals))
        for target in sorted(cells, key=_target_rank)
    ]
    return table(
        f"Access matrix of {inv.env} (from the synthesized grants and permissions)",
        ("object", *(short_principal(p) for p in principals)),
        rows,
    )


def azure_roles_table(inv: Inventory) -> TableData:
    rows = sorted((a.principal, ", ".join(a.rights), a.target) for a in inv.of_kind(AZURE_ROLE))
    return table(f"Azure role assignments of {inv.env}", ("principal", "role", "scope"), rows)


def _target_rank(target: str) -> tuple:
    word = next((w for w in sorted(_TARGET_ORDER, key=len, reverse=True) if target.startswith(w + " ")), "")
    name = target.removeprefix(word).strip()
    layer = rbac.SCHEMAS.index(name) if name in rbac.SCHEMAS else len(rbac.SCHEMAS)
    return (_TARGET_ORDER.index(word) if word else len(_TARGET_ORDER), layer, name)

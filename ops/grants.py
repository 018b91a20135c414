"""Effective Unity Catalog privileges against the RBAC matrix: no more, no less.

For one securable and each matrix group:
- the privileges granted directly on it must equal the matrix's direct grants;
- an inherited privilege is fine when it comes from a securable the matrix covers
  (that securable's own check compares its grants exactly, so a stray grant is
  reported once, where it was made); inherited from anywhere else (the metastore,
  say) it is an extra.
Other principals (owners, the deployer) are not the matrix's business and are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from databricks.sdk.service.catalog import EffectivePrivilegeAssignment

UNRECOGNISED = "<privilege unknown to this SDK>"


@dataclass(frozen=True)
class Target:
    """A securable as the grants API names it, with the grants the matrix expects.

    ``expected``: group -> privileges granted directly on it (every matrix group).
    ``covered``: full names of the securables the matrix covers (checked on their own).
    """

    type: str
    full_name: str
    expected: Mapping[str, frozenset[str]]
    covered: frozenset[str]


def _value(enum_or_none: object) -> str | None:
    return getattr(enum_or_none, "value", enum_or_none)


def grant_problems(target: Target, assignments: Iterable[EffectivePrivilegeAssignment]) -> list[str]:
    """One line per missing or extra privilege of a matrix group on ``target``."""
    direct: dict[str, set[str]] = {group: set() for group in target.expected}
    inherited: dict[str, set[tuple[str, str, str]]] = {group: set() for group in target.expected}
    for assignment in assignments:
        if assignment.principal not in target.expected:
            continue
        for held in assignment.privileges or []:
            privilege = _value(held.privilege) or UNRECOGNISED
            if held.inherited_from_name:
                source_type = (_value(held.inherited_from_type) or "securable").lower()
                inherited[assignment.principal].add((privilege, source_type, held.inherited_from_name))
            else:
                direct[assignment.principal].add(privilege)

    where = f"{target.type} {target.full_name}"
    problems = []
    for group, wanted in target.expected.items():
        for privilege in sorted(wanted - direct[group]):
            problems.append(f"{group}: missing {privilege} on {where}")
        for privilege in sorted(direct[group] - wanted):
            problems.append(f"{group}: extra {privilege} on {where}")
        for privilege, source_type, source in sorted(inherited[group]):
            if source not in target.covered:
                problems.append(f"{group}: extra {privilege} on {where}, inherited from {source_type} {source}")
    return problems

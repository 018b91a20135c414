"""Workspace object permissions from the access matrix (contract/rbac.py): groups only."""

from __future__ import annotations

from cdktf_cdktf_provider_databricks.permissions import PermissionsAccessControl


def access_control(levels: dict[str, str], group_names: dict[str, str]) -> list[PermissionsAccessControl]:
    """ACL entries for ``levels`` (role -> permission level), one per role's group."""
    return [
        PermissionsAccessControl(group_name=group_names[role], permission_level=level)
        for role, level in sorted(levels.items())
    ]

"""Ordering the first apply: waits for what Azure makes effective only after a while.

Azure RBAC is eventually consistent: a role assignment exists in ARM seconds after it is
created, but the data planes (Key Vault, Storage) and the services that check access when
an object is created (Unity Catalog validating an external location, Databricks creating a
Key Vault-backed secret scope) see it minutes later, and fail with 403 until then. A
``time_sleep`` after the assignments, and a ``depends_on`` on it from whatever uses them in
the same apply, turns that failure into a wait."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from cdktf import TerraformResource
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment
from cdktf_cdktf_provider_time.sleep import Sleep
from constructs import Construct

# Microsoft documents "up to 10 minutes" in the worst case; a few minutes is the usual case.
ROLE_PROPAGATION = "180s"


def role_wait(scope: Construct, id_: str, assignments: Sequence[RoleAssignment]) -> Sleep:
    """A wait after ``assignments``; it waits again when one of them is replaced (triggers)."""
    return Sleep(
        scope,
        id_,
        create_duration=ROLE_PROPAGATION,
        triggers={assignment.node.id: assignment.id for assignment in assignments},
    )


def workspace_resources(scope: Construct) -> list[TerraformResource]:
    """Every resource under ``scope`` that talks to the workspace's front end: the
    Databricks resources of the default (workspace-level) provider."""
    return [
        node
        for node in scope.node.find_all()
        if isinstance(node, TerraformResource)
        and node.terraform_resource_type.startswith("databricks_")
        and node.provider is None
    ]


def depend_on(resources: Iterable[TerraformResource], ready: Sequence[TerraformResource]) -> None:
    """Add ``ready`` to the depends_on of each of ``resources`` (keeping what they have)."""
    added = [f"{item.terraform_resource_type}.{item.friendly_unique_id}" for item in ready]
    for resource in resources:
        existing = list(resource.depends_on or [])
        resource.depends_on = existing + [name for name in added if name not in existing]

"""Protection of the stateful resources of environments that ask for it.

Two layers, because neither covers the other:
- ``prevent_destroy`` (Terraform lifecycle) makes any plan that would delete or replace the
  resource fail, ``cdktf destroy`` included: nothing in this repository can delete them.
- ``CanNotDelete`` locks stop deletion from outside this state (portal, CLI, another
  stack, a resource group delete). They do not stop ``cdktf destroy``: a lock's scope
  refers to its resource, so Terraform destroys the lock first, then the resource.
"""

from __future__ import annotations

from cdktf import TerraformResource
from cdktf_cdktf_provider_azurerm.management_lock import ManagementLock
from constructs import Construct

from infra.naming import lock


class DeletionLocks(Construct):
    """A CanNotDelete lock per stateful resource, against deletion outside Terraform."""

    def __init__(self, scope: Construct, id_: str, *, targets: dict[str, str]) -> None:
        super().__init__(scope, id_)
        for name, resource_id in sorted(targets.items()):
            ManagementLock(
                self,
                name,
                name=lock(name),
                scope=resource_id,
                lock_level="CanNotDelete",
                notes="Stateful resource of a long-lived environment; remove deliberately before deleting.",
            )


def prevent_destroy(*resources: TerraformResource) -> None:
    """Refuse every plan that deletes or replaces one of ``resources``."""
    for resource in resources:
        resource.add_override("lifecycle.prevent_destroy", True)

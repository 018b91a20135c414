"""Deletion locks on the stateful resources of environments that ask for them."""

from __future__ import annotations

from cdktf_cdktf_provider_azurerm.management_lock import ManagementLock
from constructs import Construct


class DeletionLocks(Construct):
    """A CanNotDelete lock per stateful resource: `destroy` fails until the lock is removed."""

    def __init__(self, scope: Construct, id_: str, *, targets: dict[str, str]) -> None:
        super().__init__(scope, id_)
        for name, resource_id in sorted(targets.items()):
            ManagementLock(
                self,
                name,
                name=f"protect-{name.replace('_', '-')}",
                scope=resource_id,
                lock_level="CanNotDelete",
                notes="Stateful resource of a long-lived environment; remove deliberately before deleting.",
            )

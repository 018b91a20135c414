"""Workload identities and their least-privilege Azure role assignments."""

from __future__ import annotations

from cdktf_cdktf_provider_azurerm.databricks_access_connector import (
    DatabricksAccessConnector,
    DatabricksAccessConnectorIdentity,
)
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment
from cdktf_cdktf_provider_azurerm.user_assigned_identity import UserAssignedIdentity
from cdktf_cdktf_provider_time.sleep import Sleep
from constructs import Construct

from contract import rbac
from infra.constructs.base import Context
from infra.constructs.propagation import role_wait


class Identities(Construct):
    """The producer's managed identity and Unity Catalog's access connector."""

    def __init__(self, scope: Construct, id_: str, *, ctx: Context) -> None:
        super().__init__(scope, id_)
        self.producer = UserAssignedIdentity(
            self,
            "producer",
            name=ctx.names.producer_identity,
            **ctx.placement,
        )
        self.access_connector = DatabricksAccessConnector(
            self,
            "access_connector",
            name=ctx.names.access_connector,
            **ctx.placement,
            identity=DatabricksAccessConnectorIdentity(type="SystemAssigned"),
        )

    @property
    def connector_principal_id(self) -> str:
        return self.access_connector.identity.principal_id

    def grant_lake_access(self, *, storage_account_id: str, landing_container_id: str, resource_group_id: str) -> Sleep:
        """The roles of contract/rbac.py AZURE_ROLES: the producer writes to the landing
        container only, the connector gets what Unity Catalog needs.

        Returns the wait after the connector's roles: Unity Catalog validates the storage
        credential and external locations with them on create."""
        [producer_role] = rbac.azure_roles(rbac.PRODUCER_IDENTITY, rbac.LANDING_CONTAINER)
        assign_role(self, "producer_landing", producer_role, landing_container_id, self.producer.principal_id)
        connector_roles = [
            assign_role(self, _slug("connector", role), role, target, self.connector_principal_id)
            for scope, target in ((rbac.STORAGE_ACCOUNT, storage_account_id), (rbac.RESOURCE_GROUP, resource_group_id))
            for role in rbac.azure_roles(rbac.ACCESS_CONNECTOR, scope)
        ]
        return role_wait(self, "connector_roles_ready", connector_roles)


def _slug(prefix: str, role: str) -> str:
    return f"{prefix}_{role.lower().replace(' ', '_')}"


def assign_role(
    scope: Construct,
    id_: str,
    role: str,
    target: str,
    principal_id: str,
    principal_type: str | None = "ServicePrincipal",
) -> RoleAssignment:
    """``principal_id`` gets ``role`` on ``target``; principal_type None when it can be a user or an app."""
    return RoleAssignment(
        scope,
        id_,
        scope=target,
        role_definition_name=role,
        principal_id=principal_id,
        principal_type=principal_type,
    )

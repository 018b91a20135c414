"""Entra ID groups, their Databricks account twins, the producer's service principal,
and their access to the workspace."""

from __future__ import annotations

from cdktf import ITerraformDependable, Token
from cdktf_cdktf_provider_azuread.group import Group as EntraGroup
from cdktf_cdktf_provider_databricks.group import Group
from cdktf_cdktf_provider_databricks.group_member import GroupMember
from cdktf_cdktf_provider_databricks.mws_permission_assignment import MwsPermissionAssignment
from cdktf_cdktf_provider_databricks.provider import DatabricksProvider
from cdktf_cdktf_provider_databricks.service_principal import ServicePrincipal
from constructs import Construct

from contract import rbac
from infra.constructs.base import Context

# People's roles: Entra ID security groups. Producers is a Databricks-only workload group.
ROLE_DESCRIPTIONS = {
    rbac.PLATFORM_ADMINS: "Administers the clickstream platform",
    rbac.DATA_ENGINEERS: "Builds and runs the clickstream pipeline",
    rbac.DATA_ANALYSTS: "Reads the gold layer of the clickstream platform",
}
ENTRA_ROLES = tuple(ROLE_DESCRIPTIONS)


class Principals(Construct):
    """Groups by role. Entra groups are the source of truth for people; each gets an
    account-level Databricks group with ``external_id`` = its object id, which is what
    Entra ID provisioning (SCIM) or automatic identity management would create too."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        ctx: Context,
        owner_object_id: str,
        producer_client_id: str,
        account: DatabricksProvider,
    ) -> None:
        super().__init__(scope, id_)
        self._account = account
        self.names = {role: ctx.names.group(role) for role in rbac.ROLES}
        self.entra: dict[str, EntraGroup] = {}
        self.groups: dict[str, Group] = {}
        for role in ENTRA_ROLES:
            slug = role.replace("-", "_")
            self.entra[role] = EntraGroup(
                self,
                f"entra_{slug}",
                display_name=self.names[role],
                description=f"{ROLE_DESCRIPTIONS[role]} ({ctx.env.name})",
                security_enabled=True,
                owners=[owner_object_id],
                prevent_duplicate_names=True,
            )
            self.groups[role] = Group(
                self,
                f"account_{slug}",
                display_name=self.names[role],
                external_id=self.entra[role].object_id,
                provider=account,
            )
        self.groups[rbac.PRODUCERS] = Group(
            self, "account_producers", display_name=self.names[rbac.PRODUCERS], provider=account
        )
        # Azure Databricks accepts a managed identity as a service principal (its client id).
        self.producer = ServicePrincipal(
            self,
            "producer",
            application_id=producer_client_id,
            display_name=f"clickstream-{ctx.env.name}-producer",
            provider=account,
        )
        GroupMember(
            self,
            "producer_membership",
            group_id=self.groups[rbac.PRODUCERS].id,
            member_id=self.producer.id,
            provider=account,
        )
        self.assignments: list[MwsPermissionAssignment] = []

    def assign_to_workspace(
        self, workspace_id: str, *, after: list[ITerraformDependable]
    ) -> list[MwsPermissionAssignment]:
        """Give every role its workspace access (ADMIN or USER) in ``workspace_id``, ``after``
        the metastore assignment: identity federation needs the workspace's metastore."""
        for role, level in rbac.WORKSPACE_ACCESS.items():
            self.assignments.append(
                MwsPermissionAssignment(
                    self,
                    f"workspace_{role.replace('-', '_')}",
                    workspace_id=Token.as_number(workspace_id),
                    principal_id=Token.as_number(self.groups[role].id),
                    permissions=[level],
                    provider=self._account,
                    depends_on=after,
                )
            )
        return self.assignments

    @property
    def producer_application_id(self) -> str:
        return self.producer.application_id

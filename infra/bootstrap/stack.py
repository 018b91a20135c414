"""State backends and the deploying identity of every trust level (infra/trust.py).

Applied by a person (Owner on the subscriptions, Cloud Application Administrator and
Privileged Role Administrator in Entra; see infra/permissions.py OPERATOR), never by CI.
Per subscription that holds a deploying level: a state account, firewalled and Entra-only,
with one container per level, its resource group locked against deletion. Per level: an
Entra application with one federated credential (its GitHub subject, no secret), its
Azure roles at its subscription, a custom role for what no built-in role we grant holds,
its state container role, Graph application roles and, where its stack manages
account-level objects, the Databricks account admin role.
"""

from __future__ import annotations

from cdktf import Fn, LocalBackend, TerraformOutput, TerraformStack
from cdktf_cdktf_provider_azuread.app_role_assignment import AppRoleAssignment
from cdktf_cdktf_provider_azuread.application import Application
from cdktf_cdktf_provider_azuread.application_federated_identity_credential import (
    ApplicationFederatedIdentityCredential,
)
from cdktf_cdktf_provider_azuread.data_azuread_service_principal import DataAzureadServicePrincipal
from cdktf_cdktf_provider_azuread.provider import AzureadProvider
from cdktf_cdktf_provider_azuread.service_principal import ServicePrincipal
from cdktf_cdktf_provider_azurerm.management_lock import ManagementLock
from cdktf_cdktf_provider_azurerm.provider import AzurermProvider, AzurermProviderFeatures
from cdktf_cdktf_provider_azurerm.resource_group import ResourceGroup
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment
from cdktf_cdktf_provider_azurerm.role_definition import RoleDefinition, RoleDefinitionPermissions
from cdktf_cdktf_provider_azurerm.storage_account import (
    StorageAccount,
    StorageAccountBlobProperties,
    StorageAccountBlobPropertiesContainerDeleteRetentionPolicy,
    StorageAccountBlobPropertiesDeleteRetentionPolicy,
    StorageAccountNetworkRules,
    StorageAccountSasPolicy,
)
from cdktf_cdktf_provider_azurerm.storage_container import StorageContainer
from cdktf_cdktf_provider_databricks.provider import DatabricksProvider
from cdktf_cdktf_provider_databricks.service_principal import ServicePrincipal as DatabricksServicePrincipal
from cdktf_cdktf_provider_databricks.service_principal_role import ServicePrincipalRole
from constructs import Construct

from infra import permissions
from infra.bootstrap import STACK_NAME
from infra.constructs.storage import SECURE_ACCOUNT
from infra.naming import PROJECT, STATE_RESOURCE_GROUP, lock, state_storage_account
from infra.providers import DATABRICKS_ACCOUNTS_HOST
from infra.trust import GITHUB_ISSUER, TOKEN_EXCHANGE_AUDIENCE, Identity, Platform

MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"
STATE_RETENTION_DAYS = 30
TAGS = {
    "env": STACK_NAME,
    "owner": "platform-team@example.com",
    "cost-center": "data-platform",
    "managed-by": "cdktf",
    "project": PROJECT,
}


class BootstrapStack(TerraformStack):
    def __init__(self, scope: Construct, platform: Platform, identities: list[Identity]) -> None:
        super().__init__(scope, STACK_NAME)
        # Its own state stays with the operator: it holds no secret (no client secrets exist).
        LocalBackend(self, path=f"terraform.{STACK_NAME}.tfstate")
        AzureadProvider(self, "azuread")
        self._platform = platform
        self._providers: dict[str, AzurermProvider] = {}
        containers = self._state_backends({(i.subscription, i.state_container) for i in identities if i.writes})
        graph = DataAzureadServicePrincipal(self, "microsoft_graph", client_id=MICROSOFT_GRAPH_APP_ID)
        account = DatabricksProvider(
            self,
            "databricks_account",
            alias="account",
            host=DATABRICKS_ACCOUNTS_HOST,
            account_id=identities[0].environment.databricks.account_id,
        )
        for identity in identities:
            self._identity(identity, containers[(identity.subscription, identity.state_container)], graph, account)

    def _provider(self, subscription: str) -> AzurermProvider:
        if subscription not in self._providers:
            self._providers[subscription] = AzurermProvider(
                self,
                f"azurerm_{subscription}",
                alias=subscription,
                storage_use_azuread=True,
                subscription_id=self._platform.subscriptions[subscription],
                features=[AzurermProviderFeatures()],
            )
        return self._providers[subscription]

    def _state_backends(self, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], StorageContainer]:
        containers = {}
        for subscription in sorted({sub for sub, _ in wanted}):
            provider = self._provider(subscription)
            group = ResourceGroup(
                self,
                f"state_{subscription}",
                provider=provider,
                name=STATE_RESOURCE_GROUP,
                location=self._platform.location,
                tags=TAGS,
            )
            # The state outlives every environment: deleting it orphans their resources.
            ManagementLock(
                self,
                f"state_{subscription}_lock",
                provider=provider,
                name=lock("tfstate"),
                scope=group.id,
                lock_level="CanNotDelete",
                notes="Terraform state of the clickstream environments; remove deliberately.",
            )
            account = self._state_account(subscription, provider, group)
            for sub, container in sorted(wanted):
                if sub == subscription:
                    containers[(sub, container)] = StorageContainer(
                        self,
                        f"state_{subscription}_{container}",
                        provider=provider,
                        name=container,
                        storage_account_id=account.id,
                        container_access_type="private",
                    )
        return containers

    def _state_account(self, subscription: str, provider: AzurermProvider, group: ResourceGroup) -> StorageAccount:
        retention = StorageAccountBlobPropertiesDeleteRetentionPolicy(days=STATE_RETENTION_DAYS)
        return StorageAccount(
            self,
            f"state_{subscription}_account",
            provider=provider,
            name=state_storage_account(subscription),
            resource_group_name=group.name,
            location=self._platform.location,
            tags=TAGS,
            **SECURE_ACCOUNT,  # Entra ID only: the backend uses use_azuread_auth
            account_replication_type="GZRS",
            # Not open to every network: the firewall lets in the CI/operator ranges only.
            network_rules=StorageAccountNetworkRules(
                default_action="Deny",
                bypass=["AzureServices"],
                ip_rules=list(self._platform.state_allowed_ip_ranges),
            ),
            # Versions and soft delete: a broken apply or a deleted blob can be rolled back
            # (versioning needs the flat namespace: no is_hns_enabled here).
            blob_properties=StorageAccountBlobProperties(
                versioning_enabled=True,
                delete_retention_policy=retention,
                container_delete_retention_policy=StorageAccountBlobPropertiesContainerDeleteRetentionPolicy(
                    days=STATE_RETENTION_DAYS
                ),
            ),
            sas_policy=StorageAccountSasPolicy(expiration_period="00.01:00:00", expiration_action="Block"),
        )

    def _identity(self, identity: Identity, container: StorageContainer, graph, account) -> None:
        slug = identity.level.value.replace("-", "_")
        needs = identity.needs
        app = Application(self, f"{slug}_app", display_name=identity.display_name, sign_in_audience="AzureADMyOrg")
        principal = ServicePrincipal(self, f"{slug}_sp", client_id=app.client_id)
        ApplicationFederatedIdentityCredential(
            self,
            f"{slug}_github",
            application_id=app.id,
            display_name=f"github-{slug}",
            issuer=GITHUB_ISSUER,
            subject=identity.subject,
            audiences=[TOKEN_EXCHANGE_AUDIENCE],
            description=f"GitHub Actions, {identity.level.value} trust level",
        )
        provider = self._provider(identity.subscription)
        subscription_scope = f"/subscriptions/{self._platform.subscriptions[identity.subscription]}"
        for role in sorted(needs.azure_roles):
            # RBAC Administrator may hand out the stack's own roles only, never Owner.
            condition = (
                {"condition": permissions.assignment_condition(), "condition_version": "2.0"}
                if role == permissions.RBAC_ADMINISTRATOR
                else {}
            )
            RoleAssignment(
                self,
                f"{slug}_{_slug(role)}",
                provider=provider,
                scope=subscription_scope,
                role_definition_name=role,
                principal_id=principal.object_id,
                principal_type="ServicePrincipal",
                **condition,
            )
        if needs.azure_actions:
            custom = RoleDefinition(
                self,
                f"{slug}_custom_role",
                provider=provider,
                name=f"{identity.display_name}-extra",
                scope=subscription_scope,
                assignable_scopes=[subscription_scope],
                description="What the stack needs beyond its built-in roles (infra/permissions.py)",
                permissions=[RoleDefinitionPermissions(actions=sorted(needs.azure_actions))],
            )
            RoleAssignment(
                self,
                f"{slug}_custom",
                provider=provider,
                scope=subscription_scope,
                role_definition_id=custom.role_definition_resource_id,
                principal_id=principal.object_id,
                principal_type="ServicePrincipal",
            )
        # State: its own container only (a plan level reads its environment's, never prod's).
        RoleAssignment(
            self,
            f"{slug}_state",
            provider=provider,
            scope=container.id,
            role_definition_name=identity.state_role,
            principal_id=principal.object_id,
            principal_type="ServicePrincipal",
        )
        for app_role in sorted(needs.graph_app_roles):
            AppRoleAssignment(
                self,
                f"{slug}_graph_{_slug(app_role)}",
                principal_object_id=principal.object_id,
                resource_object_id=graph.object_id,
                app_role_id=Fn.lookup(graph.app_role_ids, app_role, None),
            )
        if permissions.ACCOUNT_ADMIN in needs.databricks:
            databricks_sp = DatabricksServicePrincipal(
                self,
                f"{slug}_databricks",
                provider=account,
                application_id=app.client_id,
                display_name=identity.display_name,
            )
            ServicePrincipalRole(
                self,
                f"{slug}_account_admin",
                provider=account,
                service_principal_id=databricks_sp.id,
                role="account_admin",
            )
        TerraformOutput(self, f"{slug}_client_id", value=app.client_id)


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text.lower()).strip("_")

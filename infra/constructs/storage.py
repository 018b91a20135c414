"""The ADLS Gen2 account of the lake: landing zone and the catalog's managed storage."""

from __future__ import annotations

from cdktf_cdktf_provider_azurerm.storage_account import (
    StorageAccount,
    StorageAccountBlobProperties,
    StorageAccountBlobPropertiesContainerDeleteRetentionPolicy,
    StorageAccountBlobPropertiesDeleteRetentionPolicy,
    StorageAccountNetworkRules,
    StorageAccountNetworkRulesPrivateLinkAccess,
    StorageAccountSasPolicy,
)
from cdktf_cdktf_provider_azurerm.storage_container import StorageContainer
from constructs import Construct

from infra.constructs.base import Context
from infra.constructs.network import Network
from infra.constructs.observability import BLOB_SERVICE, QUEUE_SERVICE, STORAGE_ACCOUNT, Observability

LANDING = "landing"
CATALOG = "catalog"


# Every storage account of the platform (the lake, the Terraform state): TLS 1.2 over
# HTTPS only, nothing public, Entra ID only (no account keys, so no SAS or connection
# strings can exist), no local users or SFTP, no cross-tenant copies, double encryption.
SECURE_ACCOUNT = dict(
    account_kind="StorageV2",
    account_tier="Standard",
    min_tls_version="TLS1_2",
    https_traffic_only_enabled=True,
    allow_nested_items_to_be_public=False,
    shared_access_key_enabled=False,
    default_to_oauth_authentication=True,
    local_user_enabled=False,
    sftp_enabled=False,
    cross_tenant_replication_enabled=False,
    infrastructure_encryption_enabled=True,
)


class Lake(Construct):
    """Storage account secured by default: Entra ID only, TLS 1.2, no public blobs, deny by default."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        ctx: Context,
        access_connector_id: str,
        network: Network,
        observability: Observability,
    ) -> None:
        super().__init__(scope, id_)
        env = ctx.env
        self.account = StorageAccount(
            self,
            "this",
            name=ctx.names.storage_account,
            **ctx.placement,
            **SECURE_ACCOUNT,
            account_replication_type=env.storage.replication,
            is_hns_enabled=True,
            public_network_access_enabled=env.network.public_network_access,
            network_rules=StorageAccountNetworkRules(
                default_action="Deny",
                bypass=["AzureServices", "Logging", "Metrics"],
                ip_rules=list(env.network.allowed_ip_ranges),
                # Resource instance rule: Unity Catalog reaches the lake as the access connector.
                private_link_access=[
                    StorageAccountNetworkRulesPrivateLinkAccess(endpoint_resource_id=access_connector_id)
                ],
            ),
            blob_properties=StorageAccountBlobProperties(
                delete_retention_policy=StorageAccountBlobPropertiesDeleteRetentionPolicy(
                    days=env.storage.soft_delete_days
                ),
                container_delete_retention_policy=StorageAccountBlobPropertiesContainerDeleteRetentionPolicy(
                    days=env.storage.soft_delete_days
                ),
            ),
            # Defence in depth should keys ever be re-enabled: SAS tokens expire within a day.
            sas_policy=StorageAccountSasPolicy(expiration_period="00.01:00:00", expiration_action="Block"),
        )
        # Containers through the control plane (storage_account_id): works with shared keys
        # off and without data-plane network access from the deploying machine.
        self.landing = self._container(LANDING)
        self.catalog = self._container(CATALOG)
        observability.send_diagnostics(
            "account_diagnostics", target_resource_id=self.account.id, target_type=STORAGE_ACCOUNT
        )
        observability.send_diagnostics(
            "blob_diagnostics", target_resource_id=f"{self.account.id}/blobServices/default", target_type=BLOB_SERVICE
        )
        # File events (Auto Loader notification mode) use the account's queues: log them too.
        # Classic queue logging (checkov CKV_AZURE_33) would need shared keys, which are off.
        observability.send_diagnostics(
            "queue_diagnostics",
            target_resource_id=f"{self.account.id}/queueServices/default",
            target_type=QUEUE_SERVICE,
        )
        if not env.network.public_network_access:
            for subresource in ("dfs", "blob"):
                network.private_endpoint(
                    f"lake_{subresource}_endpoint",
                    target_id=self.account.id,
                    subresource=subresource,
                    target_name=f"lake-{subresource}",
                )

    def _container(self, name: str) -> StorageContainer:
        return StorageContainer(
            self, name, name=name, storage_account_id=self.account.id, container_access_type="private"
        )

    def abfss_url(self, container: str) -> str:
        return f"abfss://{container}@{self.account.name}.dfs.core.windows.net/"

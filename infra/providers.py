"""Providers and state backend of an environment's stack."""

from __future__ import annotations

from cdktf import AzurermBackend, LocalBackend, TerraformStack
from cdktf_cdktf_provider_azuread.provider import AzureadProvider
from cdktf_cdktf_provider_azurerm.provider import (
    AzurermProvider,
    AzurermProviderFeatures,
    AzurermProviderFeaturesKeyVault,
    AzurermProviderFeaturesResourceGroup,
    AzurermProviderFeaturesStorage,
)
from cdktf_cdktf_provider_databricks.provider import DatabricksProvider
from cdktf_cdktf_provider_random.provider import RandomProvider
from cdktf_cdktf_provider_time.provider import TimeProvider

from infra.config import Environment

DATABRICKS_ACCOUNTS_HOST = "https://accounts.azuredatabricks.net"


def configure_backend(stack: TerraformStack, env: Environment) -> None:
    """azurerm remote state (Entra ID auth, one key per environment) when configured, else local."""
    if env.backend is None:
        LocalBackend(stack, path=f"terraform.{env.name}.tfstate")
        return
    AzurermBackend(
        stack,
        resource_group_name=env.backend.resource_group,
        storage_account_name=env.backend.storage_account,
        container_name=env.backend.container,
        key=f"{env.name}.tfstate",
        use_azuread_auth=True,
    )


def azure_providers(stack: TerraformStack, env: Environment) -> None:
    """azurerm (data plane through Entra ID: shared keys are off), azuread, random and time.

    Credentials come from the environment (ARM_* variables, OIDC in CI, Azure CLI on a
    laptop), never from code."""
    AzurermProvider(
        stack,
        "azurerm",
        storage_use_azuread=True,
        features=[
            AzurermProviderFeatures(
                # Free the vault's name on destroy unless purge protection forbids it.
                key_vault=[
                    AzurermProviderFeaturesKeyVault(
                        purge_soft_delete_on_destroy=not env.protection.key_vault_purge_protection,
                        recover_soft_deleted_key_vaults=True,
                    )
                ],
                # The storage firewall denies the deploying machine: without this, creating and
                # refreshing the account reads queue properties and static website over the
                # data plane and fails with 403. Blob properties and containers go through ARM.
                storage=[AzurermProviderFeaturesStorage(data_plane_available=False)],
                resource_group=[
                    AzurermProviderFeaturesResourceGroup(
                        prevent_deletion_if_contains_resources=env.protection.deletion_locks
                    )
                ],
            )
        ],
    )
    AzureadProvider(stack, "azuread")
    RandomProvider(stack, "random")
    TimeProvider(stack, "time")


def databricks_providers(
    stack: TerraformStack, env: Environment, *, workspace_url: str, workspace_resource_id: str
) -> tuple[DatabricksProvider, DatabricksProvider]:
    """The workspace-level provider (default) and the account-level one (alias "account").

    The workspace provider is configured from the workspace created in this stack, so
    its resources can only be planned against a workspace that exists: Terraform orders
    them after the workspace through these attribute references."""
    workspace = DatabricksProvider(
        stack, "databricks", host=workspace_url, azure_workspace_resource_id=workspace_resource_id
    )
    account = DatabricksProvider(
        stack,
        "databricks_account",
        alias="account",
        host=DATABRICKS_ACCOUNTS_HOST,
        account_id=env.databricks.account_id,
    )
    return workspace, account

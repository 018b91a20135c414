"""A WorkspaceClient on Databricks unified authentication, never a personal access token.

The SDK picks the credential from the environment: ``az login`` on a laptop, OIDC
workload identity in CI (``DATABRICKS_AUTH_TYPE=github-oidc`` / ``env-oidc`` or
``ARM_*`` + ``github-oidc-azure``), a managed identity on Azure (``ARM_USE_MSI=true``).
A token or a password found in the environment or a config profile is refused
rather than silently used.
"""

from __future__ import annotations

import os

from azure.identity import ManagedIdentityCredential
from databricks.sdk import WorkspaceClient
from databricks.sdk.azure import add_workspace_id_header
from databricks.sdk.config import Config
from databricks.sdk.credentials_provider import CredentialsStrategy
from databricks.sdk.environments import ARM_DATABRICKS_RESOURCE_ID

PRODUCT = "clickstream-ops"
PRODUCT_VERSION = "1.0.0"
REFUSED_AUTH_TYPES = ("pat", "basic")
REFUSED_VARIABLES = ("DATABRICKS_TOKEN", "DATABRICKS_PASSWORD")
LOGIN_HINT = (
    "sign in with `az login` (laptop); in CI use OIDC workload identity, on Azure a managed "
    "identity (see ops/README.md, Authentication)"
)


class AzureManagedIdentity(CredentialsStrategy):
    """Entra ID tokens of the host's managed identity (``ARM_USE_MSI=true``).

    databricks-sdk 0.162.0 reads ``ARM_USE_MSI`` but has no strategy that uses it, so
    this one asks azure-identity (IMDS on a VM, the identity endpoint on App Service /
    Container Apps). ``ARM_CLIENT_ID`` picks a user-assigned identity.
    """

    def auth_type(self) -> str:
        return "azure-msi"

    def __call__(self, cfg: Config):
        credential = ManagedIdentityCredential(client_id=cfg.azure_client_id)
        # The AzureDatabricks first-party application: the audience of workspace tokens.
        scope = f"{cfg.effective_azure_login_app_id or ARM_DATABRICKS_RESOURCE_ID}/.default"

        def headers() -> dict[str, str]:
            out = {"Authorization": f"Bearer {credential.get_token(scope).token}"}
            add_workspace_id_header(cfg, out)
            return out

        return headers


def _wants_managed_identity() -> bool:
    return os.environ.get("ARM_USE_MSI", "").lower() in ("1", "true", "yes")


class AuthRefused(RuntimeError):
    """The only credential found is a personal access token or a password."""


def _refusal(source: str) -> AuthRefused:
    return AuthRefused(f"{source}: personal access tokens and passwords are not accepted. Unset it and {LOGIN_HINT}.")


def connect(
    host: str,
    *,
    azure_workspace_resource_id: str | None = None,
    credentials_strategy: CredentialsStrategy | None = None,
    retry_timeout_seconds: int | None = None,
) -> WorkspaceClient:
    """Client for the workspace at ``host``.

    ``credentials_strategy`` replaces unified authentication; only the contract tests
    pass one (to talk to their loopback server). ``retry_timeout_seconds`` bounds the
    SDK's own retries of 429/503 and connection errors (SDK default 300 s).
    """
    if credentials_strategy is None:
        for variable in REFUSED_VARIABLES:
            if os.environ.get(variable):
                raise _refusal(f"environment variable {variable}")
        if _wants_managed_identity():
            credentials_strategy = AzureManagedIdentity()
    config = Config(
        host=host,
        # Lets an Azure identity with rights on the workspace resource be recognised
        # before it was ever added to the workspace (SDK header for Azure auth).
        azure_workspace_resource_id=azure_workspace_resource_id,
        credentials_strategy=credentials_strategy,
        retry_timeout_seconds=retry_timeout_seconds,
        product=PRODUCT,
        product_version=PRODUCT_VERSION,
    )
    if config.auth_type in REFUSED_AUTH_TYPES:
        raise _refusal(f"auth type {config.auth_type!r}")
    return WorkspaceClient(config=config)

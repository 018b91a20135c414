"""Private connectivity from Databricks serverless compute to the lake.

With public network access off, serverless compute (pipeline, jobs, SQL warehouse)
reaches the storage account through private endpoints managed by a network
connectivity configuration (NCC) bound to the workspace. The endpoints are created
in the Databricks account and must be approved on the storage account (the
storage account owner sees them as pending connections; see README)."""

from __future__ import annotations

from cdktf import Token
from cdktf_cdktf_provider_databricks.mws_ncc_binding import MwsNccBinding
from cdktf_cdktf_provider_databricks.mws_ncc_private_endpoint_rule import MwsNccPrivateEndpointRule
from cdktf_cdktf_provider_databricks.mws_network_connectivity_config import MwsNetworkConnectivityConfig
from cdktf_cdktf_provider_databricks.provider import DatabricksProvider
from constructs import Construct

from infra.constructs.base import Context


class ServerlessPrivateAccess(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        ctx: Context,
        account: DatabricksProvider,
        workspace_id: str,
        storage_account_id: str,
    ) -> None:
        super().__init__(scope, id_)
        ncc = MwsNetworkConnectivityConfig(
            self, "ncc", name=ctx.names.network_connectivity_config, region=ctx.location, provider=account
        )
        MwsNccBinding(
            self,
            "binding",
            network_connectivity_config_id=ncc.network_connectivity_config_id,
            workspace_id=Token.as_number(workspace_id),
            provider=account,
        )
        self.lake_rules = [
            MwsNccPrivateEndpointRule(
                self,
                f"lake_{group}",
                network_connectivity_config_id=ncc.network_connectivity_config_id,
                resource_id=storage_account_id,
                group_id=group,
                provider=account,
            )
            for group in ("dfs", "blob")
        ]

"""The Azure Databricks workspace: premium, VNet-injected, no public IPs."""

from __future__ import annotations

from cdktf_cdktf_provider_azurerm.databricks_workspace import (
    DatabricksWorkspace,
    DatabricksWorkspaceCustomParameters,
)
from constructs import Construct

from infra.constructs.base import Context
from infra.constructs.network import Network
from infra.constructs.observability import DATABRICKS_WORKSPACE, Observability


class Workspace(Construct):
    def __init__(
        self, scope: Construct, id_: str, *, ctx: Context, network: Network, observability: Observability
    ) -> None:
        super().__init__(scope, id_)
        public = ctx.env.network.public_network_access
        self.this = DatabricksWorkspace(
            self,
            "this",
            name=ctx.names.workspace,
            **ctx.placement,
            managed_resource_group_name=ctx.names.managed_resource_group,
            sku="premium",
            public_network_access_enabled=public,
            # Without public access the data plane talks to the control plane over private link.
            network_security_group_rules_required="AllRules" if public else "NoAzureDatabricksRules",
            custom_parameters=DatabricksWorkspaceCustomParameters(
                no_public_ip=True,
                virtual_network_id=network.vnet.id,
                public_subnet_name=network.public_subnet.name,
                private_subnet_name=network.private_subnet.name,
                public_subnet_network_security_group_association_id=network.public_nsg_association.id,
                private_subnet_network_security_group_association_id=network.private_nsg_association.id,
            ),
        )
        observability.send_diagnostics("diagnostics", target_resource_id=self.this.id, target_type=DATABRICKS_WORKSPACE)
        if not public:
            network.private_endpoint(
                "ui_api_endpoint", target_id=self.this.id, subresource="databricks_ui_api", target_name="workspace"
            )

    @property
    def url(self) -> str:
        return f"https://{self.this.workspace_url}"

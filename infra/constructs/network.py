"""VNet injection for the Databricks workspace, and private endpoints with their DNS."""

from __future__ import annotations

from cdktf import TerraformResource
from cdktf_cdktf_provider_azurerm.network_security_group import NetworkSecurityGroup
from cdktf_cdktf_provider_azurerm.private_dns_zone import PrivateDnsZone
from cdktf_cdktf_provider_azurerm.private_dns_zone_virtual_network_link import PrivateDnsZoneVirtualNetworkLink
from cdktf_cdktf_provider_azurerm.private_endpoint import (
    PrivateEndpoint,
    PrivateEndpointPrivateDnsZoneGroup,
    PrivateEndpointPrivateServiceConnection,
)
from cdktf_cdktf_provider_azurerm.subnet import Subnet, SubnetDelegation, SubnetDelegationServiceDelegation
from cdktf_cdktf_provider_azurerm.subnet_network_security_group_association import (
    SubnetNetworkSecurityGroupAssociation,
)
from cdktf_cdktf_provider_azurerm.virtual_network import VirtualNetwork
from constructs import Construct

from infra.constructs.base import Context

# Private DNS zone of each private-link sub-resource we use.
PRIVATE_DNS_ZONES = {
    "dfs": "privatelink.dfs.core.windows.net",
    "blob": "privatelink.blob.core.windows.net",
    "vault": "privatelink.vaultcore.azure.net",
    "databricks_ui_api": "privatelink.azuredatabricks.net",
}

# Actions Azure Databricks needs on its delegated subnets.
DATABRICKS_DELEGATION_ACTIONS = [
    "Microsoft.Network/virtualNetworks/subnets/join/action",
    "Microsoft.Network/virtualNetworks/subnets/prepareNetworkPolicies/action",
    "Microsoft.Network/virtualNetworks/subnets/unprepareNetworkPolicies/action",
]


class Network(Construct):
    """VNet with the two delegated Databricks subnets (+ NSG) and a private endpoint subnet (+ NSG)."""

    def __init__(self, scope: Construct, id_: str, *, ctx: Context) -> None:
        super().__init__(scope, id_)
        self._ctx = ctx
        net = ctx.env.network
        self.vnet = VirtualNetwork(
            self,
            "vnet",
            name=ctx.names.virtual_network,
            **ctx.placement,
            address_space=[net.vnet_cidr],
        )
        self.nsg = self._security_group("databricks")
        self.public_subnet, self.public_nsg_association = self._databricks_subnet("public", net.public_subnet_cidr)
        self.private_subnet, self.private_nsg_association = self._databricks_subnet("private", net.private_subnet_cidr)
        self.endpoint_subnet = None
        self._dns_zones: dict[str, PrivateDnsZone] = {}
        self._reachable: dict[str, list[TerraformResource]] = {}
        if net.private_endpoint_subnet_cidr:
            self.endpoint_subnet = Subnet(
                self,
                "endpoints_subnet",
                name=ctx.names.subnet("endpoints"),
                resource_group_name=ctx.resource_group_name,
                virtual_network_name=self.vnet.name,
                address_prefixes=[net.private_endpoint_subnet_cidr],
                default_outbound_access_enabled=False,
                # Lets the NSG below apply to the private endpoints (off by default).
                private_endpoint_network_policies="Enabled",
            )
            # Its own NSG (default rules: VNet in, Internet in denied), not the Databricks one,
            # whose rules the workspace manages.
            SubnetNetworkSecurityGroupAssociation(
                self,
                "endpoints_subnet_nsg",
                subnet_id=self.endpoint_subnet.id,
                network_security_group_id=self._security_group("endpoints").id,
            )

    def _security_group(self, role: str) -> NetworkSecurityGroup:
        ctx = self._ctx
        return NetworkSecurityGroup(
            self,
            f"{role}_nsg",
            name=ctx.names.network_security_group(role),
            **ctx.placement,
        )

    def _databricks_subnet(self, role: str, cidr: str) -> tuple[Subnet, SubnetNetworkSecurityGroupAssociation]:
        subnet = Subnet(
            self,
            f"{role}_subnet",
            name=self._ctx.names.subnet(role),
            resource_group_name=self._ctx.resource_group_name,
            virtual_network_name=self.vnet.name,
            address_prefixes=[cidr],
            default_outbound_access_enabled=False,
            delegation=[
                SubnetDelegation(
                    name="databricks",
                    service_delegation=SubnetDelegationServiceDelegation(
                        name="Microsoft.Databricks/workspaces", actions=DATABRICKS_DELEGATION_ACTIONS
                    ),
                )
            ],
        )
        association = SubnetNetworkSecurityGroupAssociation(
            self, f"{role}_subnet_nsg", subnet_id=subnet.id, network_security_group_id=self.nsg.id
        )
        return subnet, association

    def private_endpoint(self, id_: str, *, target_id: str, subresource: str, target_name: str) -> PrivateEndpoint:
        """A private endpoint for ``subresource`` of ``target_id``, registered in private DNS."""
        if self.endpoint_subnet is None:
            raise ValueError("network.private_endpoint_subnet_cidr is required for private endpoints")
        ctx = self._ctx
        endpoint = PrivateEndpoint(
            self,
            id_,
            name=ctx.names.private_endpoint(target_name),
            **ctx.placement,
            subnet_id=self.endpoint_subnet.id,
            private_service_connection=PrivateEndpointPrivateServiceConnection(
                name=ctx.names.private_endpoint(target_name),
                private_connection_resource_id=target_id,
                subresource_names=[subresource],
                is_manual_connection=False,
            ),
            private_dns_zone_group=PrivateEndpointPrivateDnsZoneGroup(
                name="default", private_dns_zone_ids=[self._dns_zone(subresource).id]
            ),
        )
        self._reachable.setdefault(subresource, []).append(endpoint)
        return endpoint

    def reachable(self, subresource: str) -> list[TerraformResource]:
        """What must exist before this VNet reaches ``subresource`` privately: its private
        endpoints (with their DNS records) and the zone's VNet link; none without endpoints."""
        return list(self._reachable.get(subresource, []))

    def _dns_zone(self, subresource: str) -> PrivateDnsZone:
        if subresource not in self._dns_zones:
            ctx = self._ctx
            zone = PrivateDnsZone(
                self,
                f"dns_{subresource}",
                name=PRIVATE_DNS_ZONES[subresource],
                resource_group_name=ctx.resource_group_name,
                tags=ctx.tags,
            )
            link = PrivateDnsZoneVirtualNetworkLink(
                self,
                f"dns_{subresource}_link",
                name=ctx.names.dns_zone_link,
                private_dns_zone_name=zone.name,
                resource_group_name=ctx.resource_group_name,
                virtual_network_id=self.vnet.id,
                registration_enabled=False,
                tags=ctx.tags,
            )
            self._dns_zones[subresource] = zone
            self._reachable.setdefault(subresource, []).append(link)
        return self._dns_zones[subresource]

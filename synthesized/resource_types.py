"""Every Terraform resource type a reader of a stack may meet, and what each is to them.

One row per type: its group in the plan review (``Kind``), its category in the demo's
inventory (``Category``), which API creates it (``Plane``, from which infra/permissions.py
derives what deploying it takes) and in which environments the platform's stacks hold it
(``When``). Types the platform's stacks never create (a table, a cluster...) have a kind
only: a plan may still name them.

Adding a resource type to a construct is one row here; its permission follows from its
plane unless infra/permissions.py SPECIFIC says otherwise (tests fail while either is
missing). Importing this module imports neither checkov nor the provider bindings.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(str, Enum):
    """Group of the review's changed-resources table, in display order."""

    UNITY_CATALOG = "Unity Catalog"
    STORAGE = "Storage"
    SECRETS = "Key Vault and secrets"
    IDENTITY = "Identity and access"
    WORKSPACE = "Databricks workspace"
    WORKLOADS = "Pipelines, jobs and warehouses"
    NETWORK = "Network"
    FOUNDATION = "Resource group and monitoring"
    OTHER = "Other"


class Category(str, Enum):
    """Category of the demo's inventory, in display order."""

    RESOURCE_GROUP = "resource group"
    NETWORK = "network"
    STORAGE = "storage"
    IDENTITIES = "identities"
    ACCESS = "access"
    SECRETS = "secrets"
    MONITORING = "monitoring"
    WORKSPACE = "workspace"
    CODE = "code"
    CATALOG = "catalog"
    PIPELINE = "pipeline"
    JOBS = "jobs"
    WAREHOUSE = "SQL warehouse"
    ALERTS = "data-quality alerts"
    PROTECTION = "protection"
    ORDERING = "ordering"
    COST = "cost"


class Plane(str, Enum):
    """Who is asked to create the resource."""

    AZURE = "Azure Resource Manager"
    ENTRA = "Microsoft Graph"
    ACCOUNT = "Databricks account"
    WORKSPACE = "Databricks workspace"
    LOCAL = "nothing remote: computed where Terraform runs"


class When(str, Enum):
    """Which environments' stacks hold the type."""

    ALWAYS = "every environment"
    PRIVATE = "without public network access"
    ALLOWED_RANGES = "with public network access and allowed IP ranges"
    DELETION_LOCKS = "with deletion locks"
    METASTORE = "with a configured metastore to assign"


@dataclass(frozen=True)
class ResourceType:
    """A type the platform's stacks hold has all four; another has a kind, and a category
    where the demo groups it all the same (``databricks_grant`` among the access)."""

    kind: Kind
    category: Category | None = None
    plane: Plane | None = None
    when: When | None = None

    def __post_init__(self) -> None:
        if (self.plane is None) != (self.when is None) or (self.when is not None and self.category is None):
            raise ValueError(f"{self}: a type the stacks hold has a category, a plane and a when; another has no plane")

    @property
    def held(self) -> bool:
        """Whether the platform's stacks create it (in some environment)."""
        return self.when is not None


_UC, _STORAGE, _SECRETS, _IDENTITY = Kind.UNITY_CATALOG, Kind.STORAGE, Kind.SECRETS, Kind.IDENTITY
_WORKSPACE, _WORKLOADS, _NETWORK, _FOUNDATION = Kind.WORKSPACE, Kind.WORKLOADS, Kind.NETWORK, Kind.FOUNDATION
_C, _P, _W = Category, Plane, When

RESOURCE_TYPES: dict[str, ResourceType] = {
    # Unity Catalog
    "databricks_metastore_assignment": ResourceType(_UC, _C.CATALOG, _P.ACCOUNT, _W.METASTORE),
    "databricks_storage_credential": ResourceType(_UC, _C.CATALOG, _P.WORKSPACE, _W.ALWAYS),
    "databricks_external_location": ResourceType(_UC, _C.CATALOG, _P.WORKSPACE, _W.ALWAYS),
    "databricks_catalog": ResourceType(_UC, _C.CATALOG, _P.WORKSPACE, _W.ALWAYS),
    "databricks_schema": ResourceType(_UC, _C.CATALOG, _P.WORKSPACE, _W.ALWAYS),
    "databricks_volume": ResourceType(_UC, _C.CATALOG, _P.WORKSPACE, _W.ALWAYS),
    "databricks_grants": ResourceType(_UC, _C.ACCESS, _P.WORKSPACE, _W.ALWAYS),
    "databricks_grant": ResourceType(_UC, _C.ACCESS),
    "databricks_table": ResourceType(_UC),
    "databricks_sql_table": ResourceType(_UC),
    "databricks_catalog_workspace_binding": ResourceType(_UC),
    # Storage
    "azurerm_storage_account": ResourceType(_STORAGE, _C.STORAGE, _P.AZURE, _W.ALWAYS),
    "azurerm_storage_container": ResourceType(_STORAGE, _C.STORAGE, _P.AZURE, _W.ALWAYS),
    "azurerm_storage_management_policy": ResourceType(_STORAGE, _C.STORAGE, _P.AZURE, _W.ALWAYS),
    "azurerm_storage_data_lake_gen2_filesystem": ResourceType(_STORAGE),
    "azurerm_storage_account_network_rules": ResourceType(_STORAGE),
    # Key Vault and secrets
    "azurerm_key_vault": ResourceType(_SECRETS, _C.SECRETS, _P.AZURE, _W.ALWAYS),
    "azurerm_key_vault_secret": ResourceType(_SECRETS, _C.SECRETS, _P.AZURE, _W.ALWAYS),
    "time_offset": ResourceType(_SECRETS, _C.SECRETS, _P.LOCAL, _W.ALWAYS),  # the key's expiry
    "databricks_secret_scope": ResourceType(_SECRETS, _C.SECRETS, _P.WORKSPACE, _W.ALWAYS),
    "databricks_secret_acl": ResourceType(_SECRETS, _C.ACCESS, _P.WORKSPACE, _W.ALWAYS),
    "azurerm_key_vault_access_policy": ResourceType(_SECRETS),
    "databricks_secret": ResourceType(_SECRETS),
    # Identity and access
    "azurerm_user_assigned_identity": ResourceType(_IDENTITY, _C.IDENTITIES, _P.AZURE, _W.ALWAYS),
    "azurerm_databricks_access_connector": ResourceType(_IDENTITY, _C.IDENTITIES, _P.AZURE, _W.ALWAYS),
    "azurerm_role_assignment": ResourceType(_IDENTITY, _C.ACCESS, _P.AZURE, _W.ALWAYS),
    "azuread_group": ResourceType(_IDENTITY, _C.IDENTITIES, _P.ENTRA, _W.ALWAYS),
    "databricks_group": ResourceType(_IDENTITY, _C.IDENTITIES, _P.ACCOUNT, _W.ALWAYS),
    "databricks_group_member": ResourceType(_IDENTITY, _C.IDENTITIES, _P.ACCOUNT, _W.ALWAYS),
    "databricks_service_principal": ResourceType(_IDENTITY, _C.IDENTITIES, _P.ACCOUNT, _W.ALWAYS),
    "databricks_mws_permission_assignment": ResourceType(_IDENTITY, _C.ACCESS, _P.ACCOUNT, _W.ALWAYS),
    "databricks_permissions": ResourceType(_IDENTITY, _C.ACCESS, _P.WORKSPACE, _W.ALWAYS),
    "time_sleep": ResourceType(_IDENTITY, _C.ORDERING, _P.LOCAL, _W.ALWAYS),  # waits for role propagation
    "azuread_group_member": ResourceType(_IDENTITY),
    "azuread_application": ResourceType(_IDENTITY),
    "azuread_service_principal": ResourceType(_IDENTITY),
    "databricks_user": ResourceType(_IDENTITY),
    "databricks_permission_assignment": ResourceType(_IDENTITY),
    # Databricks workspace
    "azurerm_databricks_workspace": ResourceType(_WORKSPACE, _C.WORKSPACE, _P.AZURE, _W.ALWAYS),
    "databricks_workspace_conf": ResourceType(_WORKSPACE, _C.WORKSPACE, _P.WORKSPACE, _W.ALLOWED_RANGES),
    "databricks_ip_access_list": ResourceType(_WORKSPACE, _C.WORKSPACE, _P.WORKSPACE, _W.ALLOWED_RANGES),
    "databricks_directory": ResourceType(_WORKSPACE, _C.CODE, _P.WORKSPACE, _W.ALWAYS),
    "databricks_workspace_file": ResourceType(_WORKSPACE, _C.CODE, _P.WORKSPACE, _W.ALWAYS),
    "databricks_notebook": ResourceType(_WORKSPACE),
    # Pipelines, jobs and warehouses
    "databricks_pipeline": ResourceType(_WORKLOADS, _C.PIPELINE, _P.WORKSPACE, _W.ALWAYS),
    "databricks_job": ResourceType(_WORKLOADS, _C.JOBS, _P.WORKSPACE, _W.ALWAYS),
    "databricks_sql_endpoint": ResourceType(_WORKLOADS, _C.WAREHOUSE, _P.WORKSPACE, _W.ALWAYS),
    "databricks_query": ResourceType(_WORKLOADS, _C.ALERTS, _P.WORKSPACE, _W.ALWAYS),
    "databricks_alert": ResourceType(_WORKLOADS, _C.ALERTS, _P.WORKSPACE, _W.ALWAYS),
    "databricks_notification_destination": ResourceType(_WORKLOADS, _C.ALERTS, _P.WORKSPACE, _W.ALWAYS),
    "databricks_cluster": ResourceType(_WORKLOADS),
    "databricks_cluster_policy": ResourceType(_WORKLOADS),
    # Network
    "azurerm_virtual_network": ResourceType(_NETWORK, _C.NETWORK, _P.AZURE, _W.ALWAYS),
    "azurerm_subnet": ResourceType(_NETWORK, _C.NETWORK, _P.AZURE, _W.ALWAYS),
    "azurerm_network_security_group": ResourceType(_NETWORK, _C.NETWORK, _P.AZURE, _W.ALWAYS),
    "azurerm_subnet_network_security_group_association": ResourceType(_NETWORK, _C.NETWORK, _P.AZURE, _W.ALWAYS),
    "azurerm_private_endpoint": ResourceType(_NETWORK, _C.NETWORK, _P.AZURE, _W.PRIVATE),
    "azurerm_private_dns_zone": ResourceType(_NETWORK, _C.NETWORK, _P.AZURE, _W.PRIVATE),
    "azurerm_private_dns_zone_virtual_network_link": ResourceType(_NETWORK, _C.NETWORK, _P.AZURE, _W.PRIVATE),
    "databricks_mws_network_connectivity_config": ResourceType(_NETWORK, _C.NETWORK, _P.ACCOUNT, _W.PRIVATE),
    "databricks_mws_ncc_binding": ResourceType(_NETWORK, _C.NETWORK, _P.ACCOUNT, _W.PRIVATE),
    "databricks_mws_ncc_private_endpoint_rule": ResourceType(_NETWORK, _C.NETWORK, _P.ACCOUNT, _W.PRIVATE),
    "azurerm_public_ip": ResourceType(_NETWORK),
    "azurerm_nat_gateway": ResourceType(_NETWORK),
    # Resource group and monitoring
    "azurerm_resource_group": ResourceType(_FOUNDATION, _C.RESOURCE_GROUP, _P.AZURE, _W.ALWAYS),
    "azurerm_log_analytics_workspace": ResourceType(_FOUNDATION, _C.MONITORING, _P.AZURE, _W.ALWAYS),
    "azurerm_monitor_diagnostic_setting": ResourceType(_FOUNDATION, _C.MONITORING, _P.AZURE, _W.ALWAYS),
    "azurerm_consumption_budget_resource_group": ResourceType(_FOUNDATION, _C.COST, _P.AZURE, _W.ALWAYS),
    "azurerm_management_lock": ResourceType(_FOUNDATION, _C.PROTECTION, _P.AZURE, _W.DELETION_LOCKS),
}


def held(*, when: When | None = None, plane: Plane | None = None) -> dict[str, ResourceType]:
    """The types the platform's stacks create, optionally only those held ``when`` or created by ``plane``."""
    return {
        name: row
        for name, row in RESOURCE_TYPES.items()
        if row.held and when in (None, row.when) and plane in (None, row.plane)
    }

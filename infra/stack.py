"""One environment's stack: everything a working clickstream platform needs."""

from __future__ import annotations

import json

from cdktf import ITerraformDependable, TerraformOutput, TerraformStack
from cdktf_cdktf_provider_azuread.data_azuread_client_config import DataAzureadClientConfig
from cdktf_cdktf_provider_azuread.data_azuread_service_principal import DataAzureadServicePrincipal
from cdktf_cdktf_provider_azurerm.data_azurerm_client_config import DataAzurermClientConfig
from cdktf_cdktf_provider_azurerm.resource_group import ResourceGroup
from constructs import Construct

from infra.config import Environment
from infra.constructs.alerts import DataQualityAlerts
from infra.constructs.base import Context
from infra.constructs.catalog import UnityCatalog, assign_metastore
from infra.constructs.code import CodeUpload
from infra.constructs.identity import Identities
from infra.constructs.jobs import ProducerJob
from infra.constructs.lifecycle import CostBudget, LandingLifecycle
from infra.constructs.masks import MaskFunctions
from infra.constructs.network import Network
from infra.constructs.observability import Observability
from infra.constructs.pipeline import ClickstreamPipeline
from infra.constructs.principals import Principals
from infra.constructs.propagation import depend_on, workspace_resources
from infra.constructs.protection import DeletionLocks, prevent_destroy
from infra.constructs.secrets import PSEUDONYMISATION_KEY, PseudonymisationSecret
from infra.constructs.serverless_network import ServerlessPrivateAccess
from infra.constructs.storage import LANDING, Lake
from infra.constructs.warehouse import Warehouse
from infra.constructs.workspace import Workspace
from infra.constructs.workspace_access import WorkspaceIpAccess
from infra.naming import Names
from infra.providers import azure_providers, configure_backend, databricks_providers
from infra.tags import standard_tags

# The first-party "AzureDatabricks" application: reads Key Vault-backed secret scopes.
AZURE_DATABRICKS_APP_ID = "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d"
PRODUCER_ENTRY_POINT = "producer/databricks_job.py"


class ClickstreamStack(TerraformStack):
    """One environment, built in named steps: each step adds one concern and keeps what
    the later steps wire to (construct ids are the stack's resource addresses)."""

    def __init__(self, scope: Construct, env: Environment) -> None:
        super().__init__(scope, env.name)
        self.env = env
        configure_backend(self, env)
        azure_providers(self, env)
        self.names = Names(env=env.name, location=env.location)
        self._deployer_lookups()
        self.ctx = self._resource_group()
        self._storage_and_identity()
        self._secrets()
        self._workspace()
        # Databricks: account-level objects first, then the workspace's.
        self._principals()
        self._serverless_access()
        self._catalog()
        self._workloads()
        self._front_end_after_private_endpoint()
        self._protection()
        self._outputs()

    def _deployer_lookups(self) -> None:
        """Who deploys (Azure and Entra), and the first-party app that reads Key Vault-backed scopes."""
        self.client = DataAzurermClientConfig(self, "client")
        self.entra_client = DataAzureadClientConfig(self, "entra_client")
        self.databricks_app = DataAzureadServicePrincipal(self, "azure_databricks", client_id=AZURE_DATABRICKS_APP_ID)

    def _resource_group(self) -> Context:
        env, names = self.env, self.names
        self.rg = ResourceGroup(
            self, "resource_group", name=names.resource_group, location=env.location, tags=standard_tags(env)
        )
        return Context(
            env=env, names=names, tags=standard_tags(env), resource_group_name=self.rg.name, location=env.location
        )

    def _storage_and_identity(self) -> None:
        """Logs, the virtual network, the workload identities and the lake they may use."""
        ctx = self.ctx
        self.observability = Observability(self, "observability", ctx=ctx)
        self.network = Network(self, "network", ctx=ctx)
        self.identities = Identities(self, "identity", ctx=ctx)
        self.lake = Lake(
            self,
            "storage",
            ctx=ctx,
            access_connector_id=self.identities.access_connector.id,
            network=self.network,
            observability=self.observability,
        )
        LandingLifecycle(self, "lifecycle", ctx=ctx, storage_account_id=self.lake.account.id, container=LANDING)
        CostBudget(self, "budget", ctx=ctx, resource_group_id=self.rg.id)
        connector_roles_ready = self.identities.grant_lake_access(
            storage_account_id=self.lake.account.id,
            landing_container_id=self.lake.landing.id,
            resource_group_id=self.rg.id,
        )
        # Unity Catalog checks the lake with the connector's roles, and (private) through its endpoints.
        self.lake_access_ready: list[ITerraformDependable] = [connector_roles_ready]

    def _secrets(self) -> None:
        self.secret = PseudonymisationSecret(
            self,
            "secrets",
            ctx=self.ctx,
            tenant_id=self.client.tenant_id,
            deployer_object_id=self.client.object_id,
            databricks_object_id=self.databricks_app.object_id,
            network=self.network,
            observability=self.observability,
        )

    def _workspace(self) -> None:
        self.workspace = Workspace(
            self, "workspace", ctx=self.ctx, network=self.network, observability=self.observability
        )
        if self.env.protection.deletion_locks:
            DeletionLocks(
                self,
                "locks",
                targets={
                    "lake": self.lake.account.id,
                    "vault": self.secret.vault.id,
                    "workspace": self.workspace.this.id,
                },
            )

    def _principals(self) -> None:
        """Groups and service principals in the account, assigned to the workspace once its metastore is."""
        _, self.account = databricks_providers(
            self, self.env, workspace_url=self.workspace.url, workspace_resource_id=self.workspace.this.id
        )
        self.principals = Principals(
            self,
            "principals",
            ctx=self.ctx,
            owner_object_id=self.entra_client.object_id,
            producer_client_id=self.identities.producer.client_id,
            account=self.account,
        )
        self.metastore = assign_metastore(
            self, "metastore", ctx=self.ctx, workspace_id=self.workspace.this.workspace_id
        )
        self.assignments = self.principals.assign_to_workspace(self.workspace.this.workspace_id, after=self.metastore)

    def _serverless_access(self) -> None:
        """Public: the workspace answers the allowed ranges only. Private: serverless compute
        reaches the lake through the NCC's endpoints."""
        network = self.env.network
        if network.public_network_access and network.allowed_ip_ranges:
            WorkspaceIpAccess(
                self, "workspace_access", label=self.names.ip_access_list, ranges=network.allowed_ip_ranges
            )
        if not network.public_network_access:
            serverless = ServerlessPrivateAccess(
                self,
                "serverless_network",
                ctx=self.ctx,
                account=self.account,
                workspace_id=self.workspace.this.workspace_id,
                storage_account_id=self.lake.account.id,
            )
            self.lake_access_ready += serverless.lake_rules

    def _catalog(self) -> None:
        self.catalog = UnityCatalog(
            self,
            "catalog",
            ctx=self.ctx,
            lake=self.lake,
            access_connector_id=self.identities.access_connector.id,
            group_names=self.principals.names,
            ready=[*self.metastore, *self.assignments, *self.principals.groups.values()],
            lake_access_ready=self.lake_access_ready,
        )

    def _workloads(self) -> None:
        """The uploaded code and what runs it: pipeline, producer job, warehouse, masks and alerts."""
        ctx, groups, catalog = self.ctx, self.principals.names, self.catalog
        self.secret_scope = self.secret.secret_scope(
            name=self.names.secret_scope, group_names=groups, depends_on=self.assignments
        )
        code = CodeUpload(
            self,
            "code",
            code_folder=self.names.code_folder,
            code_root=self.names.code_root,
            group_names=groups,
            depends_on=self.assignments,
        )
        self.pipeline = ClickstreamPipeline(
            self,
            "pipeline",
            ctx=ctx,
            catalog=catalog.catalog.name,
            code_root=code.code_root,
            landing_path=catalog.landing_volume_path,
            secret_scope=self.secret_scope.name,
            secret_key=PSEUDONYMISATION_KEY,
            run_as_application_id=self.principals.pipeline_application_id,
            group_names=groups,
            depends_on=[*catalog.schemas.values(), *code.files, *self.assignments, *self.principals.memberships],
        )
        self.producer_job = ProducerJob(
            self,
            "jobs",
            ctx=ctx,
            entry_point=code.path(PRODUCER_ENTRY_POINT),
            landing_volume_path=catalog.landing_volume_path,
            pipeline_id=self.pipeline.id,
            run_as_application_id=self.principals.producer_application_id,
            group_names=groups,
        )
        self.warehouse = Warehouse(self, "warehouse", ctx=ctx, group_names=groups, groups_assigned=self.assignments)
        self.mask_functions = MaskFunctions(
            self,
            "masks",
            ctx=ctx,
            catalog=self.names.catalog,
            warehouse_id=self.warehouse.this.id,
            group_names=groups,
            depends_on=[catalog.schemas["gold"]],
        )
        self.dq_alerts = DataQualityAlerts(
            self, "alerts", ctx=ctx, warehouse_id=self.warehouse.this.id, catalog=catalog.catalog.name
        )

    def _front_end_after_private_endpoint(self) -> None:
        """Without public access the workspace's front end resolves to its private endpoint:
        nothing may call it before that endpoint and its DNS record exist."""
        depend_on(workspace_resources(self), self.network.reachable("databricks_ui_api"))

    def _protection(self) -> None:
        if self.env.protection.prevent_destroy:
            prevent_destroy(self.lake.account, self.secret.vault, self.workspace.this, self.catalog.catalog)

    def _outputs(self) -> None:
        workspace, catalog = self.workspace, self.catalog
        outputs = {
            "workspace_url": workspace.url,
            "workspace_id": workspace.this.workspace_id,
            "workspace_resource_id": workspace.this.id,
            "catalog": catalog.catalog.name,
            "landing_path": self.lake.abfss_url(LANDING),
            "landing_volume_path": catalog.landing_volume_path,
            "storage_account": self.lake.account.name,
            "key_vault_name": self.secret.vault.name,
            "secret_scope": self.secret_scope.name,
            "pipeline_id": self.pipeline.id,
            "pipeline_url": self.pipeline.this.url,
            "producer_job_id": self.producer_job.this.id,
            "warehouse_id": self.warehouse.this.id,
            "alerts_job_id": self.dq_alerts.job.id,
            "masks_job_id": self.mask_functions.job.id,
            "producer_client_id": self.identities.producer.client_id,
            "groups": json.dumps(self.principals.names, sort_keys=True),
        }
        for name, value in outputs.items():
            TerraformOutput(self, f"{name}_output", value=value).override_logical_id(name)

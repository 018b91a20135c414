"""One environment's stack: everything a working clickstream platform needs."""

from __future__ import annotations

import json

from cdktf import TerraformOutput, TerraformStack
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
    def __init__(self, scope: Construct, env: Environment) -> None:
        super().__init__(scope, env.name)
        self.env = env
        configure_backend(self, env)
        azure_providers(self, env)
        names = Names(env=env.name, location=env.location)
        client = DataAzurermClientConfig(self, "client")
        entra_client = DataAzureadClientConfig(self, "entra_client")
        databricks_app = DataAzureadServicePrincipal(self, "azure_databricks", client_id=AZURE_DATABRICKS_APP_ID)

        rg = ResourceGroup(
            self, "resource_group", name=names.resource_group, location=env.location, tags=standard_tags(env)
        )
        ctx = Context(env=env, names=names, tags=standard_tags(env), resource_group_name=rg.name, location=env.location)

        observability = Observability(self, "observability", ctx=ctx)
        network = Network(self, "network", ctx=ctx)
        identities = Identities(self, "identity", ctx=ctx)
        lake = Lake(
            self,
            "storage",
            ctx=ctx,
            access_connector_id=identities.access_connector.id,
            network=network,
            observability=observability,
        )
        LandingLifecycle(self, "lifecycle", ctx=ctx, storage_account_id=lake.account.id, container=LANDING)
        CostBudget(self, "budget", ctx=ctx, resource_group_id=rg.id)
        connector_roles_ready = identities.grant_lake_access(
            storage_account_id=lake.account.id, landing_container_id=lake.landing.id, resource_group_id=rg.id
        )
        secret = PseudonymisationSecret(
            self,
            "secrets",
            ctx=ctx,
            tenant_id=client.tenant_id,
            deployer_object_id=client.object_id,
            databricks_object_id=databricks_app.object_id,
            network=network,
            observability=observability,
        )
        workspace = Workspace(self, "workspace", ctx=ctx, network=network, observability=observability)
        if env.protection.deletion_locks:
            DeletionLocks(
                self,
                "locks",
                targets={"lake": lake.account.id, "vault": secret.vault.id, "workspace": workspace.this.id},
            )

        # Databricks: account-level objects first, then the workspace's.
        _, account = databricks_providers(
            self, env, workspace_url=workspace.url, workspace_resource_id=workspace.this.id
        )
        principals = Principals(
            self,
            "principals",
            ctx=ctx,
            owner_object_id=entra_client.object_id,
            producer_client_id=identities.producer.client_id,
            account=account,
        )
        metastore = assign_metastore(self, "metastore", ctx=ctx, workspace_id=workspace.this.workspace_id)
        assignments = principals.assign_to_workspace(workspace.this.workspace_id, after=metastore)
        lake_access_ready: list = [connector_roles_ready]
        if env.network.public_network_access and env.network.allowed_ip_ranges:
            WorkspaceIpAccess(
                self, "workspace_access", label=names.ip_access_list, ranges=env.network.allowed_ip_ranges
            )
        if not env.network.public_network_access:
            serverless = ServerlessPrivateAccess(
                self,
                "serverless_network",
                ctx=ctx,
                account=account,
                workspace_id=workspace.this.workspace_id,
                storage_account_id=lake.account.id,
            )
            lake_access_ready += serverless.lake_rules
        catalog = UnityCatalog(
            self,
            "catalog",
            ctx=ctx,
            lake=lake,
            access_connector_id=identities.access_connector.id,
            group_names=principals.names,
            ready=[*metastore, *assignments, *principals.groups.values()],
            lake_access_ready=lake_access_ready,
        )
        secret_scope = secret.secret_scope(
            name=names.secret_scope, group_names=principals.names, depends_on=assignments
        )
        code = CodeUpload(
            self,
            "code",
            code_folder=names.code_folder,
            code_root=names.code_root,
            group_names=principals.names,
            depends_on=assignments,
        )
        pipeline = ClickstreamPipeline(
            self,
            "pipeline",
            ctx=ctx,
            catalog=catalog.catalog.name,
            code_root=code.code_root,
            landing_path=catalog.landing_volume_path,
            secret_scope=secret_scope.name,
            secret_key=PSEUDONYMISATION_KEY,
            run_as_application_id=principals.pipeline_application_id,
            group_names=principals.names,
            depends_on=[*catalog.schemas.values(), *code.files, *assignments, *principals.memberships],
        )
        job = ProducerJob(
            self,
            "jobs",
            ctx=ctx,
            entry_point=code.path(PRODUCER_ENTRY_POINT),
            landing_volume_path=catalog.landing_volume_path,
            pipeline_id=pipeline.id,
            run_as_application_id=principals.producer_application_id,
            group_names=principals.names,
        )
        warehouse = Warehouse(self, "warehouse", ctx=ctx, group_names=principals.names, groups_assigned=assignments)
        mask_functions = MaskFunctions(
            self,
            "masks",
            ctx=ctx,
            catalog=names.catalog,
            warehouse_id=warehouse.this.id,
            group_names=principals.names,
            depends_on=[catalog.schemas["gold"]],
        )
        dq_alerts = DataQualityAlerts(
            self, "alerts", ctx=ctx, warehouse_id=warehouse.this.id, catalog=catalog.catalog.name
        )
        # Without public access the workspace's front end resolves to its private endpoint:
        # nothing may call it before that endpoint and its DNS record exist.
        depend_on(workspace_resources(self), network.reachable("databricks_ui_api"))

        if env.protection.prevent_destroy:
            prevent_destroy(lake.account, secret.vault, workspace.this, catalog.catalog)

        outputs = {
            "workspace_url": workspace.url,
            "workspace_id": workspace.this.workspace_id,
            "workspace_resource_id": workspace.this.id,
            "catalog": catalog.catalog.name,
            "landing_path": lake.abfss_url(LANDING),
            "landing_volume_path": catalog.landing_volume_path,
            "storage_account": lake.account.name,
            "key_vault_name": secret.vault.name,
            "secret_scope": secret_scope.name,
            "pipeline_id": pipeline.id,
            "pipeline_url": pipeline.this.url,
            "producer_job_id": job.this.id,
            "warehouse_id": warehouse.this.id,
            "alerts_job_id": dq_alerts.job.id,
            "masks_job_id": mask_functions.job.id,
            "producer_client_id": identities.producer.client_id,
            "groups": json.dumps(principals.names, sort_keys=True),
        }
        for name, value in outputs.items():
            TerraformOutput(self, f"{name}_output", value=value).override_logical_id(name)

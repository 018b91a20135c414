"""Serverless SQL warehouse for BI tools on the gold layer."""

from __future__ import annotations

from cdktf import ITerraformDependable
from cdktf_cdktf_provider_databricks.permissions import Permissions
from cdktf_cdktf_provider_databricks.sql_endpoint import SqlEndpoint, SqlEndpointTags, SqlEndpointTagsCustomTags
from constructs import Construct

from contract import rbac
from infra.constructs.base import Context
from infra.constructs.permissions import access_control


class Warehouse(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        ctx: Context,
        group_names: dict[str, str],
        groups_assigned: list[ITerraformDependable],
    ) -> None:
        super().__init__(scope, id_)
        settings = ctx.env.warehouse
        self.this = SqlEndpoint(
            self,
            "this",
            name=ctx.names.warehouse,
            cluster_size=settings.cluster_size,
            auto_stop_mins=settings.auto_stop_minutes,
            min_num_clusters=1,
            max_num_clusters=settings.max_clusters,
            enable_serverless_compute=True,
            warehouse_type="PRO",
            tags=SqlEndpointTags(
                custom_tags=[SqlEndpointTagsCustomTags(key=k, value=v) for k, v in sorted(ctx.tags.items())]
            ),
        )
        Permissions(
            self,
            "permissions",
            sql_endpoint_id=self.this.id,
            access_control=access_control(rbac.WORKSPACE_PERMISSIONS["warehouse"], group_names),
            # Account groups can be named in a workspace ACL once they are assigned to it.
            depends_on=groups_assigned,
        )

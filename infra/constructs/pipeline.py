"""The clickstream Lakeflow declarative pipeline (bronze, silver, gold)."""

from __future__ import annotations

from cdktf import ITerraformDependable
from cdktf_cdktf_provider_databricks.permissions import Permissions, PermissionsAccessControl
from cdktf_cdktf_provider_databricks.pipeline import (
    Pipeline,
    PipelineLibrary,
    PipelineLibraryGlob,
    PipelineNotification,
    PipelineRunAs,
)
from constructs import Construct

from contract import rbac
from infra.constructs.base import Context
from infra.constructs.permissions import access_control
from pipelines.clickstream import settings as conf_keys  # the configuration keys the pipeline reads


class ClickstreamPipeline(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        ctx: Context,
        catalog: str,
        code_root: str,
        landing_path: str,
        secret_scope: str,
        secret_key: str,
        run_as_application_id: str,
        group_names: dict[str, str],
        depends_on: list[ITerraformDependable],
    ) -> None:
        super().__init__(scope, id_)
        settings = ctx.env.pipeline
        self.this = Pipeline(
            self,
            "this",
            name=ctx.names.pipeline,
            catalog=catalog,
            schema="bronze",
            serverless=True,
            photon=True,
            channel=settings.channel,
            development=settings.development,
            continuous=settings.continuous,
            # Its own service principal, holding the matrix's `pipelines` grants only.
            run_as=PipelineRunAs(service_principal_name=run_as_application_id),
            root_path=code_root,
            library=[PipelineLibrary(glob=PipelineLibraryGlob(include=f"{code_root}/pipelines/transformations/**"))],
            configuration={
                conf_keys.ENV: ctx.env.name,
                conf_keys.CATALOG: catalog,
                conf_keys.LANDING_PATH: landing_path,
                conf_keys.SECRET_SCOPE: secret_scope,
                conf_keys.SECRET_KEY: secret_key,
            },
            notification=[
                PipelineNotification(
                    email_recipients=list(ctx.env.alert_emails),
                    alerts=["on-update-failure", "on-update-fatal-failure", "on-flow-failure"],
                )
            ],
            tags=ctx.tags,
            depends_on=depends_on,
        )
        Permissions(
            self,
            "permissions",
            pipeline_id=self.this.id,
            access_control=[
                *access_control(rbac.WORKSPACE_PERMISSIONS["pipeline"], group_names),
                # Owner = run-as identity: left out, the provider would make the deployer owner again.
                PermissionsAccessControl(service_principal_name=run_as_application_id, permission_level="IS_OWNER"),
            ],
        )

    @property
    def id(self) -> str:
        return self.this.id

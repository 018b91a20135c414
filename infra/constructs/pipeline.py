"""The clickstream Lakeflow declarative pipeline (bronze, silver, gold)."""

from __future__ import annotations

from cdktf import ITerraformDependable
from cdktf_cdktf_provider_databricks.permissions import Permissions
from cdktf_cdktf_provider_databricks.pipeline import (
    Pipeline,
    PipelineLibrary,
    PipelineLibraryGlob,
    PipelineNotification,
)
from constructs import Construct

from contract import rbac
from infra.constructs.base import Context
from infra.constructs.permissions import access_control

# Pipeline configuration keys read by pipelines/clickstream/platform.py.
CONF_ENV = "clickstream.env"
CONF_LANDING_PATH = "clickstream.landing_path"
CONF_SECRET_SCOPE = "clickstream.secret_scope"
CONF_SECRET_KEY = "clickstream.secret_key"


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
            root_path=code_root,
            library=[PipelineLibrary(glob=PipelineLibraryGlob(include=f"{code_root}/pipelines/transformations/**"))],
            configuration={
                CONF_ENV: ctx.env.name,
                CONF_LANDING_PATH: landing_path,
                CONF_SECRET_SCOPE: secret_scope,
                CONF_SECRET_KEY: secret_key,
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
            access_control=access_control(rbac.WORKSPACE_PERMISSIONS["pipeline"], group_names),
        )

    @property
    def id(self) -> str:
        return self.this.id

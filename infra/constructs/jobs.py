"""The producer job: writes a batch of events to the landing volume, then refreshes
the pipeline so new data flows through bronze, silver and gold."""

from __future__ import annotations

from cdktf_cdktf_provider_databricks.job import (
    Job,
    JobEmailNotifications,
    JobEnvironment,
    JobEnvironmentSpec,
    JobRunAs,
    JobSchedule,
    JobTask,
    JobTaskDependsOn,
    JobTaskPipelineTask,
    JobTaskSparkPythonTask,
)
from cdktf_cdktf_provider_databricks.permissions import Permissions
from constructs import Construct

from contract import rbac
from infra.constructs.base import Context
from infra.constructs.permissions import access_control
from infra.dependencies import pinned

PRODUCER_ENVIRONMENT = "producer"
SERVERLESS_ENVIRONMENT_VERSION = "3"
# What the producer needs on serverless compute besides its own uploaded sources.
PRODUCER_PACKAGES = ("orjson", "rich")


class ProducerJob(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        ctx: Context,
        entry_point: str,
        landing_volume_path: str,
        pipeline_id: str,
        run_as_application_id: str,
        group_names: dict[str, str],
    ) -> None:
        super().__init__(scope, id_)
        settings = ctx.env.producer
        self.this = Job(
            self,
            "this",
            name=ctx.names.producer_job,
            description="Produces clickstream events into the landing volume, then refreshes the pipeline.",
            max_concurrent_runs=1,
            timeout_seconds=settings.timeout_minutes * 60,
            run_as=JobRunAs(service_principal_name=run_as_application_id),
            schedule=JobSchedule(
                quartz_cron_expression=settings.schedule,
                timezone_id="UTC",
                pause_status="PAUSED" if settings.schedule_paused else "UNPAUSED",
            ),
            email_notifications=JobEmailNotifications(on_failure=list(ctx.env.alert_emails)),
            environment=[
                JobEnvironment(
                    environment_key=PRODUCER_ENVIRONMENT,
                    spec=JobEnvironmentSpec(
                        environment_version=SERVERLESS_ENVIRONMENT_VERSION,
                        dependencies=pinned(*PRODUCER_PACKAGES),
                    ),
                )
            ],
            # Tasks in task_key order: the provider sorts them, a different order is a perpetual diff.
            task=[
                JobTask(
                    task_key="produce",
                    environment_key=PRODUCER_ENVIRONMENT,
                    max_retries=settings.max_retries,
                    min_retry_interval_millis=60_000,
                    timeout_seconds=settings.timeout_minutes * 60,
                    spark_python_task=JobTaskSparkPythonTask(
                        python_file=entry_point,
                        source="WORKSPACE",
                        parameters=[
                            "--sink",
                            "volume",
                            "--volume-path",
                            landing_volume_path,
                            "--events",
                            str(settings.events_per_run),
                            "--quiet",
                        ],
                    ),
                ),
                JobTask(
                    task_key="refresh_pipeline",
                    depends_on=[JobTaskDependsOn(task_key="produce")],
                    max_retries=settings.max_retries,
                    timeout_seconds=settings.timeout_minutes * 60,
                    pipeline_task=JobTaskPipelineTask(pipeline_id=pipeline_id, full_refresh=False),
                ),
            ],
            tags=ctx.tags,
        )
        Permissions(
            self,
            "permissions",
            job_id=self.this.id,
            access_control=access_control(rbac.WORKSPACE_PERMISSIONS["producer_job"], group_names),
        )

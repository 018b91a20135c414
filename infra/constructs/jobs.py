"""The platform's jobs: the shape every one of them has (``platform_job``), and the
producer job, which writes a batch of events to the landing volume, then refreshes the
pipeline so new data flows through bronze, silver and gold."""

from __future__ import annotations

from typing import Any

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
    JobTaskSqlTask,
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


def platform_job(
    scope: Construct,
    id_: str,
    *,
    ctx: Context,
    name: str,
    description: str,
    timeout_seconds: int,
    notify_on_failure: list[str],
    tasks: list[JobTask],
    **settings: Any,
) -> Job:
    """A job as the platform runs each: one run at a time, bounded, ``notify_on_failure``
    told when a run fails, tagged; ``settings`` are the rest of the job's (schedule, run_as...)."""
    return Job(
        scope,
        id_,
        name=name,
        description=description,
        max_concurrent_runs=1,
        timeout_seconds=timeout_seconds,
        email_notifications=JobEmailNotifications(on_failure=notify_on_failure),
        # Tasks in task_key order: the provider sorts them, a different order is a perpetual diff.
        task=sorted(tasks, key=lambda task: task.task_key),
        tags=ctx.tags,
        **settings,
    )


def cron_schedule(cron: str, *, paused: bool) -> JobSchedule:
    """A job's schedule: ``cron`` (Quartz) in UTC, paused where the environment says so."""
    return JobSchedule(quartz_cron_expression=cron, timezone_id="UTC", pause_status="PAUSED" if paused else "UNPAUSED")


def sql_task(key: str, warehouse_id: str, **task: Any) -> JobTask:
    """A task running ``task`` (an alert, a query) on the SQL warehouse ``warehouse_id``."""
    return JobTask(task_key=key, sql_task=JobTaskSqlTask(warehouse_id=warehouse_id, **task))


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
        self.this = platform_job(
            self,
            "this",
            ctx=ctx,
            name=ctx.names.producer_job,
            description="Produces clickstream events into the landing volume, then refreshes the pipeline.",
            timeout_seconds=settings.timeout_minutes * 60,
            notify_on_failure=list(ctx.env.alert_emails),
            run_as=JobRunAs(service_principal_name=run_as_application_id),
            schedule=cron_schedule(settings.schedule, paused=settings.schedule_paused),
            environment=[
                JobEnvironment(
                    environment_key=PRODUCER_ENVIRONMENT,
                    spec=JobEnvironmentSpec(
                        environment_version=SERVERLESS_ENVIRONMENT_VERSION,
                        dependencies=pinned(*PRODUCER_PACKAGES),
                    ),
                )
            ],
            tasks=[
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
        )
        Permissions(
            self,
            "permissions",
            job_id=self.this.id,
            access_control=access_control(rbac.WORKSPACE_PERMISSIONS["producer_job"], group_names),
        )

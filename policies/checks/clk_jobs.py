"""Databricks jobs: a service principal identity (pipelines too), bounded runs, someone told on failure."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from checkov.common.models.enums import CheckCategories

from infra.naming import EnvironmentNames
from policies.checkbase import StackCheck, expect, first_block
from policies.envconfig import configured
from synthesized.stack import Stack

JOB = ("databricks_job",)


class JobRunsAsServicePrincipal(StackCheck):
    id = "CKV_CLK_60"
    name = "Jobs and pipelines run as a service principal, not as a user or the deployer"
    severity_name = "HIGH"
    remediation = (
        "Set run_as { service_principal_name = <its service principal's application_id> } (the producer's for "
        "the job, the pipeline's own for the pipeline)."
    )
    resources = (*JOB, "databricks_pipeline")
    category = CheckCategories.IAM

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        run_as = first_block(resource, "run_as")
        if run_as.get("user_name"):
            yield f"run_as user {run_as['user_name']!r}"
        elif not run_as.get("service_principal_name"):
            yield (
                f"no run_as service_principal_name: the {resource_type.removeprefix('databricks_')} runs as "
                "whoever deployed it"
            )


class JobTimeout(StackCheck):
    id = "CKV_CLK_61"
    name = "Jobs have a timeout"
    severity_name = "MEDIUM"
    remediation = "Set timeout_seconds > 0 so a stuck run cannot bill forever."
    resources = JOB

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        timeout = resource.get("timeout_seconds")
        if not isinstance(timeout, int) or timeout <= 0:
            yield f"timeout_seconds is {timeout!r}; expected a positive number"


class JobMaxConcurrentRuns(StackCheck):
    id = "CKV_CLK_62"
    name = "Jobs cap their concurrent runs"
    severity_name = "MEDIUM"
    remediation = "Set max_concurrent_runs explicitly (1 for the producer: runs must not overlap)."
    resources = JOB

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        runs = resource.get("max_concurrent_runs")
        if not isinstance(runs, int) or runs < 1:
            yield f"max_concurrent_runs is {runs!r}; expected a number >= 1"


class JobFailureNotifications(StackCheck):
    id = "CKV_CLK_63"
    name = "Jobs notify someone when a run fails"
    severity_name = "MEDIUM"
    remediation = "Set email_notifications { on_failure = the environment's alert_emails } (or a webhook)."
    resources = JOB

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        for block in ("email_notifications", "webhook_notifications"):
            if first_block(resource, block).get("on_failure"):
                return
        yield "no email_notifications.on_failure or webhook_notifications.on_failure"


class ConfiguredProducerSchedule(StackCheck):
    id = "CKV_CLK_64"
    name = "The producer job runs on the environment's configured schedule (paused where configured)"
    severity_name = "MEDIUM"
    remediation = (
        "Set schedule { quartz_cron_expression = producer.schedule, pause_status = PAUSED when "
        "producer.schedule_paused } from the environment's config (infra jobs construct)."
    )
    resources = JOB

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        producer = configured(stack).producer
        if resource.get("name") != EnvironmentNames(env=stack.env).producer_job:
            return  # the alert and mask jobs keep their own schedules (CKV_CLK_61..63 still apply)
        if not first_block(resource, "schedule"):
            yield "no schedule"
            return
        yield from expect(resource, "schedule.quartz_cron_expression", (producer.schedule,))
        paused = "PAUSED" if producer.schedule_paused else "UNPAUSED"
        yield from expect(resource, "schedule.pause_status", (paused,), default="UNPAUSED")


job_runs_as_service_principal = JobRunsAsServicePrincipal()
job_timeout = JobTimeout()
job_max_concurrent_runs = JobMaxConcurrentRuns()
job_failure_notifications = JobFailureNotifications()
configured_producer_schedule = ConfiguredProducerSchedule()

"""Lakeflow declarative pipelines: serverless, watched, and in production mode in prod."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from policies.checkbase import StackCheck, blocks, expect
from policies.envconfig import configured
from synthesized.stack import EnvKind, Stack

PIPELINE = ("databricks_pipeline",)
FAILURE_ALERTS = {"on-update-failure", "on-update-fatal-failure", "on-flow-failure"}


class ServerlessPipeline(StackCheck):
    id = "CKV_CLK_50"
    name = "Pipelines run on serverless compute"
    severity_name = "MEDIUM"
    remediation = "Set serverless = true and drop cluster blocks: no clusters to patch, size or leave running."
    resources = PIPELINE

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        return expect(resource, "serverless", (True,))


class PipelineFailureNotifications(StackCheck):
    id = "CKV_CLK_51"
    name = "Pipelines notify someone when an update fails"
    severity_name = "MEDIUM"
    remediation = (
        'Add notification { alerts = ["on-update-failure", "on-update-fatal-failure"], '
        "email_recipients = the environment's alert_emails }."
    )
    resources = PIPELINE

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        for notification in blocks(resource.get("notification")):
            alerts = set(notification.get("alerts") or [])
            if alerts & FAILURE_ALERTS and notification.get("email_recipients"):
                return []
        return ["no notification with recipients for on-update-failure / on-update-fatal-failure"]


class ProdPipelineNotInDevelopment(StackCheck):
    id = "CKV_CLK_52"
    name = "Prod pipelines run in production mode (development off)"
    severity_name = "HIGH"
    remediation = "In prod set development = false: production mode retries failures and shuts compute down."
    resources = PIPELINE

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        if stack.kind is not EnvKind.PROD:
            return []
        return expect(resource, "development", (False,), default=False)


class ConfiguredPipelineMode(StackCheck):
    id = "CKV_CLK_53"
    name = "Pipelines run in the mode the environment's config sets (development, continuous, channel)"
    severity_name = "MEDIUM"
    remediation = (
        "Set development, continuous and channel from the environment's pipeline config (infra pipeline construct)."
    )
    resources = PIPELINE

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        pipeline = configured(stack).pipeline
        yield from expect(resource, "development", (pipeline.development,), default=False)
        yield from expect(resource, "continuous", (pipeline.continuous,), default=False)
        yield from expect(resource, "channel", (pipeline.channel,), default="CURRENT")


serverless_pipeline = ServerlessPipeline()
pipeline_failure_notifications = PipelineFailureNotifications()
prod_pipeline_not_in_development = ProdPipelineNotInDevelopment()
configured_pipeline_mode = ConfiguredPipelineMode()

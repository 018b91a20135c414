"""Log Analytics workspace and the diagnostic settings that feed it."""

from __future__ import annotations

from dataclasses import dataclass

from cdktf_cdktf_provider_azurerm.log_analytics_workspace import LogAnalyticsWorkspace
from cdktf_cdktf_provider_azurerm.monitor_diagnostic_setting import (
    MonitorDiagnosticSetting,
    MonitorDiagnosticSettingEnabledLog,
    MonitorDiagnosticSettingEnabledMetric,
)
from constructs import Construct

from infra.constructs.base import Context


@dataclass(frozen=True)
class Categories:
    """What a diagnostic setting of one target type ships: log category groups, metric categories."""

    log_groups: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()


# Per ARM resource type, the categories Azure Monitor supports for it: anything else is a
# 400 at apply ("Metric category 'AllMetrics' is not supported, supported categories are:
# 'Capacity;Transaction'" for storage). The account itself has metrics only; its blob and
# queue services have StorageRead/Write/Delete logs (group allLogs) and the same metrics;
# the workspace has logs only.
STORAGE_ACCOUNT = "Microsoft.Storage/storageAccounts"
BLOB_SERVICE = "Microsoft.Storage/storageAccounts/blobServices"
QUEUE_SERVICE = "Microsoft.Storage/storageAccounts/queueServices"
KEY_VAULT = "Microsoft.KeyVault/vaults"
DATABRICKS_WORKSPACE = "Microsoft.Databricks/workspaces"
STORAGE_METRICS = ("Capacity", "Transaction")
DIAGNOSTIC_CATEGORIES = {
    STORAGE_ACCOUNT: Categories(metrics=STORAGE_METRICS),
    BLOB_SERVICE: Categories(log_groups=("allLogs",), metrics=STORAGE_METRICS),
    QUEUE_SERVICE: Categories(log_groups=("allLogs",), metrics=STORAGE_METRICS),
    KEY_VAULT: Categories(log_groups=("allLogs",), metrics=("AllMetrics",)),
    DATABRICKS_WORKSPACE: Categories(log_groups=("allLogs",)),
}


class Observability(Construct):
    def __init__(self, scope: Construct, id_: str, *, ctx: Context) -> None:
        super().__init__(scope, id_)
        self.this = LogAnalyticsWorkspace(
            self,
            "this",
            name=ctx.names.log_analytics,
            **ctx.placement,
            sku="PerGB2018",
            retention_in_days=ctx.env.observability.log_retention_days,
        )

    def send_diagnostics(self, id_: str, *, target_resource_id: str, target_type: str) -> None:
        """Ship the logs and metrics that ``target_type`` supports (DIAGNOSTIC_CATEGORIES) to this workspace."""
        categories = DIAGNOSTIC_CATEGORIES[target_type]
        MonitorDiagnosticSetting(
            self,
            id_,
            name="to-log-analytics",
            target_resource_id=target_resource_id,
            log_analytics_workspace_id=self.this.id,
            enabled_log=[MonitorDiagnosticSettingEnabledLog(category_group=g) for g in categories.log_groups] or None,
            enabled_metric=[MonitorDiagnosticSettingEnabledMetric(category=m) for m in categories.metrics] or None,
        )

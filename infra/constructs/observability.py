"""Log Analytics workspace and the diagnostic settings that feed it."""

from __future__ import annotations

from cdktf_cdktf_provider_azurerm.log_analytics_workspace import LogAnalyticsWorkspace
from cdktf_cdktf_provider_azurerm.monitor_diagnostic_setting import (
    MonitorDiagnosticSetting,
    MonitorDiagnosticSettingEnabledLog,
    MonitorDiagnosticSettingEnabledMetric,
)
from constructs import Construct

from infra.constructs.base import Context


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

    def send_diagnostics(self, id_: str, *, target_resource_id: str, logs: bool = True, metrics: bool = True) -> None:
        """Ship all logs and/or metrics of ``target_resource_id`` to this workspace."""
        MonitorDiagnosticSetting(
            self,
            id_,
            name="to-log-analytics",
            target_resource_id=target_resource_id,
            log_analytics_workspace_id=self.this.id,
            enabled_log=[MonitorDiagnosticSettingEnabledLog(category_group="allLogs")] if logs else None,
            enabled_metric=[MonitorDiagnosticSettingEnabledMetric(category="AllMetrics")] if metrics else None,
        )

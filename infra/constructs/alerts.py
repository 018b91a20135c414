"""Data-quality alerts on the SQL warehouse, notifying the environment's owners.

One ``databricks_query`` + ``databricks_alert`` per alert of pipelines/clickstream/alerts.py
(the SQL lives there, the demo runs it locally), thresholds from ``alerts`` in the typed
config. A ``databricks_alert`` has no schedule of its own in provider 1.99: a job with one
``sql_task.alert`` per alert evaluates them on ``alerts.schedule`` and sends to an e-mail
notification destination holding the owner and alert addresses (distribution lists need
not be workspace users, which ``user_name`` subscriptions would require).
"""

from __future__ import annotations

from cdktf_cdktf_provider_databricks.alert import (
    Alert,
    AlertCondition,
    AlertConditionOperand,
    AlertConditionOperandColumn,
    AlertConditionThreshold,
    AlertConditionThresholdValue,
)
from cdktf_cdktf_provider_databricks.job import JobTaskSqlTaskAlert, JobTaskSqlTaskAlertSubscriptions
from cdktf_cdktf_provider_databricks.notification_destination import (
    NotificationDestination,
    NotificationDestinationConfigA,
    NotificationDestinationConfigEmail,
)
from cdktf_cdktf_provider_databricks.query import Query
from constructs import Construct

from infra.constructs.base import Context
from infra.constructs.jobs import cron_schedule, platform_job, sql_task
from infra.constructs.lifecycle import owner_emails
from pipelines.clickstream import alerts, names

TIMEOUT_SECONDS = 900


class DataQualityAlerts(Construct):
    def __init__(self, scope: Construct, id_: str, *, ctx: Context, warehouse_id: str, catalog: str) -> None:
        super().__init__(scope, id_)
        settings = ctx.env.alerts
        self.destination = NotificationDestination(
            self,
            "owners",
            display_name=ctx.names.alert_destination,
            config=NotificationDestinationConfigA(
                email=NotificationDestinationConfigEmail(addresses=owner_emails(ctx.env))
            ),
        )
        dq_metrics = f"{catalog}.{names.DQ_METRICS}"
        self.alerts = {alert.key: self._alert(ctx, alert, warehouse_id, dq_metrics) for alert in alerts.ALERTS}
        subscriptions = [JobTaskSqlTaskAlertSubscriptions(destination_id=self.destination.id)]
        self.job = platform_job(
            self,
            "schedule",
            ctx=ctx,
            name=ctx.names.alerts_job,
            description="Evaluates the data-quality alerts on gold.dq_metrics and notifies the owners.",
            timeout_seconds=TIMEOUT_SECONDS,
            notify_on_failure=owner_emails(ctx.env),
            schedule=cron_schedule(settings.schedule, paused=settings.schedule_paused),
            tasks=[
                sql_task(key, warehouse_id, alert=JobTaskSqlTaskAlert(alert_id=alert.id, subscriptions=subscriptions))
                for key, alert in self.alerts.items()
            ],
        )

    def _alert(self, ctx: Context, alert: alerts.Alert, warehouse_id: str, dq_metrics: str) -> Alert:
        threshold = float(getattr(ctx.env.alerts, alert.key))
        query = Query(
            self,
            f"query_{alert.key}",
            display_name=ctx.names.alert(alert.key),
            description=alert.title,
            warehouse_id=warehouse_id,
            query_text=alert.query(dq_metrics),
        )
        return Alert(
            self,
            f"alert_{alert.key}",
            display_name=ctx.names.alert(alert.key),
            query_id=query.id,
            custom_subject=f"[{ctx.env.name}] {alert.title}",
            condition=AlertCondition(
                op=alerts.OPERATOR,
                operand=AlertConditionOperand(column=AlertConditionOperandColumn(name=alerts.VALUE)),
                threshold=AlertConditionThreshold(value=AlertConditionThresholdValue(double_value=threshold)),
            ),
            notify_on_ok=True,
        )

"""Data-quality alerts over gold.dq_metrics: their SQL, declared once.

The infra stack turns each alert into a ``databricks_query`` + ``databricks_alert`` on the
SQL warehouse (infra/constructs/alerts.py); the demo and the tests run the very same SQL
on local Spark (``evaluate``). Each query returns one row with one column, ``value``; the
alert fires when ``value`` is greater than its threshold, which is environment data
(``alerts.<key>`` in infra/environments/*.yaml).

dq_metrics is long (one row per feed, layer, ingest batch, metric): the queries read
metrics by name and name the columns they use, so added metrics or columns change nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipelines.clickstream.names import INGESTED_AT

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

TABLE = "{dq_metrics}"  # placeholder for the table's qualified name
VALUE = "value"
# The Databricks alert condition that matches ``Evaluation.fired``.
OPERATOR = "GREATER_THAN"


def _latest_batch_share(metric: str) -> str:
    """Largest share of ``metric`` rows among the rows in of a feed's latest ingest batch."""
    return f"""WITH latest AS (
  SELECT feed, max({INGESTED_AT}) AS batch FROM {TABLE} WHERE metric = 'rows_in' GROUP BY feed
), per_feed AS (
  SELECT m.feed,
         sum(CASE WHEN m.metric = '{metric}' THEN m.`rows` ELSE 0 END) AS flagged,
         sum(CASE WHEN m.metric = 'rows_in' THEN m.`rows` ELSE 0 END) AS rows_in
  FROM {TABLE} AS m JOIN latest ON m.feed = latest.feed AND m.{INGESTED_AT} = latest.batch
  GROUP BY m.feed
)
SELECT CAST(coalesce(max(flagged / rows_in), 0) AS DOUBLE) AS {VALUE} FROM per_feed WHERE rows_in > 0"""


# No bronze row at all counts as infinitely stale (the epoch), so an empty lake fires too.
_FRESHNESS = f"""SELECT CAST(timestampdiff(MINUTE, coalesce(max({INGESTED_AT}), TIMESTAMP '1970-01-01 00:00:00'),
                          current_timestamp()) AS DOUBLE) AS {VALUE}
FROM {TABLE} WHERE layer = 'bronze' AND metric = 'rows_in'"""


@dataclass(frozen=True)
class Alert:
    key: str  # also the config field that holds its threshold
    title: str
    sql: str

    def query(self, dq_metrics: str) -> str:
        """The alert's SQL over the table named ``dq_metrics``."""
        return self.sql.replace(TABLE, dq_metrics)


ALERTS: tuple[Alert, ...] = (
    Alert(
        "quarantine_rate",
        "Quarantine rate of the latest batch above threshold",
        _latest_batch_share("rows_quarantined"),
    ),
    Alert(
        "duplicate_rate",
        "Duplicates dropped in the latest batch above threshold",
        _latest_batch_share("duplicates_dropped"),
    ),
    Alert("freshness_minutes", "No new bronze rows for longer than the producer's schedule allows", _FRESHNESS),
)


@dataclass(frozen=True)
class Evaluation:
    alert: Alert
    value: float
    threshold: float

    @property
    def fired(self) -> bool:
        return self.value > self.threshold


def evaluate(spark: SparkSession, dq_metrics: str, thresholds: Mapping[str, float]) -> list[Evaluation]:
    """Run every alert's SQL on ``spark`` over the table ``dq_metrics``."""
    return [
        Evaluation(alert, float(spark.sql(alert.query(dq_metrics)).collect()[0][VALUE]), float(thresholds[alert.key]))
        for alert in ALERTS
    ]

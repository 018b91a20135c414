"""The local lake: produce a batch, run the pipeline, read back what it holds.

Everything here goes through the producer's and the pipeline's public Python APIs
(``producer.run``, ``pipelines.runner.LocalPipeline``); the demo
only decides what to run and records what came out. ``LakeSnapshot`` is the boundary
the summary and the report are built from, so they can be tested on small fixtures.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.clickstream import alerts, names
from pipelines.runner import LocalPipeline
from producer import ProducerConfig, run

# Gold tables whose rows the summary reads (small: aggregates and the user dimension).
READ_TABLES = (names.KPI_DAILY_ACTIVE_USERS, names.KPI_FUNNEL_CONVERSION, names.KPI_TOP_PAGES, names.DIM_USER)

QualityKey = tuple[str, str, str, "str | None"]  # (feed, layer, metric, rule)
# The temporary view the alerts' SQL reads locally (on Databricks: <catalog>.gold.dq_metrics).
LOCAL_DQ_METRICS = "dq_metrics"


@dataclass(frozen=True)
class AlertState:
    """One data-quality alert evaluated on the local lake with an environment's threshold."""

    key: str
    title: str
    value: float
    threshold: float
    fired: bool


@dataclass(frozen=True)
class LakeSnapshot:
    """What the lake holds after a run: rows per table, quality totals, small gold tables."""

    rows: dict[str, int]
    quality: dict[QualityKey, int]
    tables: dict[str, list[dict]] = field(default_factory=dict)
    alerts: tuple[AlertState, ...] = ()

    def to_json(self) -> dict:
        return {
            "rows": self.rows,
            "quality": [
                dict(zip(("feed", "layer", "metric", "rule"), key, strict=False), rows=n)
                for key, n in self.quality.items()
            ],
            "tables": self.tables,
            "alerts": [dataclasses.asdict(a) for a in self.alerts],
        }


@dataclass(frozen=True)
class BatchRun:
    """One produce + pipeline round, with the rows before and after it."""

    label: str
    lines: dict[str, int]  # feed -> lines the producer wrote
    produce_s: float
    pipeline_s: float
    rows_before: dict[str, int]
    rows_after: dict[str, int]

    def added(self, table: str) -> int:
        return self.rows_after.get(table, 0) - self.rows_before.get(table, 0)


@dataclass
class Lake:
    landing: Path
    pipeline: LocalPipeline

    @classmethod
    def at(cls, landing: Path, state: Path, jars: Path) -> Lake:
        return cls(Path(landing), LocalPipeline(landing=landing, state_dir=state, jars_dir=jars))

    def clean(self) -> None:
        """Start from an empty lake: no landed files, no tables or checkpoints."""
        shutil.rmtree(self.landing, ignore_errors=True)
        self.pipeline.reset()

    def produce(self, events: int, seed: int, progress: Callable[[int], None]) -> tuple[dict[str, int], float]:
        """Write ``events`` event lines (with the producer's default defects) into the landing zone."""
        summary = run(ProducerConfig(sink="local", events=events, seed=seed, root=self.landing), progress=progress)
        return dict(summary.lines), summary.elapsed_s

    def run_pipeline(self, log: Callable[[str], None]) -> float:
        """One pipeline update over whatever landed since the last one; its seconds."""
        return self.pipeline.run(log=log).seconds

    def row_counts(self) -> dict[str, int]:
        return self.pipeline.row_counts()

    def evaluate_alerts(self, thresholds: dict[str, float]) -> tuple[AlertState, ...]:
        """Run every data-quality alert's SQL (the deployed one) on local Spark over gold.dq_metrics."""
        spark = self.pipeline.spark_session("demo-alerts")
        try:
            spark.read.format("delta").load(str(self.pipeline.table_dir(names.DQ_METRICS))).createOrReplaceTempView(
                LOCAL_DQ_METRICS
            )
            return tuple(
                AlertState(e.alert.key, e.alert.title, e.value, e.threshold, e.fired)
                for e in alerts.evaluate(spark, LOCAL_DQ_METRICS, thresholds)
            )
        finally:
            spark.stop()

    def snapshot(self, rows: dict[str, int] | None = None) -> LakeSnapshot:
        """What the report shows; ``rows``: row counts already read after the last update."""
        tables = {t: self.pipeline.read_rows(t) for t in READ_TABLES if self.pipeline.table_dir(t).exists()}
        return LakeSnapshot(self.row_counts() if rows is None else rows, self.pipeline.quality_totals(), tables)

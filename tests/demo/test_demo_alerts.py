"""The demo evaluates the deployed alert SQL on the local lake's gold.dq_metrics (Delta, by path)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyarrow as pa
from deltalake import write_deltalake

from demo.lake import Lake
from infra.config import load_environment
from pipelines.clickstream import names
from pipelines.runner import DEFAULT_JARS


def test_alerts_read_the_local_delta_dq_metrics_and_a_planted_bad_batch_fires(tmp_path):
    lake = Lake.at(tmp_path / "landing", tmp_path / "state", DEFAULT_JARS)
    batch = datetime.now(UTC) - timedelta(minutes=3)
    metrics = pa.table(
        {
            "feed": ["events", "events"],
            "layer": ["bronze", "silver"],
            "_ingested_at": pa.array([batch, batch], pa.timestamp("us", tz="UTC")),
            "metric": ["rows_in", "rows_quarantined"],
            "rule": pa.array([None, None], pa.string()),
            "rows": pa.array([100, 30], pa.int64()),
        }
    )
    write_deltalake(str(lake.pipeline.table_dir(names.DQ_METRICS)), metrics)
    states = {a.key: a for a in lake.evaluate_alerts(load_environment("dev", {}).alerts.model_dump())}
    assert states["quarantine_rate"].fired and states["quarantine_rate"].value == 0.3
    assert not states["freshness_minutes"].fired and not states["duplicate_rate"].fired

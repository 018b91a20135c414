"""Pipeline code only builds queries open-source SDP can read its dependencies from.

A call the Spark Connect server analyses eagerly hides the flow's input from SDP, which
then starts the flow before that input is refreshed (see pipelines/clickstream/lazy.py).
That only shows in a multi-update local run, so these calls are kept out statically.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pipelines.clickstream.lazy import with_columns

PIPELINE_CODE = sorted((Path(__file__).parents[2] / "pipelines").glob("[ct]*/*.py"))
EAGER_CALLS = {
    "withColumn",
    "withColumns",
    "withColumnRenamed",
    "withColumnsRenamed",
    "drop",
    "toDF",
    "na",
    "fillna",
    "dropna",
    "pivot",
    "columns",
    "schema",
    "dtypes",
    "dropDuplicates",
    "dropDuplicatesWithinWatermark",
}
# Databricks-only code paths (never analysed by the local Connect server) may use them.
ALLOWED = {("platform.py", "schema"), ("silver.py", "dropDuplicatesWithinWatermark")}


def _attribute_uses(path: Path) -> set[str]:
    return {node.attr for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Attribute)}


@pytest.mark.parametrize("path", PIPELINE_CODE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_pipeline_code_uses_no_call_that_hides_a_dependency_from_sdp(path):
    used = {name for name in _attribute_uses(path) & EAGER_CALLS if (path.name, name) not in ALLOWED}
    assert not used, f"{path}: {sorted(used)} are analysed eagerly; use pipelines.clickstream.lazy"


def test_pipeline_code_is_found():
    names = {p.name for p in PIPELINE_CODE}
    assert {"silver.py", "scd2_local.py", "kpi_top_pages.py"} <= names


def test_with_columns_appends_in_order(spark):
    from pyspark.sql import functions as F

    df = with_columns(spark.range(2), doubled=F.col("id") * 2, label=F.lit("x"))
    assert df.columns == ["id", "doubled", "label"]
    assert [tuple(r) for r in df.orderBy("id").collect()] == [(0, 0, "x"), (1, 2, "x")]

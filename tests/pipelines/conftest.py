"""Shared Spark for the pipeline's unit tests: one local classic session per test run."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def spark():
    from pyspark.sql import SparkSession

    from pipelines.runner import LocalPipeline

    # With the Delta jars (`make jars`, a prerequisite of `make test`) the same session
    # reads the end-to-end test's tables by path.
    builder = (
        SparkSession.builder.master("local[1]")
        .appName("pipelines-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.session.timeZone", "UTC")
    )
    delta = LocalPipeline().spark_defaults()
    for key in ("spark.jars", "spark.sql.extensions", "spark.sql.catalog.spark_catalog"):
        builder = builder.config(key, delta[key])
    session = builder.getOrCreate()
    yield session
    session.stop()

"""DataFrame calls that stay lazy under open-source Spark Declarative Pipelines.

SDP finds a flow's inputs by analysing its query *after* every dataset is registered.
Some DataFrame calls are instead analysed by the Spark Connect server the moment the
query is built (``withColumn(s)``, ``drop``, ``dropDuplicates*``, ``na.*``, ``pivot``):
the pipeline table they read is then resolved as a plain catalog table, so SDP sees no
dependency and may start the flow before its input is refreshed (it reads the previous
update's data, or an empty table during a full refresh). Pipeline code uses these
equivalents instead; ``tests/pipelines/test_lazy.py`` keeps the others out.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame


def with_columns(df: DataFrame, **columns: Column) -> DataFrame:
    """``df`` plus new columns (a projection: analysed with the rest of the flow)."""
    return df.select("*", *(column.alias(name) for name, column in columns.items()))

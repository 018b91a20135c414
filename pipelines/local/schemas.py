"""``python -m pipelines.local.schemas URL SCHEMA...``: create the schemas on a Spark Connect
server (SDP may not run CREATE SCHEMA inside a pipeline). A process of its own, so the
caller's process never holds a Spark Connect session next to a classic one."""

from __future__ import annotations

import sys

from pyspark.sql import SparkSession


def main(url: str, *schemas: str) -> int:
    spark = SparkSession.builder.remote(url).getOrCreate()
    for schema in schemas:
        spark.sql(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))

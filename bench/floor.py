"""The benchmark floor: plain Spark reading the landed JSON and writing one Delta table.

Run as a separate process by bench/pipeline.py (``python -m bench.floor LANDING OUT``)
with the same Spark settings as the pipeline, so the comparison is like for like.
"""

from __future__ import annotations

import sys

from pyspark.sql import SparkSession

from contract import EVENT_SCHEMA_DDL, EVENTS_FEED


def main(landing: str, out: str) -> int:
    spark = SparkSession.builder.getOrCreate()  # settings come from SPARK_CONF_DIR
    events = spark.read.schema(EVENT_SCHEMA_DDL).option("recursiveFileLookup", "true").json(f"{landing}/{EVENTS_FEED}")
    events.write.format("delta").mode("overwrite").save(out)
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))

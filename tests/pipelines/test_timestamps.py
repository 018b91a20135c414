"""Timestamp normalisation: every format the producer emits ends up as the same UTC instant."""

from datetime import datetime

import pytest

from pipelines.clickstream.timestamps import to_utc

INSTANT = datetime(2026, 11, 26, 18, 0, 0, 123000)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2026-11-26T18:00:00.123Z", INSTANT),
        ("2026-11-26T20:00:00.123+02:00", INSTANT),
        ("2026-11-26T18:00:00Z", INSTANT.replace(microsecond=0)),
        ("1795716000123", INSTANT),  # epoch millis (a JSON number read as text)
        ("2026/11/26 18:00:00", INSTANT.replace(microsecond=0)),  # legacy, UTC
        (" 2026/11/26 18:00:00 ", INSTANT.replace(microsecond=0)),
        ("26/11/2026", None),
        ("12345", None),  # too short to be epoch millis
        ("", None),
        (None, None),
    ],
)
def test_each_known_format_normalises_to_the_same_utc_instant(spark, raw, expected):
    row = spark.createDataFrame([(raw,)], "ts STRING").select(to_utc("ts").alias("t")).first()
    assert row.t == expected


def test_result_does_not_depend_on_the_session_time_zone(spark):
    df = spark.createDataFrame([("2026/11/26 18:00:00",), ("2026-11-26T18:00:00.123Z",)], "ts STRING")
    spark.conf.set("spark.sql.session.timeZone", "America/New_York")
    try:
        epochs = [r.e for r in df.select(to_utc("ts").cast("double").alias("e")).collect()]
    finally:
        spark.conf.set("spark.sql.session.timeZone", "UTC")
    assert epochs == [1795716000.0, 1795716000.123]

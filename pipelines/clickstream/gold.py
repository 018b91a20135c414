"""Gold: a star schema over silver events and the user dimension, plus BI KPIs.

All functions are batch (materialized views): they are recomputed from silver on each
update, so late and out-of-order events land in the right session and day.
"""

from __future__ import annotations

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from contract import FUNNEL_STEPS
from pipelines.clickstream import names
from pipelines.clickstream.lazy import with_columns

TOP_PAGES_PER_DAY = 10

# gold.dim_user: SCD type 2 over the user-change feed (AUTO CDC on Databricks, scd2_local
# locally). When a change was recorded is not an attribute of the user: it opens no version.
DIM_USER_SCD2 = {
    "keys": ["user_id"],
    "sequence_by": "sequence",
    "delete_condition": "op = 'delete'",
    "columns": ["user_key", "country", "plan", "changed_at", "sequence"],
    "track_history_except": ["changed_at", "sequence"],
    "tie_breaker": "change_id",
}

# Column names and types of every gold table with a sensitive column (contract/masks.py):
# on Databricks the table's schema DDL carries the masks (platform.table_options). A test
# compares each with what the functions below produce.
SCHEMAS: dict[str, tuple[tuple[str, str], ...]] = {
    names.FACT_EVENTS: (
        ("event_id", "STRING"),
        ("date_key", "INT"),
        ("event_time", "TIMESTAMP"),
        ("event_type", "STRING"),
        ("session_id", "STRING"),
        ("user_id", "STRING"),
        ("user_key", "STRING"),
        ("country", "STRING"),
        ("device_type", "STRING"),
        ("page_url", "STRING"),
        ("properties", "MAP<STRING, STRING>"),
    ),
    names.FACT_PAGE_VIEWS: (
        ("event_id", "STRING"),
        ("date_key", "INT"),
        ("event_time", "TIMESTAMP"),
        ("session_id", "STRING"),
        ("user_id", "STRING"),
        ("page_url", "STRING"),
        ("page_title", "STRING"),
        ("referrer", "STRING"),
        ("device_type", "STRING"),
        ("country", "STRING"),
    ),
    names.KPI_TOP_PAGES: (
        ("date_key", "INT"),
        ("page_url", "STRING"),
        ("views", "BIGINT"),
        ("unique_users", "BIGINT"),
        ("rank", "INT"),
    ),
    # AUTO CDC's SCD2 target: the columns, then __START_AT/__END_AT of the sequence's type.
    names.DIM_USER: (
        ("user_id", "STRING"),
        ("user_key", "STRING"),
        ("country", "STRING"),
        ("plan", "STRING"),
        ("changed_at", "TIMESTAMP"),
        ("sequence", "BIGINT"),
        ("__START_AT", "BIGINT"),
        ("__END_AT", "BIGINT"),
    ),
}


def date_key(ts_col: str) -> F.Column:
    """yyyyMMdd as an integer: the join key to dim_date."""
    return F.date_format(F.col(ts_col), "yyyyMMdd").cast("int")


def fact_events(events: DataFrame) -> DataFrame:
    return events.select(
        "event_id",
        date_key("event_time").alias("date_key"),
        "event_time",
        "event_type",
        "session_id",
        "user_id",
        "user_key",
        "country",
        "device_type",
        "page_url",
        "properties",
    )


def fact_page_views(events: DataFrame) -> DataFrame:
    views = events.where(F.col("event_type") == "page_view")
    return views.select(
        "event_id",
        date_key("event_time").alias("date_key"),
        "event_time",
        "session_id",
        "user_id",
        "page_url",
        "page_title",
        "referrer",
        "device_type",
        "country",
    )


def fact_sessions(events: DataFrame) -> DataFrame:
    """One row per session: bounds, duration, pages viewed, whether it purchased."""
    sessions = events.groupBy("session_id").agg(
        F.min_by("user_id", "event_time").alias("user_id"),
        F.min("event_time").alias("started_at"),
        F.max("event_time").alias("ended_at"),
        F.count("*").alias("events"),
        F.sum(F.when(F.col("event_type") == "page_view", 1).otherwise(0)).alias("pages"),
        F.max(F.when(F.col("event_type") == "purchase", True).otherwise(False)).alias("converted"),
        F.min_by("device_type", "event_time").alias("device_type"),
        F.min_by("country", "event_time").alias("country"),
    )
    duration = F.unix_millis(F.col("ended_at")) - F.unix_millis(F.col("started_at"))
    return sessions.select(
        "session_id",
        "user_id",
        date_key("started_at").alias("date_key"),
        "started_at",
        "ended_at",
        (duration / 1000.0).alias("duration_s"),
        "events",
        "pages",
        "converted",
        "device_type",
        "country",
    )


def dim_date(events: DataFrame) -> DataFrame:
    """Every calendar day from the first to the last event (no gaps, for BI time axes)."""
    bounds = events.agg(F.to_date(F.min("event_time")).alias("lo"), F.to_date(F.max("event_time")).alias("hi"))
    days = bounds.where(F.col("lo").isNotNull()).select(F.explode(F.sequence("lo", "hi")).alias("date"))
    return days.select(
        date_key("date").alias("date_key"),
        "date",
        F.year("date").alias("year"),
        F.quarter("date").alias("quarter"),
        F.month("date").alias("month"),
        F.dayofmonth("date").alias("day"),
        F.date_format("date", "EEEE").alias("day_name"),
        F.weekofyear("date").alias("iso_week"),
        F.dayofweek("date").isin(1, 7).alias("is_weekend"),
    )


def kpi_daily_active_users(events: DataFrame) -> DataFrame:
    return events.groupBy(date_key("event_time").alias("date_key")).agg(
        F.countDistinct("user_id").alias("active_users"),
        F.countDistinct("session_id").alias("sessions"),
        F.count("*").alias("events"),
    )


def kpi_funnel_conversion(events: DataFrame) -> DataFrame:
    """Per day and funnel step: sessions that reached the step, and the share of step 1."""
    steps = F.array(*[F.lit(s) for s in FUNNEL_STEPS])
    reached = (
        events.where(F.col("event_type").isin(*FUNNEL_STEPS))
        .groupBy("session_id")
        .agg(F.min("event_time").alias("first_seen"), F.collect_set("event_type").alias("types"))
        .select(date_key("first_seen").alias("date_key"), "session_id", "types")
    )
    per_step = (
        reached.select("date_key", "types", F.posexplode(steps).alias("step_index", "step"))
        .where(F.array_contains("types", F.col("step")))
        .groupBy("date_key", "step_index", "step")
        .agg(F.count("*").alias("sessions"))
    )
    first = Window.partitionBy("date_key").orderBy("step_index")
    return per_step.select(
        "date_key",
        (F.col("step_index") + 1).alias("step_number"),
        "step",
        "sessions",
        F.round(F.col("sessions") / F.first("sessions").over(first), 4).alias("conversion_from_first_step"),
    )


def kpi_top_pages(page_views: DataFrame, top: int = TOP_PAGES_PER_DAY) -> DataFrame:
    counts = page_views.groupBy("date_key", "page_url").agg(
        F.count("*").alias("views"), F.countDistinct("user_id").alias("unique_users")
    )
    rank = F.row_number().over(Window.partitionBy("date_key").orderBy(F.desc("views"), "page_url"))
    return with_columns(counts, rank=rank).where(F.col("rank") <= top)

"""Dataset names, declared once: transformations, the runner's summary and the tests use these.

Schemas are the Unity Catalog ones the infra stack creates (bronze, silver, gold); locally
they are Hive metastore databases the runner creates before the first run.
"""

from __future__ import annotations

from contract import rbac

SCHEMAS = rbac.SCHEMAS  # the Unity Catalog schemas the infra stack creates

BRONZE_EVENTS = "bronze.events_raw"
BRONZE_USER_CHANGES = "bronze.user_changes_raw"

# Valid events before de-duplication: typed, scrubbed and pseudonymised once, as they stream
# in (what silver.events and the duplicate count read, instead of re-typing all of bronze).
EVENTS_VALID = "silver.events_valid"
SILVER_EVENTS = "silver.events"
EVENT_KEY = "event_id"  # silver.events holds one row per event id
EVENTS_QUARANTINE = "silver.events_quarantine"
SILVER_USER_CHANGES = "silver.user_changes"
USER_CHANGES_QUARANTINE = "silver.user_changes_quarantine"

FACT_EVENTS = "gold.fact_events"
FACT_PAGE_VIEWS = "gold.fact_page_views"
FACT_SESSIONS = "gold.fact_sessions"
DIM_USER = "gold.dim_user"
DIM_DATE = "gold.dim_date"
KPI_DAILY_ACTIVE_USERS = "gold.kpi_daily_active_users"
KPI_FUNNEL_CONVERSION = "gold.kpi_funnel_conversion"
KPI_TOP_PAGES = "gold.kpi_top_pages"
DQ_METRICS = "gold.dq_metrics"

BRONZE_TABLES = (BRONZE_EVENTS, BRONZE_USER_CHANGES)
SILVER_TABLES = (EVENTS_VALID, SILVER_EVENTS, EVENTS_QUARANTINE, SILVER_USER_CHANGES, USER_CHANGES_QUARANTINE)
GOLD_TABLES = (
    FACT_EVENTS,
    FACT_PAGE_VIEWS,
    FACT_SESSIONS,
    DIM_USER,
    DIM_DATE,
    KPI_DAILY_ACTIVE_USERS,
    KPI_FUNNEL_CONVERSION,
    KPI_TOP_PAGES,
    DQ_METRICS,
)
ALL_TABLES = BRONZE_TABLES + SILVER_TABLES + GOLD_TABLES

# Ingest metadata added at bronze and carried to silver.
SOURCE_FILE = "_source_file"
INGESTED_AT = "_ingested_at"
RESCUED = "_rescued_data"
CORRUPT = "_corrupt_record"

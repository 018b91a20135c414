"""Column masks: the mask functions' SQL on local Spark (with a stand-in for Databricks'
is_account_group_member), its idempotence, and the Databricks table definitions."""

from __future__ import annotations

from datetime import datetime

import pytest

from contract import masks, rbac
from pipelines.clickstream import gold, names, platform, settings
from pipelines.clickstream.scd2_local import scd2
from tests.pipelines.test_gold import SESSIONS, events

GROUPS = {role: f"clickstream-dev-{role}" for role in rbac.ROLES}
LOCAL_CATALOG = "spark_catalog"
URL = "https://shop.example.com/p/1?email=jane%40example.com#top"


def _member_of(spark, group: str | None) -> None:
    """Databricks' is_account_group_member, as a local function: true for ``group`` only."""
    body = "false" if group is None else f"g = '{group}'"
    spark.sql(f"CREATE OR REPLACE FUNCTION default.is_account_group_member(g STRING) RETURNS BOOLEAN RETURN {body}")


@pytest.fixture(scope="module")
def functions(spark):
    spark.sql("USE default")
    spark.sql(f"CREATE DATABASE IF NOT EXISTS {masks.FUNCTION_SCHEMA}")
    _member_of(spark, None)
    for _ in range(2):  # the deploy reruns the script on every deploy: CREATE OR REPLACE
        for statement in masks.function_statements(LOCAL_CATALOG, GROUPS).split(";\n"):
            if statement.strip():
                spark.sql(statement)
    return spark


def _seen(spark, group: str | None) -> tuple:
    _member_of(spark, group)
    fn = {m: masks.function_name(LOCAL_CATALOG, m) for m in masks.masks()}
    row = spark.sql(
        f"SELECT {fn[masks.REDACTED]}('k123') AS key, {fn[masks.URL_WITHOUT_QUERY]}('{URL}') AS url, "
        f"{fn[masks.NO_PROPERTIES]}(map('q', 'jane')) AS props"
    ).first()
    return row.key, row.url, row.props


@pytest.mark.parametrize("role", masks.SEES_UNMASKED)
def test_engineers_and_admins_see_stored_values(functions, role):
    assert _seen(functions, GROUPS[role]) == ("k123", URL, {"q": "jane"})


@pytest.mark.parametrize("group", [GROUPS[rbac.DATA_ANALYSTS], GROUPS[rbac.PRODUCERS], None])
def test_everyone_else_sees_masked_values(functions, group):
    assert _seen(functions, group) == ("***", "https://shop.example.com/p/1", None)


def test_the_script_creates_each_mask_function_once_idempotently():
    script = masks.function_statements("clickstream_dev", GROUPS)
    assert (
        script.count("CREATE OR REPLACE FUNCTION") == len(masks.masks()) == len(set(masks.SENSITIVE_COLUMNS.values()))
    )
    assert "CREATE FUNCTION" not in script.replace("CREATE OR REPLACE FUNCTION", "")
    assert "is_account_group_member('clickstream-dev-data-analysts')" not in script


def _local_outputs(spark) -> dict:
    silver = events(spark, SESSIONS)
    changes = spark.createDataFrame(
        [("c1", "u1", "upsert", 1, "k", "FR", "free", datetime(2026, 11, 26))],
        "change_id STRING, user_id STRING, op STRING, sequence BIGINT, user_key STRING, country STRING, "
        "plan STRING, changed_at TIMESTAMP",
    )
    return {
        names.FACT_EVENTS: gold.fact_events(silver),
        names.FACT_PAGE_VIEWS: gold.fact_page_views(silver),
        names.FACT_SESSIONS: gold.fact_sessions(silver),
        names.DIM_DATE: gold.dim_date(silver),
        names.KPI_DAILY_ACTIVE_USERS: gold.kpi_daily_active_users(silver),
        names.KPI_FUNNEL_CONVERSION: gold.kpi_funnel_conversion(silver),
        names.KPI_TOP_PAGES: gold.kpi_top_pages(gold.fact_page_views(silver)),
        names.DIM_USER: scd2(changes, **gold.DIM_USER_SCD2),
    }


def test_every_gold_table_with_a_sensitive_column_declares_the_schema_it_produces(spark):
    for table, df in _local_outputs(spark).items():
        produced = [(f.name, f.dataType.simpleString()) for f in df.schema.fields]
        if masks.column_masks([name for name, _ in produced]):
            declared = spark.createDataFrame([], ", ".join(f"`{c}` {t}" for c, t in gold.SCHEMAS[table])).schema
            assert produced == [(f.name, f.dataType.simpleString()) for f in declared.fields], table
        else:
            assert table not in gold.SCHEMAS, table


def test_on_databricks_gold_definitions_carry_the_masks_of_their_sensitive_columns(spark, monkeypatch):
    monkeypatch.setenv("DATABRICKS_RUNTIME_VERSION", "17.3")
    spark.conf.set(settings.CATALOG, "clickstream_dev")
    try:
        options = platform.table_options(names.FACT_EVENTS)
        assert platform.table_options(names.FACT_SESSIONS) == {"cluster_by_auto": True}
    finally:
        spark.conf.unset(settings.CATALOG)
    ddl = options["schema"]
    assert "user_key STRING MASK clickstream_dev.gold.mask_redacted" in ddl
    assert "page_url STRING MASK clickstream_dev.gold.mask_url" in ddl
    assert "properties MAP<STRING, STRING> MASK clickstream_dev.gold.mask_properties" in ddl
    assert "user_id STRING," in ddl and ddl.count(" MASK ") == 3


def test_on_databricks_masks_without_a_catalog_stop_the_definition(spark, monkeypatch):
    monkeypatch.setenv("DATABRICKS_RUNTIME_VERSION", "17.3")
    with pytest.raises(settings.SettingsError, match=settings.CATALOG):
        platform.table_options(names.DIM_USER)


def test_locally_no_table_gets_a_mask():
    assert all(platform.table_options(table) == {} for table in names.ALL_TABLES)

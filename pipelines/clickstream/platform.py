"""THE module for what differs between Databricks (Lakeflow) and local open-source SDP.

Everything else in the pipeline is the same code on both. The README's parity table
lists each difference and how the local side is kept faithful; keep the two in step.

| concern            | Databricks                               | local (open source)                         |
|--------------------|------------------------------------------|---------------------------------------------|
| landing reader     | Auto Loader (cloudFiles, JSON, rescue)   | text file stream + parse_like_auto_loader   |
| rule enforcement   | @dp.expect_all_or_drop(rules)            | filter on the same rules                    |
| silver.events      | streaming dedup within a watermark       | materialized view, first copy per event id  |
| SCD2 user dim      | create_auto_cdc_flow(stored_as_scd_type=2)| scd2_local materialized view                |
| table layout       | cluster_by_auto=True                     | Delta via spark.sql.sources.default         |
| HMAC key           | SQL hmac(secret(scope, key)), env != local | pads of $CLICKSTREAM_HMAC_KEY/dev key, env local |
| column masks       | gold schema DDL with MASK <catalog>.gold.fn | none (parser rejects MASK)                 |
"""

from __future__ import annotations

import functools
import os

from pyspark import pipelines as dp
from pyspark.sql import DataFrame, SparkSession

from contract import masks
from pipelines.clickstream import bronze, gold
from pipelines.clickstream import settings as settings_mod
from pipelines.clickstream.names import CORRUPT, RESCUED
from pipelines.clickstream.pseudonymise import SecretRef
from pipelines.clickstream.scd2_local import scd2
from pipelines.clickstream.silver import deduplicated, first_per_key, passing

# Not a secret: only ever used on laptops and CI, where the data is synthetic.
LOCAL_DEV_KEY = b"clickstream-local-dev-key-not-for-real-data"
LOCAL_KEY_ENV = "CLICKSTREAM_HMAC_KEY"
# The only clickstream.env value for which a key from this machine (or the dev key) is used.
LOCAL_ENV = "local"


def on_databricks() -> bool:
    return "DATABRICKS_RUNTIME_VERSION" in os.environ


def settings(spark: SparkSession) -> settings_mod.Settings:
    return settings_mod.from_conf(lambda key, default: spark.conf.get(key, default))


def hmac_key(conf: settings_mod.Settings) -> bytes | SecretRef:
    """The pseudonymisation key, chosen by clickstream.env and failing closed.

    env ``local`` (and not a Databricks runtime): the key bytes, from $CLICKSTREAM_HMAC_KEY
    or the public dev key. Any other env: a reference to the secret scope, checked to be
    readable here so a missing secret stops the update at definition time; the value is
    read by the SQL ``secret()`` function, never kept in Python. Errors name the settings
    and the secret, never its value.
    """
    env = conf.env
    if env == LOCAL_ENV:
        if on_databricks():
            # The dev key is in this repository: real data must never be pseudonymised with it.
            raise settings_mod.SettingsError(
                f"{settings_mod.ENV} is {LOCAL_ENV!r} on a Databricks runtime: the local key is refused there; "
                f"set {settings_mod.ENV} to the deployment's environment"
            )
        return os.environ.get(LOCAL_KEY_ENV, "").encode() or LOCAL_DEV_KEY
    if not (conf.secret_scope and conf.secret_key):
        raise settings_mod.SettingsError(
            f"{settings_mod.ENV} is {env!r}: {settings_mod.SECRET_SCOPE} and {settings_mod.SECRET_KEY} "
            "must name the HMAC key's secret (the local key is only used when the env is local)"
        )
    ref = SecretRef(conf.secret_scope, conf.secret_key)
    where = f"secret {ref.key!r} in scope {ref.scope!r}"
    try:
        from databricks.sdk.runtime import dbutils  # only importable on a Databricks runtime

        readable = bool(dbutils.secrets.get(scope=ref.scope, key=ref.key))
    except Exception as exc:  # the cause's type only: its message is not ours to vouch for
        raise settings_mod.SettingsError(
            f"{settings_mod.ENV} is {env!r} but the HMAC key ({where}) cannot be read: "
            f"{type(exc).__name__}; the local key is only used when the env is local"
        ) from None
    if not readable:
        raise settings_mod.SettingsError(f"{settings_mod.ENV} is {env!r} but the HMAC key ({where}) is empty")
    return ref


def read_landing(spark: SparkSession, path: str, schema_ddl: str) -> DataFrame:
    """Stream of landed lines: contract columns + _rescued_data + _corrupt_record + metadata."""
    if on_databricks():
        raw = (
            spark.readStream.format("cloudFiles")
            .option("cloudFiles.format", "json")
            .option("rescuedDataColumn", RESCUED)
            .option("columnNameOfCorruptRecord", CORRUPT)
            .schema(f"{schema_ddl}, {CORRUPT} STRING")
            .load(path)
        )
    else:
        lines = spark.readStream.format("text").option("recursiveFileLookup", "true").load(path)
        raw = bronze.parse_like_auto_loader(lines, schema_ddl, keep=("_metadata",))
    return bronze.with_ingest_metadata(raw).select(*bronze.bronze_columns(schema_ddl))


def table_options(name: str) -> dict:
    """Extra @dp.table / @dp.materialized_view arguments of table ``name`` for the platform.

    Databricks: automatic clustering and, for a table with sensitive columns, its schema
    with their column masks (contract/masks.py), so the pipeline's own definition carries
    them and no update reverts them. Locally nothing: open-source Spark's parser rejects
    ``MASK`` (the mask functions' SQL is tested on local Spark instead).
    """
    if not on_databricks():
        return {}
    options: dict = {"cluster_by_auto": True}
    if name in gold.SCHEMAS:
        options["schema"] = masked_schema(gold.SCHEMAS[name], catalog(SparkSession.active()))
    return options


def catalog(spark: SparkSession) -> str:
    """The Unity Catalog catalog the pipeline publishes to (and the mask functions live in)."""
    name = spark.conf.get(settings_mod.CATALOG, "")
    if not name:
        raise settings_mod.SettingsError(f"{settings_mod.CATALOG} is not set: the column masks need the catalog")
    return name


def masked_schema(columns: tuple[tuple[str, str], ...], catalog_name: str) -> str:
    """Schema DDL of a table, each sensitive column with ``MASK <catalog>.gold.<function>``."""
    sensitive = masks.column_masks([column for column, _ in columns])
    return ", ".join(
        f"{column} {type_}"
        + (f" MASK {masks.function_name(catalog_name, sensitive[column])}" if column in sensitive else "")
        for column, type_ in columns
    )


def expect_all_or_drop(rules: dict[str, str]):
    """Drop rows breaking any rule: expectations on Databricks (metrics in the event log),
    a filter on the very same SQL conditions locally."""
    if on_databricks():
        return dp.expect_all_or_drop(rules)

    def decorate(query):
        @functools.wraps(query)
        def filtered():
            return passing(query(), rules)

        return filtered

    return decorate


def deduplicated_table(spark: SparkSession, *, name: str, comment: str, source: str, key: str, window: str) -> None:
    """Declare ``name``: the rows of table ``source`` (valid, typed), one per ``key``.

    Databricks: a streaming table de-duplicating within a watermark. Locally: a
    materialized view keeping the first copy of each key. Open-source SDP 4.2 cannot
    stream the de-duplication: Spark Connect analyses a dropDuplicates* input when the flow
    is registered, when no pipeline dataset is resolvable yet ([TABLE_OR_VIEW_NOT_FOUND];
    a pre-created table resolves but is then read as an external table, outside the
    dependency graph). See README "Parity".
    """
    if on_databricks():

        @dp.table(name=name, comment=comment, **table_options(name))
        def streaming_dedup():
            return deduplicated(spark.readStream.table(source), window)

        return

    @dp.materialized_view(name=name, comment=comment)
    def batch_dedup():
        return first_per_key(spark.read.table(source), key)


def scd2_dimension(
    spark: SparkSession,
    *,
    target: str,
    source: str,
    keys: list[str],
    sequence_by: str,
    delete_condition: str,
    columns: list[str],
    track_history_except: list[str],
    tie_breaker: str,
    comment: str,
) -> None:
    """Declare an SCD type 2 table fed by the CDC table ``source``."""
    if on_databricks():
        dp.create_streaming_table(name=target, comment=comment, **table_options(target))
        dp.create_auto_cdc_flow(
            target=target,
            source=source,
            keys=keys,
            sequence_by=sequence_by,
            apply_as_deletes=delete_condition,
            column_list=[*keys, *columns],
            stored_as_scd_type=2,
            track_history_except_column_list=track_history_except,
        )
        return

    @dp.materialized_view(name=target, comment=comment)
    def dimension():
        return scd2(
            spark.read.table(source),
            keys=keys,
            sequence_by=sequence_by,
            delete_condition=delete_condition,
            columns=columns,
            track_history_except=track_history_except,
            tie_breaker=tie_breaker,
        )

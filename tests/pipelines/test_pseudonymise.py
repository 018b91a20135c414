"""Pseudonymisation: the SQL HMAC is exactly RFC 2104 HMAC-SHA256, and the key stays out of plans."""

import base64
import hashlib
import hmac

import pytest
from pyspark.sql import functions as F

from pipelines.clickstream import pseudonymise


@pytest.mark.parametrize("key", [b"k", b"local-dev-key", b"x" * 64, b"long-key-" * 20])
def test_sql_hmac_matches_pythons_hmac_for_any_key_length(spark, key):
    messages = ["ada@example.com", "", "ünïcødé@example.org"]
    df = spark.createDataFrame([(m,) for m in messages], "m STRING")
    got = [r.h for r in df.select(pseudonymise.hmac_sha256(F.col("m"), key).alias("h")).collect()]
    assert got == [hmac.new(key, m.encode(), hashlib.sha256).hexdigest() for m in messages]


def test_email_key_ignores_case_and_blanks_and_keeps_null(spark):
    df = spark.createDataFrame([("Ada@Example.com ",), ("ada@example.com",), (None,)], "m STRING")
    keys = [r.k for r in df.select(pseudonymise.email_key(F.col("m"), b"key").alias("k")).collect()]
    assert keys[0] == keys[1] == hmac.new(b"key", b"ada@example.com", hashlib.sha256).hexdigest()
    assert keys[2] is None


def test_different_keys_give_different_pseudonyms(spark):
    df = spark.createDataFrame([("ada@example.com",)], "m STRING")
    a, b = (df.select(pseudonymise.email_key(F.col("m"), k)).first()[0] for k in (b"one", b"two"))
    assert a != b


def test_empty_key_is_refused():
    with pytest.raises(pseudonymise.PseudonymKeyError, match="empty"):
        pseudonymise.hmac_sha256(F.col("m"), b"")


KEY = b"leak-test-key-\x01\xfe-0123456789"


def _key_forms(key: bytes) -> list[str]:
    """The key as it could show up in text: raw, hex (both cases), base64, Spark's X'..'."""
    forms = [key.hex(), key.hex().upper(), base64.b64encode(key).decode(), key.decode("latin-1")]
    return forms + [key[:16].decode("latin-1"), base64.b64encode(key[:12]).decode()]


def test_secret_reference_builds_an_expression_without_key_material():
    col = pseudonymise.email_key(F.col("email"), pseudonymise.SecretRef("kv-scope", "hmac-key"))
    text = str(col)
    assert "hmac" in text and "secret" in text and "kv-scope" in text and "hmac-key" in text
    assert not any(form in text for form in _key_forms(KEY))


def test_secret_reference_plan_holds_no_key_and_gives_the_same_pseudonym(spark):
    """Local stand-ins for Databricks' secret() and hmac() (Python UDFs; the key lives only
    in the stand-in's closure): the plan the pipeline builds must name the secret, never
    carry its value, and produce exactly the local definition's pseudonym."""
    spark.udf.register("secret", lambda scope, key: KEY.decode("latin-1") if (scope, key) == ("kv", "k") else None)
    spark.udf.register("hmac", lambda k, m: hmac.new(bytes(k), bytes(m), hashlib.sha256).digest(), "binary")
    try:
        df = spark.createDataFrame([("Ada@Example.com ",)], "email STRING").select(
            pseudonymise.email_key(F.col("email"), pseudonymise.SecretRef("kv", "k")).alias("user_key")
        )
        # parsed, analysed, optimised and physical plans: what EXPLAIN EXTENDED and the UI show
        plans = df._jdf.queryExecution().toString()
        assert "secret(kv, k)" in plans
        assert not any(form in plans for form in _key_forms(KEY.decode("latin-1").encode("utf-8")) + _key_forms(KEY))
        expected = hmac.new(KEY.decode("latin-1").encode("utf-8"), b"ada@example.com", hashlib.sha256).hexdigest()
        assert df.first().user_key == expected
    finally:
        spark.sql("DROP TEMPORARY FUNCTION IF EXISTS secret")
        spark.sql("DROP TEMPORARY FUNCTION IF EXISTS hmac")


def test_local_pads_do_put_key_material_in_the_plan(spark):
    """Why platform.hmac_key hands out bytes only when clickstream.env is local: the pad
    method inlines key-derived literals (this test documents it and fails if that changes)."""
    df = spark.createDataFrame([("a",)], "m STRING").select(pseudonymise.hmac_sha256(F.col("m"), KEY))
    inner_pad, _ = pseudonymise._pads(KEY)
    assert inner_pad.hex()[:16].upper() in df._jdf.queryExecution().toString().upper()

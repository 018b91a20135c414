"""Pseudonymisation: the SQL HMAC is exactly RFC 2104 HMAC-SHA256, and raw e-mail is redacted."""

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


def test_redaction_removes_every_address_from_raw_text(spark):
    raw = '{"user":{"email":"ada.l+x@example.co.uk"},"note":"cc bob@test.io"}'
    out = spark.createDataFrame([(raw,)], "r STRING").select(pseudonymise.redact_emails(F.col("r"))).first()[0]
    assert not pseudonymise.contains_email(out)
    assert out.count(pseudonymise.REDACTED) == 2

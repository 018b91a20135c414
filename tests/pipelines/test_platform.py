"""The local side of clickstream/platform.py (the Databricks side needs a workspace)."""

import pytest

from pipelines.clickstream import platform
from pipelines.clickstream.settings import Settings


def test_local_rule_enforcement_drops_exactly_the_rows_breaking_a_rule(spark, monkeypatch):
    monkeypatch.delenv("DATABRICKS_RUNTIME_VERSION", raising=False)
    rules = {"positive": "COALESCE((x > 0), false)", "small": "COALESCE((x < 10), false)"}

    @platform.expect_all_or_drop(rules)
    def numbers():
        return spark.createDataFrame([(v,) for v in (-1, 1, 5, 12, None)], "x INT")

    assert sorted(r.x for r in numbers().collect()) == [1, 5]
    assert numbers.__name__ == "numbers"  # SDP names datasets after the function


def test_local_key_comes_from_the_environment_or_the_dev_key(monkeypatch):
    conf = Settings(env="local", landing_path="/x", secret_scope="", secret_key="")
    monkeypatch.delenv("DATABRICKS_RUNTIME_VERSION", raising=False)
    monkeypatch.delenv(platform.LOCAL_KEY_ENV, raising=False)
    assert platform.hmac_key(conf) == platform.LOCAL_DEV_KEY
    monkeypatch.setenv(platform.LOCAL_KEY_ENV, "my-key")
    assert platform.hmac_key(conf) == b"my-key"


def test_databricks_refuses_to_run_without_a_secret_reference(monkeypatch):
    monkeypatch.setenv("DATABRICKS_RUNTIME_VERSION", "17.3")
    conf = Settings(env="dev", landing_path="/Volumes/c/bronze/landing", secret_scope="", secret_key="")
    with pytest.raises(ValueError, match="clickstream.secret_scope"):
        platform.hmac_key(conf)
    assert platform.table_options() == {"cluster_by_auto": True}

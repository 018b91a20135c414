"""The local side of clickstream/platform.py (the Databricks side needs a workspace)."""

import sys
import types

import pytest

from pipelines.clickstream import names, platform
from pipelines.clickstream.pseudonymise import SecretRef
from pipelines.clickstream.settings import Settings, SettingsError


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
    assert platform.table_options(names.DIM_DATE) == {"cluster_by_auto": True}


SECRET_VALUE = "s3cr3t-value-never-in-messages"


def _fake_dbutils(monkeypatch, get):
    """databricks.sdk.runtime stand-in: only importable on a Databricks runtime otherwise."""
    runtime = types.ModuleType("databricks.sdk.runtime")
    runtime.dbutils = types.SimpleNamespace(secrets=types.SimpleNamespace(get=get))
    for name in ("databricks", "databricks.sdk"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "databricks.sdk.runtime", runtime)


def _cloud(env="dev", scope="kv-scope", key="hmac-key"):
    return Settings(env=env, landing_path="/Volumes/c/bronze/landing", secret_scope=scope, secret_key=key)


def test_cloud_env_returns_a_reference_to_a_readable_secret_not_its_value(monkeypatch):
    monkeypatch.setenv("DATABRICKS_RUNTIME_VERSION", "17.3")
    _fake_dbutils(monkeypatch, lambda scope, key: SECRET_VALUE)
    ref = platform.hmac_key(_cloud())
    assert ref == SecretRef("kv-scope", "hmac-key")
    assert SECRET_VALUE not in repr(ref)


def test_cloud_env_off_databricks_fails_closed_instead_of_using_the_local_key(monkeypatch):
    # A misconfigured runtime (no DATABRICKS_RUNTIME_VERSION) must not fall back to the dev key.
    monkeypatch.delenv("DATABRICKS_RUNTIME_VERSION", raising=False)
    monkeypatch.setitem(sys.modules, "databricks.sdk.runtime", None)  # import fails as off Databricks
    with pytest.raises(SettingsError, match="'prod'.*cannot be read.*only used when the env is local"):
        platform.hmac_key(_cloud(env="prod"))


@pytest.mark.parametrize(
    "get, match",
    [
        (
            lambda scope, key: (_ for _ in ()).throw(PermissionError(f"denied, value was {SECRET_VALUE}")),
            "cannot be read",
        ),
        (lambda scope, key: "", "is empty"),
    ],
)
def test_unreadable_or_empty_secret_stops_with_an_error_that_never_holds_the_value(monkeypatch, get, match):
    monkeypatch.setenv("DATABRICKS_RUNTIME_VERSION", "17.3")
    _fake_dbutils(monkeypatch, get)
    with pytest.raises(SettingsError, match=match) as err:
        platform.hmac_key(_cloud())
    assert "hmac-key" in str(err.value) and "kv-scope" in str(err.value)
    assert SECRET_VALUE not in str(err.value) and err.value.__cause__ is None
    assert err.value.__context__ is None or err.value.__suppress_context__  # no chained cause text


def test_local_env_on_a_databricks_runtime_is_refused(monkeypatch):
    monkeypatch.setenv("DATABRICKS_RUNTIME_VERSION", "17.3")
    with pytest.raises(SettingsError, match="clickstream.env is 'local' on a Databricks runtime"):
        platform.hmac_key(_cloud(env="local"))

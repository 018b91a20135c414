"""Data-quality alerts in the synthesized stacks: the SQL of pipelines/clickstream/alerts.py
on the warehouse, thresholds and schedule from the typed config, the owners notified."""

from __future__ import annotations

import pytest

from infra.config import ConfigError, load_environment
from infra.constructs.lifecycle import owner_emails
from infra.naming import Names
from pipelines.clickstream import alerts, names
from tests.conftest import EXPIRES_ON, SYNTH_ENVS
from tests.infra.synth_json import referenced, resources

pytestmark = pytest.mark.slow
ENVS = pytest.mark.parametrize("env", SYNTH_ENVS)


def _config(env):
    return load_environment(env, {"CLICKSTREAM_EXPIRES_ON": EXPIRES_ON})


def _alerts_job(doc, env) -> dict:
    config = _config(env)
    name = Names(env=env, location=config.location).alerts_job
    (job,) = [j for j in resources(doc, "databricks_job").values() if j["name"] == name]
    return job


@ENVS
def test_each_alert_runs_the_shared_sql_on_the_warehouse_with_the_configured_threshold(synthesized, env):
    doc, config = synthesized[env], _config(env)
    by_name = {a["display_name"]: a for a in resources(doc, "databricks_alert").values()}
    env_names = Names(env=env, location=config.location)
    assert len(by_name) == len(alerts.ALERTS)
    for alert in alerts.ALERTS:
        deployed = by_name[env_names.alert(alert.key)]
        condition = deployed["condition"]
        assert condition["op"] == alerts.OPERATOR and condition["operand"]["column"]["name"] == alerts.VALUE
        assert condition["threshold"]["value"]["double_value"] == getattr(config.alerts, alert.key)
        kind, query = referenced(doc, deployed["query_id"])
        assert kind == "databricks_query"
        catalog = "${" + next(f"databricks_catalog.{n}" for n in resources(doc, "databricks_catalog")) + ".name}"
        assert query["query_text"] == alert.query(f"{catalog}.{names.DQ_METRICS}")
        assert referenced(doc, query["warehouse_id"])[0] == "databricks_sql_endpoint"


@ENVS
def test_the_alert_job_evaluates_every_alert_on_schedule_and_tells_the_owners(synthesized, env):
    doc, config = synthesized[env], _config(env)
    job = _alerts_job(doc, env)
    assert job["schedule"]["quartz_cron_expression"] == config.alerts.schedule
    assert job["schedule"]["pause_status"] == ("PAUSED" if config.alerts.schedule_paused else "UNPAUSED")
    tasks = job["task"]
    assert [t["task_key"] for t in tasks] == sorted(a.key for a in alerts.ALERTS)
    for task in tasks:
        assert referenced(doc, task["sql_task"]["warehouse_id"])[0] == "databricks_sql_endpoint"
        assert referenced(doc, task["sql_task"]["alert"]["alert_id"])[0] == "databricks_alert"
        (subscription,) = task["sql_task"]["alert"]["subscriptions"]
        kind, destination = referenced(doc, subscription["destination_id"])
        assert kind == "databricks_notification_destination"
        assert destination["config"]["email"]["addresses"] == owner_emails(config)


def test_prod_alerts_run_and_ephemeral_alerts_wait_like_their_producer():
    assert not _config("prod").alerts.schedule_paused
    assert _config("pr-42").alerts.schedule_paused == _config("pr-42").producer.schedule_paused


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("quarantine_rate", 1.5, "alerts.quarantine_rate"),
        ("freshness_minutes", 0, "alerts.freshness_minutes"),
        ("schedule", "hourly", "alerts.schedule"),
    ],
)
def test_invalid_alert_settings_name_the_field(monkeypatch, tmp_path, field, value, message):
    import yaml

    from infra import config as config_mod

    raw = yaml.safe_load((config_mod.ENVIRONMENTS_DIR / "dev.yaml").read_text())
    raw["alerts"][field] = value
    (tmp_path / "dev.yaml").write_text(yaml.safe_dump(raw))
    monkeypatch.setattr(config_mod, "ENVIRONMENTS_DIR", tmp_path)
    with pytest.raises(ConfigError, match=message):
        load_environment("dev", {})

"""The local runner: spec rendering, Spark settings and refusals, without starting Spark."""

from pathlib import Path

import pytest
import yaml

from pipelines.clickstream import names
from pipelines.clickstream.settings import SettingsError, from_conf
from pipelines.runner import LocalPipeline, PipelineError


@pytest.fixture
def pipeline(tmp_path):
    jars = tmp_path / "jars"
    jars.mkdir()
    (jars / "delta-spark_4.2_2.13-4.4.0.jar").touch()
    (jars / "delta-storage-4.4.0.jar").touch()
    return LocalPipeline(landing=tmp_path / "landing", state_dir=tmp_path / "state", jars_dir=jars)


def test_spec_points_at_this_machines_landing_and_storage(pipeline):
    spec = yaml.safe_load(pipeline.write_spec().read_text())
    assert spec["storage"] == (pipeline.state_dir / "checkpoints").as_uri()
    assert spec["configuration"]["clickstream.landing_path"] == str(pipeline.landing)
    assert (pipeline.state_dir / "transformations").resolve() == Path(__file__).parents[2] / "pipelines" / "transformations"


def test_spark_settings_use_delta_a_persistent_metastore_and_the_fetched_jars(pipeline):
    conf = pipeline.spark_defaults()
    assert conf["spark.sql.catalog.spark_catalog"] == "org.apache.spark.sql.delta.catalog.DeltaCatalog"
    assert conf["spark.sql.catalogImplementation"] == "hive"
    assert conf["spark.sql.warehouse.dir"] == str(pipeline.warehouse)
    assert "delta-spark_4.2_2.13-4.4.0.jar" in conf["spark.jars"]
    env = pipeline.env()
    assert (Path(env["SPARK_CONF_DIR"]) / "spark-defaults.conf").read_text().count("spark.jars ") == 1
    assert env["PYTHONPATH"].split(":")[0] == str(Path(__file__).parents[2])


def test_full_refresh_rebuilds_silver_and_gold_but_keeps_bronze(pipeline):
    cmd = pipeline.command(Path("spec.yml"), full_refresh=True)
    refreshed = cmd[cmd.index("--full-refresh") + 1].split(",")
    assert set(refreshed) == set(names.SILVER_TABLES + names.GOLD_TABLES)
    assert "--full-refresh" not in pipeline.command(Path("spec.yml"), full_refresh=False)


def test_missing_jars_and_missing_landing_are_explained(tmp_path, pipeline):
    with pytest.raises(PipelineError, match="make jars"):
        LocalPipeline(jars_dir=tmp_path / "nothing").jars()
    with pytest.raises(PipelineError, match="produce events first"):
        pipeline.run(log=lambda line: None)


def test_settings_name_the_missing_or_bad_key():
    with pytest.raises(SettingsError, match="clickstream.landing_path"):
        from_conf(lambda key, default: default)
    conf = {"clickstream.landing_path": "/x", "clickstream.future_tolerance_minutes": "soon"}
    with pytest.raises(SettingsError, match="future_tolerance_minutes"):
        from_conf(lambda key, default: conf.get(key, default))

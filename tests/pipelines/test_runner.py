"""The local runner: spec rendering, Spark settings and refusals, without starting Spark."""

import dataclasses
from pathlib import Path

import pytest
import yaml
from pyspark.pipelines import cli

from pipelines.clickstream import names
from pipelines.clickstream.settings import SettingsError, from_conf
from pipelines.runner import NO_CODEGEN, SPEC_TEMPLATE, TRANSFORMATIONS, LocalPipeline, PipelineError


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
    assert (pipeline.state_dir / "transformations").resolve() == Path(__file__).parents[
        2
    ] / "pipelines" / "transformations"


def test_the_spec_template_cannot_be_run_as_it_is():
    # `spark-pipelines run` without --spec takes spark-pipeline.y(a)ml from the working directory or above.
    for directory in (TRANSFORMATIONS, SPEC_TEMPLATE.parent, SPEC_TEMPLATE.parents[1]):
        assert not any((directory / name).exists() for name in cli.PIPELINE_SPEC_FILE_NAMES), directory
    with pytest.raises(yaml.YAMLError):  # given with --spec: unrendered, it is not YAML
        cli.load_pipeline_spec(SPEC_TEMPLATE)


def test_spark_settings_use_delta_a_persistent_metastore_and_the_fetched_jars(pipeline):
    conf = pipeline.spark_defaults()
    assert conf["spark.sql.catalog.spark_catalog"] == "org.apache.spark.sql.delta.catalog.DeltaCatalog"
    assert conf["spark.sql.catalogImplementation"] == "hive"
    assert conf["spark.sql.warehouse.dir"] == str(pipeline.warehouse)
    assert "delta-spark_4.2_2.13-4.4.0.jar" in conf["spark.jars"]
    env = pipeline.env()
    assert (Path(env["SPARK_CONF_DIR"]) / "spark-defaults.conf").read_text().count("spark.jars ") == 1
    assert env["PYTHONPATH"].split(":")[0] == str(Path(__file__).parents[2])


def test_codegen_is_on_by_default_and_off_only_when_asked(pipeline):
    # Real volumes (demo, bench) compile generated code; the tests' small inputs evaluate
    # interpreted, in the pipeline's server and in the classic session alike.
    assert not NO_CODEGEN.keys() & pipeline.spark_defaults().keys()
    interpreted = dataclasses.replace(pipeline, codegen=False)
    assert NO_CODEGEN.items() <= interpreted.spark_defaults().items()
    assert "NO_CODEGEN" in (Path(interpreted.env()["SPARK_CONF_DIR"]) / "spark-defaults.conf").read_text()


def test_full_refresh_rebuilds_silver_and_gold_but_keeps_bronze(pipeline):
    cmd = pipeline.command(Path("spec.yml"), full_refresh=True)
    refreshed = cmd[cmd.index("--full-refresh") + 1].split(",")
    assert set(refreshed) == set(names.SILVER_TABLES + names.GOLD_TABLES)
    assert "--full-refresh" not in pipeline.command(Path("spec.yml"), full_refresh=False)


def test_check_dry_runs_the_graph_in_its_own_state_dir(pipeline, monkeypatch):
    seen = []
    monkeypatch.setattr(
        LocalPipeline,
        "_invoke",
        lambda self, env, command, *, verb, log: (
            seen.append((self, command)) or (self.state_dir / "last-run.log", None)
        ),
    )
    pipeline.landing.mkdir(parents=True)
    result = pipeline.check(log=lambda line: None)
    checker, command = seen[0]
    assert command[1] == "dry-run" and "--full-refresh" not in command
    assert checker.state_dir == pipeline.check_state_dir != pipeline.state_dir
    assert (checker.state_dir / "spark-pipeline.yml").is_file() and not pipeline.state_dir.exists()
    assert result.log_path.parent == pipeline.check_state_dir


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


class FakeServer:
    """Stands in for ConnectServer: counts how many servers start and stop."""

    started: list["FakeServer"] = []

    def __init__(self, spark_home, env, cwd, log_path):
        self.url, self.updates, self.started_in, self.stopped = "sc://127.0.0.1:1", 0, 1.5, False

    def __enter__(self):
        FakeServer.started.append(self)
        return self

    def __exit__(self, *exc):
        self.stopped = True


@pytest.fixture
def recorded_runs(pipeline, monkeypatch):
    """``pipeline`` with Spark replaced by a counter: each real update bumps ``calls``."""
    from pipelines import runner

    calls = []
    FakeServer.started = []
    monkeypatch.setattr(runner, "ConnectServer", FakeServer)
    monkeypatch.setattr(pipeline, "create_schemas", lambda server, env, log: None)

    def invoke(env, command, *, verb, log):
        assert env["SPARK_REMOTE"] == "sc://127.0.0.1:1" and command[1].endswith("cli.py")
        calls.append("--full-refresh" in command)
        (pipeline.state_dir / "checkpoints").mkdir(parents=True, exist_ok=True)
        (pipeline.state_dir / "checkpoints" / f"commit-{len(calls)}").write_text("x")
        return pipeline.state_dir / "last-run.log", None

    monkeypatch.setattr(pipeline, "_invoke", invoke)
    pipeline.landing.mkdir(parents=True)
    (pipeline.landing / "events-1.jsonl").write_text("{}\n")
    return calls


def test_an_update_with_nothing_new_is_skipped_without_starting_spark(pipeline, recorded_runs):
    assert not pipeline.run(log=lambda line: None).skipped
    lines = []
    again = pipeline.run(log=lines.append)
    assert again.skipped and recorded_runs == [False]
    assert "nothing new" in lines[0]


def test_a_new_landing_file_a_changed_checkpoint_or_force_runs_the_update(pipeline, recorded_runs):
    quiet = lambda line: None  # noqa: E731
    pipeline.run(log=quiet)
    (pipeline.landing / "events-2.jsonl").write_text("{}\n")
    assert not pipeline.run(log=quiet).skipped
    (pipeline.state_dir / "checkpoints" / "offsets-left-by-a-killed-update").write_text("x")
    assert not pipeline.run(log=quiet).skipped
    assert not pipeline.run(force=True, log=quiet).skipped
    assert not pipeline.run(full_refresh=True, log=quiet).skipped
    assert recorded_runs == [False, False, False, False, True]


def test_an_update_that_fails_never_lets_the_next_one_skip(pipeline, recorded_runs, monkeypatch):
    quiet = lambda line: None  # noqa: E731
    pipeline.run(log=quiet)

    def dies(env, command, *, verb, log):
        raise PipelineError("killed")

    monkeypatch.setattr(pipeline, "_invoke", dies)
    with pytest.raises(PipelineError):
        pipeline.run(force=True, log=quiet)
    assert not pipeline.inputs_record.exists()


def test_a_code_change_runs_the_update(pipeline, recorded_runs, monkeypatch, tmp_path):
    from pipelines import runner

    code = tmp_path / "code"
    code.mkdir()
    (code / "flow.py").write_text("a = 1\n")
    monkeypatch.setattr(runner, "CODE_DIRS", (code,))
    quiet = lambda line: None  # noqa: E731
    pipeline.run(log=quiet)
    (code / "flow.py").write_text("a = 2\n")
    assert not pipeline.run(log=quiet).skipped


def test_updates_inside_serving_share_one_server_and_a_lone_update_stops_its_own(pipeline, recorded_runs):
    quiet = lambda line: None  # noqa: E731
    with pipeline.serving():
        first = pipeline.run(log=quiet)
        second = pipeline.run(force=True, log=quiet)
        assert len(FakeServer.started) == 1 and not FakeServer.started[0].stopped
    assert FakeServer.started[0].stopped
    assert (first.server_start_s, second.server_start_s) == (1.5, 0.0)  # only the first paid the start
    pipeline.run(force=True, log=quiet)
    assert len(FakeServer.started) == 2 and FakeServer.started[1].stopped


def test_the_timeline_splits_an_update_into_phases_and_flows(monkeypatch):
    from pipelines.local import timeline as tl

    clock = iter(range(100))
    monkeypatch.setattr(tl.time, "monotonic", lambda: float(next(clock)))
    t = tl.Timeline(cpu=tl.CpuSampler(interval=3600))  # origin 0; the sampler never samples
    for line in (
        "2026-12-03 12:00:00: Creating Spark session...",  # 1
        "2026-12-03 12:00:00: Registering graph elements...",  # 2
        "2026-12-03 12:00:00: Starting run...",  # 3
        "2026-12-03 12:00:00: Flow spark_catalog.silver.events is QUEUED.",  # 4
        "2026-12-03 12:00:00: Flow spark_catalog.silver.events is RUNNING.",  # 5
        "2026-12-03 12:00:00: Flow spark_catalog.silver.events has COMPLETED.",  # 6
        "2026-12-03 12:00:00: Run is COMPLETED.",  # 7
    ):
        t.record(line)
    t.finish()  # 8
    assert t.phases() == [("launch", 1.0), ("session", 1.0), ("register", 1.0), ("start run", 1.0),
                          ("flows", 3.0), ("done", 1.0)]  # fmt: skip
    flow = t.flows["silver.events"]
    assert (flow.wait_s, flow.run_s, flow.state) == (1.0, 1.0, "COMPLETED")
    assert "silver.events" in t.report()

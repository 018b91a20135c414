"""Run the pipeline locally with open-source Spark Declarative Pipelines: the Python API.

``LocalPipeline(...).run()`` wraps ``spark-pipelines run`` with what a fresh checkout
lacks: Delta jars and settings in a private SPARK_CONF_DIR (the pipeline's Spark Connect
server is a second JVM that only reads confs from there, not from --jars), a persistent
Hive metastore + warehouse under the state directory (a second run then only processes
new files), the bronze/silver/gold schemas (SDP may not create schemas itself), and the
repository root on PYTHONPATH (``import contract``, ``from pipelines.clickstream ...``).

An update is four named steps (``run``): skip it when nothing is new, make sure a Spark
Connect server is up (``serving()`` keeps one across several updates: the demo, the tests
and the bench; a lone ``run()`` starts and stops its own), create the schemas on the first
run, then run the pipelines CLI against that server while stamping its output
(``pipelines/local/timeline.py``: phases, each flow's wait and run, CPU use).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import pyspark
from deltalake import DeltaTable

from pipelines.clickstream import names
from pipelines.local import fingerprint
from pipelines.local.server import ConnectServer, ServerError
from pipelines.local.timeline import Timeline

REPO_ROOT = Path(__file__).resolve().parents[1]
SPARK_HOME = Path(pyspark.__file__).parent
PIPELINES_CLI = SPARK_HOME / "pipelines" / "cli.py"
SPEC_TEMPLATE = REPO_ROOT / "pipelines" / "spark-pipeline.yml.j2"
TRANSFORMATIONS = REPO_ROOT / "pipelines" / "transformations"
DEFAULT_STATE = REPO_ROOT / ".local" / "pipeline"
DEFAULT_LANDING = REPO_ROOT / ".local" / "landing"
DEFAULT_JARS = REPO_ROOT / ".local" / "jars"
# Tables rebuilt by a full refresh: everything downstream of bronze (bronze keeps its
# ingest times, so rules judged against them give the same verdicts on a rebuild).
REFRESHABLE = names.SILVER_TABLES + names.GOLD_TABLES
# What an update reads besides the landing files and its own state: the pipeline's code.
CODE_DIRS = (TRANSFORMATIONS, REPO_ROOT / "pipelines" / "clickstream", REPO_ROOT / "contract")


# Interpreted evaluation: no whole-stage code generation, no generated expression classes
# (Spark's factoryMode; the results are the same, only the evaluation differs).
NO_CODEGEN = {"spark.sql.codegen.wholeStage": "false", "spark.sql.codegen.factoryMode": "NO_CODEGEN"}


class PipelineError(RuntimeError):
    """The local run could not start or failed; the message says what to do."""


@dataclass
class RunResult:
    seconds: float
    log_path: Path  # the update's full log; a failed update raises PipelineError instead
    skipped: bool = False  # nothing new since the last successful update: Spark not started
    timeline: Timeline | None = None  # where the time went (None when skipped)
    server_start_s: float = 0.0  # starting the Spark Connect server, when this update had to


@dataclass
class LocalPipeline:
    landing: Path = DEFAULT_LANDING
    state_dir: Path = DEFAULT_STATE
    jars_dir: Path = DEFAULT_JARS
    driver_memory: str = "2g"
    shuffle_partitions: int = 4
    # False: Spark evaluates expressions interpreted instead of compiling generated Java for
    # every query. On a few thousand rows (the tests) compiling costs more than it saves: a
    # quarter of an update's CPU. Keep True for real volumes (the demo, the bench).
    codegen: bool = True
    extra_conf: dict[str, str] = field(default_factory=dict)
    _kept: contextlib.ExitStack | None = field(default=None, init=False, repr=False, compare=False)
    _server: ConnectServer | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.landing, self.state_dir, self.jars_dir = (
            Path(p).resolve() for p in (self.landing, self.state_dir, self.jars_dir)
        )

    # -- layout -----------------------------------------------------------------------
    @property
    def warehouse(self) -> Path:
        return self.state_dir / "warehouse"

    @property
    def inputs_record(self) -> Path:
        return self.state_dir / "last-update-inputs.json"

    def table_dir(self, table: str) -> Path:
        schema, name = table.split(".")
        return self.warehouse / f"{schema}.db" / name

    def jars(self) -> list[Path]:
        jars = sorted(self.jars_dir.glob("delta-*.jar"))
        if not any(j.name.startswith("delta-spark") for j in jars):
            raise PipelineError(f"no Delta jars in {self.jars_dir}: run `make jars` (fetches them from Maven Central)")
        return jars

    def spark_defaults(self) -> dict[str, str]:
        conf = {
            "spark.jars": ",".join(str(j) for j in self.jars()),
            "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
            "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
            "spark.sql.catalogImplementation": "hive",
            "spark.sql.warehouse.dir": str(self.warehouse),
            "spark.sql.sources.default": "delta",
            "spark.sql.session.timeZone": "UTC",
            "spark.sql.shuffle.partitions": str(self.shuffle_partitions),
            # SDP commits table metadata to all 15 tables at the start of every update, so
            # Delta's per-commit work is paid 15 times even when no data arrived: rebuild a
            # snapshot with one task (default 50) and skip the optional checksum file
            # (one more state reconstruction per commit). Saves ~10% of an empty update.
            "spark.databricks.delta.snapshotPartitions": "1",
            "spark.databricks.delta.writeChecksumFile.enabled": "false",
            # No per-column min/max statistics (data skipping, useless on tables this small):
            # every write skips that aggregation. numRecords stays, row_counts reads it.
            "spark.databricks.delta.properties.defaults.dataSkippingNumIndexedCols": "0",
            "spark.driver.memory": self.driver_memory,
            "spark.driver.extraJavaOptions": f"-Dderby.system.home={self.state_dir / 'metastore'}",
            "spark.ui.enabled": "false",
            # The pipeline's Spark Connect server: loopback only.
            "spark.connect.grpc.binding.address": "127.0.0.1",
        }
        return conf | self._codegen_conf() | self.extra_conf

    def _codegen_conf(self) -> dict[str, str]:
        return {} if self.codegen else NO_CODEGEN

    def spark_session(self, app: str):
        """A classic local session (no Spark Connect, no metastore) that reads this
        pipeline's Delta tables by path: tests and the demo's alert evaluation."""
        from pyspark.sql import SparkSession

        defaults = self.spark_defaults()
        builder = (
            SparkSession.builder.master("local[1]")
            .appName(app)
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")  # no progress bars in the demo's output
            .config("spark.sql.shuffle.partitions", "1")
            .config("spark.sql.session.timeZone", "UTC")
        )
        for key in (
            "spark.jars",
            "spark.sql.extensions",
            "spark.sql.catalog.spark_catalog",
            "spark.databricks.delta.snapshotPartitions",
        ):
            builder = builder.config(key, defaults[key])
        for key, value in self._codegen_conf().items():
            builder = builder.config(key, value)
        return builder.getOrCreate()

    def env(self) -> dict[str, str]:
        conf_dir = self.state_dir / "conf"
        conf_dir.mkdir(parents=True, exist_ok=True)
        lines = [f"{k} {v}" for k, v in self.spark_defaults().items()]
        (conf_dir / "spark-defaults.conf").write_text("\n".join(lines) + "\n")
        (conf_dir / "log4j2.properties").write_text(LOG4J2)
        env = dict(os.environ)
        env.update(
            SPARK_HOME=str(SPARK_HOME),
            SPARK_CONF_DIR=str(conf_dir),
            PYSPARK_PYTHON=sys.executable,
            PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")])),
            PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
            # The only switch pyspark 4.2 has for an ephemeral Spark Connect port (it then asks
            # the JVM which port it got); without it every local run binds 15002 and two runs
            # (tests + `make pipeline`, or two engineers) collide with a BindException.
            SPARK_TESTING="1",
            PYTHONUNBUFFERED="1",  # the CLI's lines arrive as they happen: the timeline stamps them
        )
        return env

    def write_spec(self) -> Path:
        """Render the spec next to a link to the transformations (SDP globs relative to it)."""
        template = jinja2.Template(
            SPEC_TEMPLATE.read_text(), undefined=jinja2.StrictUndefined, keep_trailing_newline=True
        )
        spec = template.render(storage=(self.state_dir / "checkpoints").as_uri(), landing=str(self.landing))
        self.state_dir.mkdir(parents=True, exist_ok=True)
        link = self.state_dir / "transformations"
        if not link.is_symlink():
            link.symlink_to(TRANSFORMATIONS, target_is_directory=True)
        path = self.state_dir / "spark-pipeline.yml"
        path.write_text(spec)
        return path

    # -- running ----------------------------------------------------------------------
    @contextlib.contextmanager
    def serving(self) -> Iterator[None]:
        """Inside the block, the first update starts a Spark Connect server and the later ones
        reuse it; it stops when the block ends (outside one, each update has its own)."""
        if self._kept is not None:
            yield
            return
        with contextlib.ExitStack() as kept:
            self._kept = kept
            try:
                yield
            finally:
                self._kept, self._server = None, None

    @property
    def server(self) -> ConnectServer | None:
        """The server ``serving()`` keeps, once an update has started it."""
        return self._server

    def _connect(self, own: contextlib.ExitStack, env: dict[str, str], log: Callable[[str], None]) -> ConnectServer:
        """The kept server, or a new one: kept by ``serving()``, else stopped with ``own``."""
        if self._server is not None:
            return self._server
        log("pipeline: starting the Spark Connect server")
        server = ConnectServer(SPARK_HOME, env, self.state_dir, self.state_dir / "server.log")
        try:
            (self._kept or own).enter_context(server)
        except ServerError as err:
            raise PipelineError(str(err)) from None
        if self._kept is not None:
            self._server = server
        return server

    def create_schemas(self, server: ConnectServer, env: dict[str, str], log: Callable[[str], None]) -> None:
        """Create the schemas once: SDP may not run CREATE SCHEMA inside a pipeline."""
        if all((self.warehouse / f"{s}.db").is_dir() for s in names.SCHEMAS):
            return
        log(f"creating schemas {', '.join(names.SCHEMAS)} in the local metastore (first run only)")
        command = [sys.executable, "-m", "pipelines.local.schemas", server.url, *names.SCHEMAS]
        done = subprocess.run(command, env=env, cwd=REPO_ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            raise PipelineError(f"creating the schemas failed:\n{done.stderr[-3000:]}")

    def command(self, spec: Path, *, full_refresh: bool, verb: str = "run", remote: str | None = None) -> list[str]:
        """The pipelines CLI: against the server at ``remote``, or standalone (``spark-pipelines``,
        which starts a server of its own)."""
        if remote:
            cmd = [sys.executable, str(PIPELINES_CLI), verb, "--spec", str(spec)]
        else:
            cmd = [str(SPARK_HOME / "bin" / "spark-pipelines"), verb, "--spec", str(spec)]
        if full_refresh:
            cmd += ["--full-refresh", ",".join(REFRESHABLE)]
        return cmd

    @property
    def check_state_dir(self) -> Path:
        # Its own metastore: a check must not wait for (or lock) the Derby of a running update.
        return self.state_dir.with_name(self.state_dir.name + "-check")

    def check(self, log: Callable[[str], None] = print) -> RunResult:
        """Validate the dataflow graph without reading or writing data (``spark-pipelines
        dry-run``): every transformation imports, every dataset resolves, no cycle. Raises
        PipelineError with the log's tail when the graph is invalid."""
        self._require_landing()
        started = time.monotonic()
        checker = dataclasses.replace(self, state_dir=self.check_state_dir)
        command = checker.command(checker.write_spec(), full_refresh=False, verb="dry-run")
        log_path, timeline = checker._invoke(checker.env(), command, verb="dry-run", log=log)
        return RunResult(time.monotonic() - started, log_path, timeline=timeline)

    def run(self, *, full_refresh: bool = False, force: bool = False, log: Callable[[str], None] = print) -> RunResult:
        """One pipeline update. Raises PipelineError (with the log's tail) if it fails.

        ``full_refresh`` rebuilds silver and gold from bronze (bronze keeps its files'
        offsets, so nothing is ingested twice). An update that would read nothing new
        (same landing files, checkpoints, tables and code as after the last successful
        update) is skipped without starting Spark, unless ``force``.
        """
        self._require_landing()
        started = time.monotonic()
        if not (full_refresh or force) and self._nothing_new():
            log(
                "pipeline: nothing new since the last update (landing files, checkpoints and code unchanged); "
                "skipped without starting Spark (force=True / --force runs it anyway)"
            )
            return RunResult(time.monotonic() - started, self.state_dir / "last-run.log", skipped=True)
        spec, env = self.write_spec(), self.env()  # env() writes the Spark conf files: once per update
        with contextlib.ExitStack() as own:
            server = self._connect(own, env, log)
            server_start_s = server.started_in if server.updates == 0 else 0.0
            self.create_schemas(server, env, log)
            # Forget the record first: an update that dies halfway must not let the next one skip.
            self.inputs_record.unlink(missing_ok=True)
            command = self.command(spec, full_refresh=full_refresh, remote=server.url)
            log_path, timeline = self._invoke(env | {"SPARK_REMOTE": server.url}, command, verb="run", log=log)
            server.updates += 1
        self.inputs_record.write_text(json.dumps(self.inputs_fingerprint()))
        return RunResult(time.monotonic() - started, log_path, timeline=timeline, server_start_s=server_start_s)

    def _require_landing(self) -> None:
        if not self.landing.is_dir():
            raise PipelineError(
                f"landing directory {self.landing} does not exist: produce events first "
                f"(python -m producer --sink local)"
            )

    def inputs_fingerprint(self) -> dict[str, str]:
        """Digests of everything an update depends on: landing files and the pipeline's state
        (checkpoints, tables: names, sizes and mtimes), and the code's content."""
        return {
            "landing": fingerprint.listing_digest(self.landing),
            "state": fingerprint.listing_digest(self.state_dir / "checkpoints", self.warehouse),
            "code": fingerprint.content_digest(*CODE_DIRS, SPEC_TEMPLATE),
        }

    def _nothing_new(self) -> bool:
        try:
            recorded = json.loads(self.inputs_record.read_text())
        except (OSError, ValueError):
            return False
        return recorded == self.inputs_fingerprint()

    def _invoke(self, env: dict[str, str], command: list[str], *, verb: str, log) -> tuple[Path, Timeline]:
        """Run the CLI; every line goes to the log file and the timeline, progress to ``log``."""
        log_path = self.state_dir / "last-run.log"
        timeline = Timeline()
        with log_path.open("w") as out:
            proc = subprocess.Popen(
                command,
                env=env,
                cwd=self.state_dir,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                bufsize=1,
            )
            for line in proc.stdout:
                timeline.record(line)
                out.write(line)
                if _is_progress(line):
                    log(line.rstrip())
            proc.wait()
        timeline.finish()
        if proc.returncode != 0:
            tail = "".join(log_path.read_text().splitlines(keepends=True)[-30:])
            raise PipelineError(f"spark-pipelines {verb} failed (exit {proc.returncode}); log: {log_path}\n{tail}")
        return log_path, timeline

    def reset(self) -> None:
        """Forget every table and checkpoint (the landing directory is kept)."""
        shutil.rmtree(self.state_dir, ignore_errors=True)

    # -- reading results without Spark (delta-rs: no JVM start-up, ~15 s) ---------------
    def row_counts(self) -> dict[str, int]:
        """Rows per existing table, from the live files' statistics (no data file is read)."""
        return {t: _row_count(self.table_dir(t)) for t in names.ALL_TABLES if self.table_dir(t).exists()}

    def read_rows(self, table: str) -> list[dict]:
        """All rows of a (small) table as dicts."""
        return DeltaTable(self.table_dir(table)).to_pyarrow_table().to_pylist()

    def quality_totals(self) -> dict[tuple[str, str, str, str | None], int]:
        """dq_metrics summed over updates: (feed, layer, metric, rule) -> rows."""
        totals: dict = {}
        for row in self.read_rows(names.DQ_METRICS):
            key = (row["feed"], row["layer"], row["metric"], row["rule"])
            totals[key] = totals.get(key, 0) + row["rows"]
        return totals


def _row_count(table_dir: Path) -> int:
    # DeltaTable.count() skips files without statistics (an undercount); say so instead.
    counts = DeltaTable(table_dir).get_add_actions().column("num_records").to_pylist()
    if None in counts:
        raise PipelineError(f"{table_dir}: a live file has no numRecords statistic")
    return sum(counts)


# The JVMs' own logging: warnings and errors only. Spark's default is INFO, which made a
# kept server write ~6 MB per small update and costs CPU the updates need.
LOG4J2 = """rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = stderr
appender.stderr.type = Console
appender.stderr.name = stderr
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
"""

PROGRESS_WORDS = ("Creating Spark session", "Starting run", "has COMPLETED", "FAILED", "Run is")


def _is_progress(line: str) -> bool:
    # SDP's own lines start with a timestamp ("2026-11-26 18:35:41: Flow ... has COMPLETED.");
    # per flow, only its outcome is worth a line (QUEUED/PLANNING/STARTING/RUNNING are noise).
    return line[:4].isdigit() and line[4:5] == "-" and any(w in line for w in PROGRESS_WORDS)

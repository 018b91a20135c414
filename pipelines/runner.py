"""Run the pipeline locally with open-source Spark Declarative Pipelines: the Python API.

``LocalPipeline(...).run()`` wraps ``spark-pipelines run`` with what a fresh checkout
lacks: Delta jars and settings in a private SPARK_CONF_DIR (the pipeline's Spark Connect
server is a second JVM that only reads confs from there, not from --jars), a persistent
Hive metastore + warehouse under the state directory (a second run then only processes
new files), the bronze/silver/gold schemas (SDP may not create schemas itself), and the
repository root on PYTHONPATH (``import contract``, ``from pipelines.clickstream ...``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import pyspark
from deltalake import DeltaTable

from pipelines.clickstream import names

REPO_ROOT = Path(__file__).resolve().parents[1]
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


class PipelineError(RuntimeError):
    """The local run could not start or failed; the message says what to do."""


@dataclass
class RunResult:
    seconds: float
    log_path: Path  # the update's full log; a failed update raises PipelineError instead
    skipped: bool = False  # nothing new since the last successful update: Spark not started


@dataclass
class LocalPipeline:
    landing: Path = DEFAULT_LANDING
    state_dir: Path = DEFAULT_STATE
    jars_dir: Path = DEFAULT_JARS
    driver_memory: str = "2g"
    shuffle_partitions: int = 4
    extra_conf: dict[str, str] = field(default_factory=dict)

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
            "spark.driver.memory": self.driver_memory,
            "spark.driver.extraJavaOptions": f"-Dderby.system.home={self.state_dir / 'metastore'}",
            "spark.ui.enabled": "false",
            # The pipeline's Spark Connect server: loopback only.
            "spark.connect.grpc.binding.address": "127.0.0.1",
        }
        return conf | self.extra_conf

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
        return builder.getOrCreate()

    def env(self) -> dict[str, str]:
        conf_dir = self.state_dir / "conf"
        conf_dir.mkdir(parents=True, exist_ok=True)
        lines = [f"{k} {v}" for k, v in self.spark_defaults().items()]
        (conf_dir / "spark-defaults.conf").write_text("\n".join(lines) + "\n")
        env = dict(os.environ)
        env.update(
            SPARK_HOME=str(Path(pyspark.__file__).parent),
            SPARK_CONF_DIR=str(conf_dir),
            PYSPARK_PYTHON=sys.executable,
            PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")])),
            PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
            # The only switch pyspark 4.2 has for an ephemeral Spark Connect port (it then asks
            # the JVM which port it got); without it every local run binds 15002 and two runs
            # (tests + `make pipeline`, or two engineers) collide with a BindException.
            SPARK_TESTING="1",
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
    def bootstrap(self, env: dict[str, str], log: Callable[[str], None]) -> None:
        """Create the schemas once: SDP may not run CREATE SCHEMA inside a pipeline."""
        if all((self.warehouse / f"{s}.db").is_dir() for s in names.SCHEMAS):
            return
        log(f"creating schemas {', '.join(names.SCHEMAS)} in the local metastore (first run only)")
        statements = "; ".join(f"CREATE SCHEMA IF NOT EXISTS {s}" for s in names.SCHEMAS)
        spark_sql = Path(env["SPARK_HOME"]) / "bin" / "spark-sql"
        done = subprocess.run(
            [str(spark_sql), "-e", statements], env=env, cwd=self.state_dir, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise PipelineError(f"creating the schemas failed:\n{done.stderr[-3000:]}")

    def command(self, spec: Path, *, full_refresh: bool, verb: str = "run") -> list[str]:
        cmd = [str(Path(pyspark.__file__).parent / "bin" / "spark-pipelines"), verb, "--spec", str(spec)]
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
        if not self.landing.is_dir():
            raise PipelineError(
                f"landing directory {self.landing} does not exist: produce events first "
                f"(python -m producer --sink local)"
            )
        started = time.monotonic()
        checker = dataclasses.replace(self, state_dir=self.check_state_dir)
        command = checker.command(checker.write_spec(), full_refresh=False, verb="dry-run")
        log_path = checker._invoke(checker.env(), command, log=log)
        return RunResult(time.monotonic() - started, log_path)

    def run(self, *, full_refresh: bool = False, force: bool = False, log: Callable[[str], None] = print) -> RunResult:
        """One pipeline update. Raises PipelineError (with the log's tail) if it fails.

        ``full_refresh`` rebuilds silver and gold from bronze (bronze keeps its files'
        offsets, so nothing is ingested twice). An update that would read nothing new
        (same landing files, checkpoints, tables and code as after the last successful
        update) is skipped without starting Spark, unless ``force``.
        """
        if not self.landing.is_dir():
            raise PipelineError(
                f"landing directory {self.landing} does not exist: produce events first "
                f"(python -m producer --sink local)"
            )
        started = time.monotonic()
        if not (full_refresh or force) and self._nothing_new():
            log(
                "pipeline: nothing new since the last update (landing files, checkpoints and code unchanged); "
                "skipped without starting Spark (force=True / --force runs it anyway)"
            )
            return RunResult(time.monotonic() - started, self.state_dir / "last-run.log", skipped=True)
        env = self.env()
        spec = self.write_spec()
        self.bootstrap(env, log)
        # Forget the record first: an update that dies halfway must not let the next one skip.
        self.inputs_record.unlink(missing_ok=True)
        log_path = self._invoke(env, self.command(spec, full_refresh=full_refresh), log=log)
        self.inputs_record.write_text(json.dumps(self.inputs_fingerprint()))
        return RunResult(time.monotonic() - started, log_path)

    def inputs_fingerprint(self) -> dict[str, str]:
        """Digests of everything an update depends on: landing files and the pipeline's state
        (checkpoints, tables: names, sizes and mtimes), and the code's content."""
        return {
            "landing": _listing_digest(self.landing),
            "state": _listing_digest(self.state_dir / "checkpoints", self.warehouse),
            "code": _content_digest(*CODE_DIRS, SPEC_TEMPLATE),
        }

    def _nothing_new(self) -> bool:
        try:
            recorded = json.loads(self.inputs_record.read_text())
        except (OSError, ValueError):
            return False
        return recorded == self.inputs_fingerprint()

    def _invoke(self, env: dict[str, str], command: list[str], *, log) -> Path:
        log_path = self.state_dir / "last-run.log"
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
                out.write(line)
                if _is_progress(line):
                    log(line.rstrip())
            proc.wait()
        if proc.returncode != 0:
            tail = "".join(log_path.read_text().splitlines(keepends=True)[-30:])
            raise PipelineError(
                f"spark-pipelines {command[1]} failed (exit {proc.returncode}); log: {log_path}\n{tail}"
            )
        return log_path

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


def _files(*roots: Path) -> list[Path]:
    """Every file under ``roots`` (a root may be a file itself), in a stable order."""
    found = [root for root in roots if root.is_file()]
    found += [p for root in roots if root.is_dir() for p in root.rglob("*") if p.is_file()]
    return sorted(p for p in found if "__pycache__" not in p.parts)


def _listing_digest(*roots: Path) -> str:
    """Names, sizes and modification times: a new, grown or rewritten file changes it."""
    digest = hashlib.sha256()
    for path in _files(*roots):
        stat = path.stat()
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _content_digest(*roots: Path) -> str:
    digest = hashlib.sha256()
    for path in _files(*roots):
        digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


PROGRESS_WORDS = ("Creating Spark session", "Starting run", "has COMPLETED", "FAILED", "Run is")


def _is_progress(line: str) -> bool:
    # SDP's own lines start with a timestamp ("2026-11-26 18:35:41: Flow ... has COMPLETED.");
    # per flow, only its outcome is worth a line (QUEUED/PLANNING/STARTING/RUNNING are noise).
    return line[:4].isdigit() and line[4:5] == "-" and any(w in line for w in PROGRESS_WORDS)

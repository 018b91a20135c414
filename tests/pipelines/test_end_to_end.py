"""End to end on producer output: `spark-pipelines run` over landed files, several updates.

One shared scenario keeps the number of pipeline runs low (four updates on two Spark Connect
servers; the first server is SIGKILLed during the second update):
  produce A (+ a hand-written CDC file, + events with planted identifiers in every
  free-text field) -> run 1 -> produce B (+ late CDC) -> run 2 killed midway
  -> run 2 again -> full refresh (run 3).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyspark.sql import functions as F

from contract import EVENTS_FEED, USER_CHANGES_FEED
from pipelines.clickstream import names
from pipelines.clickstream.privacy import EMAIL_RE
from pipelines.runner import LocalPipeline
from tests.pipelines import planted

pytestmark = pytest.mark.slow

QUARANTINED_DEFECTS = ("malformed_json", "missing_required", "wrong_type", "unknown_event_type", "future_ts")
DUPLICATE_DEFECTS = ("duplicate", "replayed_id")
# Hand-written CDC for two users, arriving out of order across two updates.
CDC_RUN_1 = [  # (user, op, sequence, plan)
    ("scd-u1", "upsert", 1, "free"),
    ("scd-u1", "upsert", 3, "team"),
    ("scd-u2", "upsert", 1, "free"),
    ("scd-u2", "delete", 5, None),
]
CDC_RUN_2 = [
    ("scd-u1", "upsert", 2, "pro"),  # late: belongs between 1 and 3
    ("scd-u2", "upsert", 3, "pro"),  # late: before the delete
    ("scd-u2", "upsert", 7, "pro"),
]  # re-sign-up after the delete


@dataclass
class Produced:
    lines: int = 0
    change_lines: int = 0
    quarantined: int = 0
    duplicates: int = 0
    silver: int = 0

    def add(self, summary) -> None:
        self.lines += summary.lines["events"]
        self.change_lines += summary.lines[USER_CHANGES_FEED]
        self.quarantined += sum(summary.defects[k] for k in QUARANTINED_DEFECTS)
        self.duplicates += sum(summary.defects[k] for k in DUPLICATE_DEFECTS)
        self.silver += summary.valid_unique_events - summary.defects["future_ts"]

    def add_valid(self, lines: int) -> None:
        self.lines += lines
        self.silver += lines


def produce(landing: Path, events: int, seed: int):
    from producer.config import ProducerConfig
    from producer.runner import run

    return run(ProducerConfig(events=events, seed=seed, root=landing, events_per_file=1_000))


def write_cdc(landing: Path, name: str, changes) -> None:
    folder = landing / USER_CHANGES_FEED / "2026" / "11" / "26" / "00"
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        json.dumps(
            {
                "change_id": f"{name}-{i}",
                "user_id": u,
                "op": op,
                "sequence": seq,
                "changed_at": "2026-11-26T00:00:00Z",
                "email": f"{u}@example.com",
                "country": "FR",
                "plan": plan,
                "schema_version": 1,
            }
        )
        for i, (u, op, seq, plan) in enumerate(changes)
    ]
    (folder / f"{name}.json").write_text("\n".join(lines) + "\n")


def write_planted(landing: Path, count: int) -> int:
    """Valid events whose free-text fields and an unknown field carry identifiers."""
    folder = landing / EVENTS_FEED / "2026" / "11" / "26" / "00"
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(planted.event(f"0a1b2c3d-0000-8000-8000-{n:012d}")) for n in range(count)]
    (folder / "planted.json").write_text("\n".join(lines) + "\n")
    return count


def read(spark, pipeline: LocalPipeline, table: str):
    return spark.read.format("delta").load(str(pipeline.table_dir(table)))


def snapshot(spark, pipeline, tables):
    """Per table: row count and an order-independent sum of row hashes (cheaper than
    collecting every row, and any changed value changes it)."""
    out = {}
    for table in tables:
        df = read(spark, pipeline, table)
        row_hash = F.xxhash64(F.to_json(F.struct(*df.columns))).cast("decimal(38,0)")
        out[table] = tuple(df.agg(F.count("*"), F.sum(row_hash)).first())
    return out


def kill_midway(pipeline: LocalPipeline, marker: str, timeout: float = 600) -> None:
    """Start an update on the kept server; SIGKILL the server, then the CLI, once `marker` shows
    in the log: the process that writes the tables dies mid-flow, as in a crash."""
    server = pipeline.server
    assert server is not None, "kill_midway needs a server kept by pipeline.serving()"
    log = pipeline.state_dir / "killed-run.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            pipeline.command(pipeline.write_spec(), full_refresh=False, remote=server.url),
            env=pipeline.env() | {"SPARK_REMOTE": server.url},
            cwd=pipeline.state_dir,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while marker not in log.read_text() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        still_running = proc.poll() is None
        server.kill()
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert still_running, f"the update ended before it could be killed; see {log}"


@pytest.fixture(scope="session")
def scenario(tmp_path_factory, spark):
    root = tmp_path_factory.mktemp("e2e")
    landing = root / "landing"
    pipeline = LocalPipeline(landing=landing, state_dir=root / "state", codegen=False)
    produced = Produced()
    log = lambda line: None  # noqa: E731 - keep the test output quiet

    with pipeline.serving():  # one Spark Connect server for run 1 and the killed run 2
        produced.add(produce(landing, 4_000, seed=101))
        write_cdc(landing, "cdc-run-1", CDC_RUN_1)
        produced.add_valid(write_planted(landing, 3))
        pipeline.run(log=log)
        first_counts = pipeline.row_counts()

        produced.add(produce(landing, 2_000, seed=102))
        write_cdc(landing, "cdc-run-2", CDC_RUN_2)
        kill_midway(pipeline, f"Flow spark_catalog.{names.EVENTS_QUARANTINE} is RUNNING")
    with pipeline.serving():  # one Spark Connect server for the restarted run and the refresh
        pipeline.run(log=log)
        before_refresh = snapshot(spark, pipeline, names.SILVER_TABLES + names.GOLD_TABLES)
        pipeline.run(full_refresh=True, log=log)
    return dict(pipeline=pipeline, produced=produced, first_counts=first_counts, before_refresh=before_refresh)


def test_every_input_line_is_accounted_for(scenario, spark):
    p, produced = scenario["pipeline"], scenario["produced"]
    bronze = read(spark, p, names.BRONZE_EVENTS).count()
    silver = read(spark, p, names.SILVER_EVENTS).count()
    quarantine = read(spark, p, names.EVENTS_QUARANTINE).count()
    assert bronze == produced.lines
    assert quarantine == produced.quarantined
    assert silver == produced.silver
    assert bronze == silver + quarantine + produced.duplicates
    assert read(spark, p, names.BRONZE_USER_CHANGES).count() == produced.change_lines + len(CDC_RUN_1) + len(CDC_RUN_2)


def test_quality_metrics_table_matches_the_tables(scenario, spark):
    p, produced = scenario["pipeline"], scenario["produced"]
    totals = p.quality_totals()
    assert totals[("events", "bronze", "rows_in", None)] == produced.lines
    assert totals[("events", "silver", "duplicates_dropped", None)] == produced.duplicates
    assert totals[("events", "silver", "rows_unaccounted", None)] == 0
    assert totals[("user_changes", "silver", "rows_unaccounted", None)] == 0
    assert totals[("events", "silver", "rows_quarantined", None)] == produced.quarantined
    assert totals[("events", "silver", "rows_failing_rule", "well_formed_json")] > 0


def test_silver_has_one_row_per_event_id(scenario, spark):
    events = read(spark, scenario["pipeline"], names.SILVER_EVENTS)
    assert events.count() == events.select("event_id").distinct().count()


def test_no_raw_email_anywhere_in_silver_or_gold(scenario, spark):
    p = scenario["pipeline"]
    for table in names.SILVER_TABLES + names.GOLD_TABLES:
        df = read(spark, p, table)
        leaks = df.where(F.to_json(F.struct(*df.columns)).rlike(EMAIL_RE)).count()
        assert leaks == 0, f"{table} holds raw e-mail addresses"


def test_identifiers_planted_in_free_text_reach_no_silver_or_gold_table(scenario, spark):
    p = scenario["pipeline"]
    assert read(spark, p, names.FACT_PAGE_VIEWS).where(F.col("session_id") == "s-planted").count() == 3
    for table in names.SILVER_TABLES + names.GOLD_TABLES:
        df = read(spark, p, table)
        text = F.to_json(F.struct(*df.columns))
        rows = df.agg(*[F.sum(text.contains(m).cast("int")) for m in planted.MARKERS]).first()
        leaked = [m for m, n in zip(planted.MARKERS, rows, strict=False) if n]
        assert not leaked, f"{table} holds {leaked}"


def test_second_run_processes_only_the_new_files(scenario, spark):
    first = scenario["first_counts"]
    # Later runs read only B's files: bronze grew by exactly the lines produced in between.
    p = scenario["pipeline"]
    batches = (
        read(spark, p, names.BRONZE_EVENTS).groupBy(names.INGESTED_AT).count().orderBy(names.INGESTED_AT).collect()
    )
    assert sum(r["count"] for r in batches) == scenario["produced"].lines
    assert batches[0]["count"] == first[names.BRONZE_EVENTS]


def test_scd2_history_follows_auto_cdc_for_late_updates_and_deletes(scenario, spark):
    dim = read(spark, scenario["pipeline"], names.DIM_USER).where(F.col("user_id").startswith("scd-"))
    got = sorted((r.user_id, r.plan, r["__START_AT"], r["__END_AT"]) for r in dim.collect())
    assert got == [
        ("scd-u1", "free", 1, 2),
        ("scd-u1", "pro", 2, 3),
        ("scd-u1", "team", 3, None),
        ("scd-u2", "free", 1, 3),
        ("scd-u2", "pro", 3, 5),
        ("scd-u2", "pro", 7, None),
    ]


def test_killed_run_restarted_loses_and_duplicates_nothing(scenario, spark):
    # The second update was SIGKILLed while the quarantine was streaming, then restarted: every
    # landed file is in bronze exactly once (row count per file = its line count), and
    # silver holds each valid event once (the totals are checked above).
    p = scenario["pipeline"]
    per_file = {
        r[names.SOURCE_FILE]: r["count"]
        for r in read(spark, p, names.BRONZE_EVENTS).groupBy(names.SOURCE_FILE).count().collect()
    }
    landed = {
        f.as_uri(): sum(1 for line in f.read_text().splitlines() if line.strip())
        for f in (p.landing / "events").rglob("*.json")
    }
    assert {Path(k).name: v for k, v in per_file.items()} == {Path(k).name: v for k, v in landed.items()}


def test_full_refresh_rebuilds_silver_and_gold_identically(scenario, spark):
    p = scenario["pipeline"]
    after = snapshot(spark, p, names.SILVER_TABLES + names.GOLD_TABLES)
    for table, rows in scenario["before_refresh"].items():
        assert after[table] == rows, f"{table} differs after a full refresh"

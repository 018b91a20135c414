"""Read a local Delta table's current snapshot without starting Spark.

The runner's summary (rows per table, quality metrics) would otherwise cost another JVM
start-up (~15 s). A Delta table is parquet files plus a log of which files are live:
replay the latest checkpoint and the JSON commits after it, and the live files'
``numRecords`` statistics give row counts; pyarrow reads the few small gold tables.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import pyarrow.parquet as pq


class DeltaLogError(RuntimeError):
    """The directory is not a Delta table this reader understands; the message says why."""


def _checkpoint_actions(log: Path) -> tuple[int, dict[str, dict]]:
    last = log / "_last_checkpoint"
    if not last.exists():
        return -1, {}
    meta = json.loads(last.read_text())
    version, parts = meta["version"], meta.get("parts")
    files = ([log / f"{version:020d}.checkpoint.{i:010d}.{parts:010d}.parquet" for i in range(1, parts + 1)]
             if parts else [log / f"{version:020d}.checkpoint.parquet"])
    if not all(f.exists() for f in files):  # e.g. V2 (UUID-named) checkpoints
        raise DeltaLogError(f"{log}: unsupported checkpoint layout {meta}")
    live: dict[str, dict] = {}
    for file in files:
        for row in pq.read_table(file, columns=["add"]).column("add").to_pylist():
            if row is not None:
                live[row["path"]] = row
    return version, live


def live_files(table_dir: Path) -> list[dict]:
    """The add actions of the table's current version."""
    log = table_dir / "_delta_log"
    if not log.is_dir():
        raise DeltaLogError(f"{table_dir} is not a Delta table (no _delta_log/)")
    version, live = _checkpoint_actions(log)
    for commit in sorted(log.glob("*.json")):
        if int(commit.stem) <= version:
            continue
        for line in commit.read_text().splitlines():
            action = json.loads(line)
            if "add" in action:
                live[action["add"]["path"]] = action["add"]
            elif "remove" in action:
                live.pop(action["remove"]["path"], None)
    return list(live.values())


def row_count(table_dir: Path) -> int:
    total = 0
    for add in live_files(table_dir):
        stats = json.loads(add.get("stats") or "{}")
        if "numRecords" not in stats:
            raise DeltaLogError(f"{table_dir}: file {add['path']} has no numRecords statistic")
        total += stats["numRecords"]
    return total


def read_rows(table_dir: Path) -> list[dict]:
    """All rows of a (small) table as dicts."""
    rows: list[dict] = []
    for add in live_files(table_dir):
        rows.extend(pq.read_table(table_dir / unquote(add["path"])).to_pylist())
    return rows

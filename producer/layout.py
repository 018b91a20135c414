"""Landing layout (see contract/): <feed>/yyyy/MM/dd/HH/<unique>.json, plus run summaries
under _runs/ (a leading underscore: Spark and Auto Loader skip it as hidden)."""

from __future__ import annotations

import time

RUNS_DIR = "_runs"


def data_path(feed: str, hour_ms: int, run_id: str, seq: int) -> str:
    hour = time.strftime("%Y/%m/%d/%H", time.gmtime(hour_ms // 1000))
    return f"{feed}/{hour}/part-{run_id}-{seq:05d}.json"


def summary_path(run_id: str) -> str:
    return f"{RUNS_DIR}/{run_id}.json"

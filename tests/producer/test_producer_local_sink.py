"""Local and volume sinks: layout, atomic files, failure mid-run, pacing."""

from __future__ import annotations

import os
import re
import time
from datetime import UTC, datetime

import orjson
import pytest

from contract import EVENTS_FEED, USER_CHANGES_FEED
from producer import ConfigError, DefectRates, ProducerConfig, RunFailed, run
from producer.sinks.local import VolumeSink

START = datetime(2026, 11, 26, 17, 50, tzinfo=UTC)
LAYOUT = re.compile(r"^(events|user_changes)/\d{4}/\d{2}/\d{2}/\d{2}/part-[0-9TZs-]+-\d{5}\.json$")


def test_files_follow_the_landing_layout_and_partition_by_event_hour(tmp_path):
    # 10 minutes before an hour boundary at 100 events/s: files on both sides of it.
    summary = run(ProducerConfig(events=120_000, seed=2, start=START, root=tmp_path, defects=DefectRates.none()))
    paths = [f["path"] for f in summary.files]
    assert all(LAYOUT.match(p) for p in paths)
    assert {p.split("/")[4] for p in paths if p.startswith(EVENTS_FEED)} == {"17", "18"}
    for f in summary.files:
        content = (tmp_path / f["path"]).read_bytes()
        assert len(content) == f["bytes"] and content.count(b"\n") == f["lines"] and content.endswith(b"\n")
        if f["feed"] == EVENTS_FEED:
            hours = {orjson.loads(x)["event_ts"][11:13] for x in content.splitlines()}
            assert hours == {f["path"].split("/")[4]}
    assert sum(f["lines"] for f in summary.files if f["feed"] == USER_CHANGES_FEED) == summary.lines[USER_CHANGES_FEED]


def test_no_temporary_file_is_left_or_visible(tmp_path):
    summary = run(ProducerConfig(events=30_000, seed=2, root=tmp_path, events_per_file=7_000))
    visible = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert visible == sorted([f["path"] for f in summary.files] + [summary.summary_path])
    assert not any((tmp_path / "_tmp").iterdir())


def test_a_failed_write_stops_the_run_and_the_summary_counts_committed_files_only(tmp_path, monkeypatch):
    real_fsync, calls = os.fsync, []

    def fsync_failing_on_third_file(fd):
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync_failing_on_third_file)
    with pytest.raises(RunFailed) as failed:
        run(ProducerConfig(events=50_000, seed=2, root=tmp_path, events_per_file=10_000))
    summary = failed.value.summary
    assert summary.status == "failed" and "No space left on device" in summary.error
    assert len(summary.files) == 2 and summary.uncommitted["lines"] > 0
    on_disk = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.glob("*/**/*.json") if "_runs" not in p.parts)
    assert on_disk == sorted(f["path"] for f in summary.files)
    lines = sum(
        len((tmp_path / f["path"]).read_bytes().splitlines()) for f in summary.files if f["feed"] == EVENTS_FEED
    )
    assert lines == summary.lines[EVENTS_FEED] == 10_000
    assert not any((tmp_path / "_tmp").iterdir())
    persisted = orjson.loads((tmp_path / summary.summary_path).read_bytes())
    assert persisted["status"] == "failed" and persisted["lines"] == summary.lines


def test_paced_run_holds_the_rate(tmp_path):
    t0 = time.monotonic()
    summary = run(ProducerConfig(events=600, rate=1_000, root=tmp_path))
    assert time.monotonic() - t0 >= 0.55
    assert summary.lines[EVENTS_FEED] == 600


def test_paced_run_closes_files_every_flush_interval(tmp_path):
    summary = run(ProducerConfig(events=4_000, rate=8_000, flush_seconds=0.1, root=tmp_path, start=START))
    event_files = [f for f in summary.files if f["feed"] == EVENTS_FEED]
    assert 4 <= len(event_files) <= 6  # 0.5 s of events in 0.1 s files


def test_volume_sink_writes_under_an_existing_volume(tmp_path):
    (tmp_path / "Volumes/main/bronze/landing").mkdir(parents=True)
    sink = VolumeSink("/Volumes/main/bronze/landing/clickstream", mount_root=tmp_path)
    summary = run(
        ProducerConfig(sink="volume", volume_path="/Volumes/main/bronze/landing/clickstream", events=2_000), sink=sink
    )
    assert summary.sink == "volume" and summary.location == "/Volumes/main/bronze/landing/clickstream"
    assert (tmp_path / "Volumes/main/bronze/landing/clickstream" / summary.files[0]["path"]).is_file()


def test_volume_sink_refuses_a_volume_that_does_not_exist(tmp_path):
    with pytest.raises(ConfigError, match="--volume-path: volume .* does not exist"):
        VolumeSink("/Volumes/main/bronze/landing", mount_root=tmp_path).open()

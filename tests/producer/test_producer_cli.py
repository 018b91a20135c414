"""The command line: arguments, errors, exit codes, the Databricks job entry point."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from producer.cli import main

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--rate", "-5"], "--rate: must be a positive number"),
        (["--rate", "fast"], "--rate: expected a number"),
        (["--events", "0"], "--events: must be an integer >= 1"),
        (["--events", "ten"], "--events: expected an integer"),
        (["--sink", "s3"], "--sink: unknown sink 's3'"),
        (["--defect", "late=2"], "--defect late: rate must be a number in [0, 1]"),
        (["--defect", "typo=0.1"], "--defect: expected KIND=RATE"),
        (["--defect", "late=0.6", "--defect", "duplicate=0.6"], "rates add up to 1.2"),
        (["--sink", "volume", "--volume-path", "/tmp/landing"], "--volume-path: expected /Volumes/"),
        (["--sink", "volume", "--volume-path", "/Volumes/catalog/bronze"], "--volume-path: expected /Volumes/"),
        (["--sink", "volume"], "--volume-path: expected /Volumes/"),
        (["--sink", "azure"], "--account-url: expected https://"),
        (["--sink", "azure", "--account-url", "http://acct.blob.core.windows.net"], "--account-url"),
        (
            ["--sink", "azure", "--account-url", "https://a.blob.core.windows.net", "--container", "Bad_Name"],
            "--container",
        ),
        (["--start", "yesterday"], "--start: expected ISO-8601"),
        (["--start", "2026-11-26T18:00:00"], "--start: give a UTC time with an offset"),
        (["--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_bad_arguments_exit_2_with_a_message_naming_the_option(argv, message, capsys, tmp_path):
    assert main(argv + ["--root", str(tmp_path), "--quiet"]) == 2
    assert message in capsys.readouterr().err


def test_unwritable_directory_is_a_clear_error(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    assert main(["--root", str(blocker / "landing"), "--events", "10", "--quiet"]) == 2
    assert f"--root: cannot create {blocker / 'landing'}" in capsys.readouterr().err


def test_cli_writes_events_and_prints_the_summary(tmp_path):
    summary_json = tmp_path / "summary.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "producer",
            "--events",
            "5000",
            "--seed",
            "4",
            "--root",
            str(tmp_path / "landing"),
            "--start",
            "2026-11-26T18:00:00Z",
            "--summary-json",
            str(summary_json),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "lines events" in done.stdout and "5,000" in done.stdout and "events/s" in done.stdout
    summary = orjson.loads(summary_json.read_bytes())
    assert summary["status"] == "completed" and summary["lines"]["events"] == 5_000
    assert summary == orjson.loads((tmp_path / "landing" / summary["summary_path"]).read_bytes())


def test_databricks_job_script_runs_from_any_directory(tmp_path):
    """The job runs the file as a script: it must find its code root itself."""
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "producer" / "databricks_job.py"),
            "--sink",
            "volume",
            "--volume-path",
            "/Volumes/clickstream_dev/bronze/landing",
            "--events",
            "10",
            "--seed",
            "1",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin"},
    )
    # No Unity Catalog here: the volume is missing, which the script reports as a bad argument.
    assert done.returncode == 2
    assert "volume /Volumes/clickstream_dev/bronze/landing does not exist" in done.stderr

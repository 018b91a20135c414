"""Day-2 operations against the loopback fake: backfill, pause/resume, events, quality."""

from __future__ import annotations

import io
import json

import pytest

from ops import cli
from tests.ops.fake_databricks import T0_MS, flow_event


def finished_update(workspace) -> None:
    """A pipeline that already ran one update (the fake's latest)."""
    workspace.updates["upd-1"] = {"polls": len(workspace.update_states), "full_refresh": False}


@pytest.mark.parametrize("answer", ["n\n", "", "yes please\n"])
def test_backfill_without_a_yes_starts_nothing(run_ops, workspace, monkeypatch, answer):
    monkeypatch.setattr("sys.stdin", io.StringIO(answer))

    code, _, err = run_ops("backfill")

    assert code == cli.DECLINED
    assert "Full refresh of pipeline" in err and "declined: nothing was started" in err
    assert workspace.requests == []


def test_backfill_confirmed_at_the_prompt_starts_a_full_refresh(run_ops, workspace, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))

    code, _, err = run_ops("backfill")

    assert code == cli.OK
    assert [body for *_, body in workspace.calls("POST", r"/api/2\.0/pipelines/[^/]+/updates")] == [
        {"full_refresh": True}
    ]
    assert "full refresh started: update upd-1" in err


def test_backfill_yes_wait_judges_the_update(run_ops, workspace):
    code, out, _ = run_ops("backfill", "--yes", "--wait", "--json")

    document = json.loads(out)
    assert code == cli.OK
    assert document["ok"] and document["state"] == "COMPLETED" and document["update_id"] == "upd-1"
    assert workspace.updates["upd-1"]["full_refresh"] is True


def test_backfill_while_an_update_runs_fails_with_the_conflict(run_ops, workspace):
    workspace.updates["upd-1"] = {"polls": 0, "full_refresh": False}

    code, _, err = run_ops("backfill", "--yes")

    assert code == cli.FAILED
    assert "ResourceConflict: An active update already exists." in err


def test_pause_then_resume_flips_only_the_schedule_pause_status(run_ops, workspace):
    code, out, _ = run_ops("pause", "--json")

    assert code == cli.OK
    assert json.loads(out)["message"] == "job 4242 schedule PAUSED"
    [(_, _, _, body)] = workspace.calls("POST", r"/api/2\.2/jobs/update")
    assert body == {
        "job_id": 4242,
        "new_settings": {
            "schedule": {"quartz_cron_expression": "0 0 * * * ?", "timezone_id": "UTC", "pause_status": "PAUSED"}
        },
    }

    code, _, err = run_ops("pause")
    assert "job 4242 schedule already PAUSED" in err
    assert len(workspace.calls("POST", r"/api/2\.2/jobs/update")) == 1

    code, _, _ = run_ops("resume")
    assert code == cli.OK
    assert workspace.job_settings["schedule"]["pause_status"] == "UNPAUSED"


def test_pause_of_a_job_without_a_schedule_is_an_error(run_ops, workspace):
    workspace.job_settings = {"name": "clickstream-dev-producer"}

    code, _, err = run_ops("pause")

    assert code == cli.FAILED
    assert "job 4242 has no schedule, trigger or continuous setting to pause or resume" in err


def test_events_shows_the_last_n_newest_first_across_pages(run_ops, workspace):
    finished_update(workspace)  # 11 events of upd-1 + 1 older one, served 5 per page

    code, out, _ = run_ops("events", "-n", "7", "--json")

    events = json.loads(out)["events"]
    assert code == cli.OK
    assert len(events) == 7
    assert [e["timestamp"] for e in events] == sorted((e["timestamp"] for e in events), reverse=True)
    assert all(e["update_id"] == "upd-1" for e in events)
    assert len(workspace.calls("GET", r"/api/2\.0/pipelines/[^/]+/events")) == 2


def test_events_renders_a_table_with_errors(run_ops, workspace):
    code, out, _ = run_ops("events", "-n", "100")

    assert code == cli.OK
    assert "last 1 events of pipeline" in out and "old failure" in out


def test_quality_shows_the_metrics_of_the_last_update(run_ops, workspace):
    finished_update(workspace)

    code, out, err = run_ops("quality")

    assert code == cli.OK
    assert "valid_event_type" in out and "0.5%" in out
    assert "flow clickstream_dev.silver.events: COMPLETED, 990 rows out, 10 dropped" in err


def test_quality_of_a_failed_update_exits_1_with_the_problem(run_ops, workspace):
    workspace.update_states = ["FAILED"]
    workspace.update_events = [flow_event("clickstream_dev.silver.events", "FAILED", at_ms=T0_MS + 5, error="boom")]
    finished_update(workspace)

    code, out, _ = run_ops("quality", "--json")

    document = json.loads(out)
    assert code == cli.FAILED
    assert not document["ok"]
    assert "update upd-1 ended FAILED" in document["problems"]


def test_quality_without_any_update_says_so(run_ops):
    code, _, err = run_ops("quality")

    assert code == cli.FAILED
    assert "has no update yet" in err


def test_masks_runs_the_masks_job_once_and_waits_for_its_success(run_ops, workspace):
    code, out, err = run_ops("masks", "--json", "--poll-interval", "0.01")

    assert code == cli.OK, err
    assert [body for *_, body in workspace.calls("POST", r"/api/2\.2/jobs/run-now")] == [{"job_id": 4242}]
    assert json.loads(out)["run_id"] and "column-mask functions created" in err


def test_masks_job_that_fails_exits_1_with_the_task_states(run_ops, workspace):
    workspace.run_states = [{"life_cycle_state": "TERMINATED", "result_state": "FAILED", "state_message": "boom"}]

    code, _, err = run_ops("masks", "--poll-interval", "0.01")

    assert code == cli.FAILED
    assert "ended TERMINATED/FAILED" in err

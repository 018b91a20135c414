"""`ops verify` against the loopback fake: the happy path and each way a check fails.

Contract tests: they prove ops calls the REST API the way the SDK and the Databricks
REST reference say and reads the answers right. The real check is `make verify`.
"""

from __future__ import annotations

import json

import pytest

from contract import rbac
from ops import cli
from ops.workspace import connect
from pipelines.clickstream.names import GOLD_TABLES
from tests.ops.fake_databricks import (
    CATALOG,
    GROUPS,
    JOB_ID,
    LANDING_LOCATION_NAME,
    T0_MS,
    TEST_TOKEN,
    Fault,
    LoopbackToken,
    flow_event,
    iso,
)

ANALYSTS = GROUPS[rbac.DATA_ANALYSTS]
ENGINEERS = GROUPS[rbac.DATA_ENGINEERS]


def verify_json(run_ops, *args: str) -> tuple[int, dict, str]:
    code, out, err = run_ops("verify", "--json", *args)
    return code, json.loads(out), err


def check(document: dict, name: str) -> dict:
    return next(c for c in document["checks"] if c["name"] == name)


def test_a_working_environment_passes_every_check(run_ops, workspace):
    code, document, err = verify_json(run_ops)

    assert code == 0, err
    assert document["ok"] and document["failed"] == []
    assert [(c["name"], c["status"]) for c in document["checks"]] == [
        ("workspace", "pass"),
        ("catalog", "pass"),
        ("producer-job", "pass"),
        ("pipeline", "pass"),
        ("gold", "pass"),
        ("masks", "pass"),
    ]
    assert workspace.unrouted == []
    assert [body for _, _, _, body in workspace.calls("POST", r"/api/2\.2/jobs/run-now")] == [{"job_id": JOB_ID}]
    assert workspace.calls("POST", r"/api/2\.0/pipelines/[^/]+/updates")[0][3] == {"full_refresh": False}
    assert check(document, "gold")["data"]["row_counts"] == workspace.gold_counts
    pipeline = check(document, "pipeline")["data"]
    assert pipeline["state"] == "COMPLETED"
    assert {
        "dataset": "clickstream_dev.silver.events",
        "rule": "valid_event_type",
        "passed": 995,
        "failed": 5,
        "failed_ratio": 0.005,
    } in pipeline["expectations"]
    assert pipeline["dropped_records"] == 10
    # The earlier update's failure sits in the same event log and must not count.
    assert "old failure" not in json.dumps(pipeline)
    assert "PASS" in err and "OK: dev verified" in err


def test_summary_table_goes_to_stdout_without_json(run_ops):
    code, out, err = run_ops("verify")

    assert code == 0
    assert "verify dev" in out and "producer-job" in out and "PASS" in out
    assert "[5/6] gold tables have rows" in err


def test_a_failed_update_names_the_flow_and_the_violated_expectation(run_ops, workspace):
    workspace.update_states = ["INITIALIZING", "RUNNING", "FAILED"]
    violation = "[EXPECTATION_VIOLATION.VERBOSE] Flow 'events' failed expectation 'valid_event_ts'"
    workspace.update_events = [
        flow_event("clickstream_dev.bronze.events_raw", "COMPLETED", at_ms=T0_MS + 1000, rows=1000),
        flow_event("clickstream_dev.silver.events", "FAILED", at_ms=T0_MS + 2000, error=violation),
        flow_event("clickstream_dev.gold.fact_events", "SKIPPED", at_ms=T0_MS + 2001),
        {
            "event_type": "update_progress",
            "level": "ERROR",
            "timestamp": iso(T0_MS + 3000),
            "message": "Update upd-1 is FAILED.",
            "origin": {"pipeline_id": "p"},
            "error": {"exceptions": [{"message": "1 flow failed"}]},
        },
    ]

    code, document, err = verify_json(run_ops)

    assert code == 1
    assert document["failed"] == ["pipeline"]
    details = check(document, "pipeline")["details"]
    assert "update upd-1 ended FAILED" in details
    assert (
        f"flow clickstream_dev.silver.events: FAILED - Flow 'clickstream_dev.silver.events' has FAILED: {violation}"
        in details
    )
    assert "flow clickstream_dev.gold.fact_events: SKIPPED" in details
    assert "error: Update upd-1 is FAILED: 1 flow failed" in details
    assert not [line for line in details if line.startswith("error: Flow")]  # reported with its flow
    assert "FAILED: pipeline" in err


def test_an_expectation_failing_too_many_rows_fails_the_pipeline_check(run_ops, workspace):
    workspace.update_events = [
        flow_event(
            "clickstream_dev.silver.events",
            "COMPLETED",
            at_ms=T0_MS + 1000,
            expectations=[("valid_event_type", 100, 900), ("has_session", 1000, 0)],
            dropped=900,
        )
    ]

    code, document, _ = verify_json(run_ops, "--max-failed-ratio", "0.2")

    assert code == 1
    assert check(document, "pipeline")["details"][0] == (
        "expectation valid_event_type on clickstream_dev.silver.events failed 900 of 1000 rows (90.0% > 20.0%)"
    )


def test_no_flow_events_for_the_update_is_a_failure(run_ops, workspace):
    workspace.update_events = []

    code, document, _ = verify_json(run_ops)

    assert code == 1
    assert "the event log has no flow_progress events for this update" in check(document, "pipeline")["details"]


def test_a_missing_grant_is_named_with_group_privilege_and_securable(run_ops, workspace):
    workspace.grants[("schema", f"{CATALOG}.gold")][ANALYSTS].discard("SELECT")

    code, document, _ = verify_json(run_ops)

    assert code == 1
    assert document["failed"] == ["catalog"]
    assert check(document, "catalog")["details"] == [f"{ANALYSTS}: missing SELECT on schema {CATALOG}.gold"]


def test_extra_grants_direct_or_inherited_from_outside_the_matrix_are_named(run_ops, workspace):
    workspace.grants[("schema", f"{CATALOG}.gold")][ANALYSTS].add("MODIFY")
    workspace.grants[("external_location", LANDING_LOCATION_NAME)][ANALYSTS] = {"READ_FILES"}
    workspace.metastore_grants = {ENGINEERS: {"CREATE_CATALOG"}}

    code, document, _ = verify_json(run_ops)

    assert code == 1
    details = check(document, "catalog")["details"]
    assert f"{ANALYSTS}: extra MODIFY on schema {CATALOG}.gold" in details
    assert f"{ANALYSTS}: extra READ_FILES on external_location {LANDING_LOCATION_NAME}" in details
    assert (
        f"{ENGINEERS}: extra CREATE_CATALOG on catalog {CATALOG}, inherited from metastore metastore-westeurope"
        in details
    )
    # A stray grant is reported where it was made, not again on every child.
    assert not [line for line in details if "MODIFY" in line and "inherited" in line]


def test_missing_objects_are_listed_together(run_ops, workspace):
    del workspace.schemas[f"{CATALOG}.silver"]
    workspace.external_locations = [loc for loc in workspace.external_locations if loc["name"] != LANDING_LOCATION_NAME]

    code, document, _ = verify_json(run_ops)

    details = check(document, "catalog")["details"]
    assert code == 1
    assert f"schema {CATALOG}.silver not found" in details
    assert "no external location covers the landing path abfss://landing@stclkdev.dfs.core.windows.net/" in details


def test_permission_denied_on_run_now_fails_the_job_check_with_the_reason(run_ops, workspace):
    workspace.faults.append(
        Fault(
            "POST", r"/api/2\.2/jobs/run-now", 403, "PERMISSION_DENIED", "User does not have CAN_MANAGE_RUN on job 4242"
        )
    )

    code, document, err = verify_json(run_ops)

    assert code == 1
    assert document["failed"] == ["producer-job"]
    assert (
        check(document, "producer-job")["summary"] == "PermissionDenied: User does not have CAN_MANAGE_RUN on job 4242"
    )
    assert check(document, "pipeline")["status"] == "pass"  # later checks still run


def test_permission_denied_on_grants_is_a_catalog_problem_not_a_crash(run_ops, workspace):
    workspace.faults.append(
        Fault(
            "GET",
            r"/api/2\.1/unity-catalog/effective-permissions/volume/.+",
            403,
            "PERMISSION_DENIED",
            "User does not have MANAGE on Volume 'clickstream_dev.bronze.landing'.",
        )
    )

    code, document, _ = verify_json(run_ops, "--skip", "producer-job", "--skip", "pipeline", "--skip", "gold")

    assert code == 1
    assert check(document, "catalog")["details"] == [
        f"effective grants of volume {CATALOG}.bronze.landing: PermissionDenied: "
        "User does not have MANAGE on Volume 'clickstream_dev.bronze.landing'"
    ]


def test_a_failed_run_names_the_failing_task(run_ops, workspace):
    workspace.run_states = [
        {"life_cycle_state": "TERMINATED", "result_state": "FAILED", "state_message": "Task produce failed"}
    ]
    workspace.run_tasks = [
        {
            "task_key": "produce",
            "state": {
                "life_cycle_state": "TERMINATED",
                "result_state": "FAILED",
                "state_message": "WRITE_VOLUME denied on /Volumes/clickstream_dev/bronze/landing",
            },
        },
        {
            "task_key": "refresh_pipeline",
            "state": {"life_cycle_state": "TERMINATED", "result_state": "UPSTREAM_FAILED"},
        },
    ]

    code, document, _ = verify_json(run_ops)

    job = check(document, "producer-job")
    assert code == 1
    assert job["summary"].startswith("run 9000 ended TERMINATED/FAILED")
    assert "task produce: FAILED - WRITE_VOLUME denied on /Volumes/clickstream_dev/bronze/landing" in job["details"]


def test_a_run_that_does_not_finish_in_time_fails_with_its_last_state(run_ops, workspace):
    workspace.run_states = [{"life_cycle_state": "RUNNING"}]

    code, document, _ = verify_json(run_ops, "--job-timeout", "0.2")

    assert code == 1
    assert check(document, "producer-job")["summary"] == (
        "job 4242 run 9000 still RUNNING after 0.2s (timeout); the run was left running"
    )


def test_a_transient_503_is_retried_by_the_sdk(run_ops, workspace):
    workspace.faults.append(
        Fault(
            "GET",
            r"/api/2\.1/unity-catalog/catalogs/.+",
            503,
            "TEMPORARILY_UNAVAILABLE",
            times=2,
            headers={"Retry-After": "0"},
        )
    )

    code, document, _ = verify_json(run_ops, "--skip", "producer-job", "--skip", "pipeline", "--skip", "gold")

    assert code == 0
    assert check(document, "catalog")["status"] == "pass"
    assert len(workspace.calls("GET", rf"/api/2\.1/unity-catalog/catalogs/{CATALOG}")) == 3


def test_a_caller_outside_platform_admins_stops_before_running_anything(run_ops, workspace):
    workspace.me["groups"] = [{"display": ANALYSTS, "value": "g3"}]

    code, document, _ = verify_json(run_ops)

    assert code == 1
    assert (
        check(document, "workspace")["summary"]
        == "caller alice@example.com is not a member of clickstream-dev-platform-admins"
    )
    assert [c["status"] for c in document["checks"][1:]] == ["skip"] * 5
    assert workspace.calls("POST", r"/api/2\.2/jobs/run-now") == []


def test_expect_principal_pins_the_caller(run_ops, workspace):
    code, document, _ = verify_json(run_ops, "--expect-principal", "ci-deployer-app-id", "--skip", "catalog")

    assert code == 1
    assert (
        check(document, "workspace")["summary"]
        == "caller alice@example.com is not the expected principal ci-deployer-app-id"
    )


def test_a_rejected_credential_fails_the_workspace_check(run_ops, workspace):
    workspace.token = "a-different-token"

    code, document, _ = verify_json(run_ops)

    assert code == 1
    assert check(document, "workspace")["summary"].startswith("http://127.0.0.1")
    assert "refused the caller: Unauthenticated: Invalid access token" in check(document, "workspace")["summary"]


def test_empty_or_missing_gold_tables_are_named(run_ops, workspace):
    workspace.gold_counts["gold.kpi_top_pages"] = 0
    del workspace.gold_counts["gold.dim_date"]

    code, document, _ = verify_json(run_ops, "--skip", "producer-job", "--skip", "pipeline")

    gold = check(document, "gold")
    assert code == 1
    assert gold["summary"] == f"2 of {len(GOLD_TABLES)} gold tables empty or unreadable"
    assert "gold.kpi_top_pages: no rows" in gold["details"]
    assert (
        "gold.dim_date: FAILED [TABLE_OR_VIEW_NOT_FOUND] The table or view `clickstream_dev`.gold.dim_date cannot be "
        "found." in gold["details"]
    )


def test_skipped_checks_call_nothing(run_ops, workspace):
    code, document, _ = verify_json(run_ops, "--skip", "producer-job", "--skip", "pipeline")

    assert code == 0
    assert [c["status"] for c in document["checks"]] == ["pass", "pass", "skip", "skip", "pass", "pass"]
    assert workspace.calls("POST", r"/api/2\.2/jobs/run-now") == []
    assert workspace.calls("POST", r"/api/2\.0/pipelines/.+") == []


@pytest.mark.parametrize("argv", [["--skip", "workspace"], ["--max-failed-ratio", "2"], ["--job-timeout", "0"]])
def test_bad_arguments_exit_2(run_ops, argv):
    with pytest.raises(SystemExit) as exit_info:
        run_ops("verify", *argv)
    assert exit_info.value.code == 2


def test_an_unreachable_workspace_fails_the_first_check_with_the_cause(outputs_file, capsys):
    document = json.loads(outputs_file.read_text())
    document["dev"]["workspace_url"] = "http://127.0.0.1:9"  # discard port: nothing listens
    outputs_file.write_text(json.dumps(document))

    def connect_with_short_retries(outputs):
        return connect(outputs.host, credentials_strategy=LoopbackToken(TEST_TOKEN), retry_timeout_seconds=1)

    code = cli.main(
        ["verify", "--env", "dev", "--outputs", str(outputs_file), "--json"], connector=connect_with_short_retries
    )

    workspace_check = json.loads(capsys.readouterr().out)["checks"][0]
    assert code == cli.FAILED
    assert workspace_check["summary"] == "http://127.0.0.1:9 refused the caller: TimeoutError: Timed out after 0:00:01"
    assert workspace_check["details"][0].startswith("last error: ConnectionError:")


def test_a_sensitive_column_without_its_mask_is_named(run_ops, workspace):
    from contract import masks
    from pipelines.clickstream import names

    table = workspace.tables[f"{CATALOG}.{names.FACT_EVENTS}"]
    for column in table["columns"]:
        if column["name"] == "user_key":
            column.pop("mask")
    code, document, _ = verify_json(run_ops, "--skip", "producer-job", "--skip", "pipeline", "--skip", "gold")

    assert code == cli.FAILED
    problems = check(document, "masks")["details"]
    assert problems == [
        f"{names.FACT_EVENTS}.user_key: mask none, expected {masks.function_name(CATALOG, masks.REDACTED)}"
    ]

"""The GitHub Actions workflows: valid (actionlint), runnable (every `make X` they call
exists), and secure (Azure through OIDC only, pinned actions, prod behind an environment)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
ACTIONS = sorted((REPO / ".github" / "actions").glob("*/action.yml"))
ACTIONLINT = REPO / ".local" / "bin" / "actionlint"
# A command line that runs make (not prose in an echo): targets and VAR=value arguments.
MAKE_CALL = re.compile(r"^\s*make\s+((?:[a-z][\w-]*|[A-Z_]+=\S+)(?:[ \t]+(?:[a-z][\w-]*|[A-Z_]+=\S+))*)", re.MULTILINE)


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def steps(document: dict):
    for job_name, job in (document.get("jobs") or {}).items():
        for step in job.get("steps") or []:
            yield job_name, job, step
    for step in (document.get("runs") or {}).get("steps") or []:
        yield "composite", {}, step


def test_workflows_exist_for_pull_requests_deploys_ephemeral_envs_and_the_sweep():
    assert {p.name for p in WORKFLOWS} >= {"pull-request.yml", "deploy.yml", "ephemeral.yml", "sweep.yml"}


def test_actionlint_finds_nothing():
    if not ACTIONLINT.exists():
        pytest.fail(f"{ACTIONLINT} missing: `make setup` installs it (scripts/install-actionlint.sh)")
    result = subprocess.run([str(ACTIONLINT), "-no-color"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def make_calls() -> set[tuple[str, ...]]:
    calls = set()
    for path in WORKFLOWS + ACTIONS:
        for _job, _spec, step in steps(load(path)):
            for match in MAKE_CALL.finditer(step.get("run", "")):
                calls.add(tuple(match.group(1).split()))
    return calls


def test_workflows_call_make_at_all():
    targets = {word for call in make_calls() for word in call if "=" not in word}
    assert {"setup", "synth", "scan", "test", "diff", "deploy", "destroy", "review", "plan-json", "sweep"} <= targets


@pytest.mark.parametrize("call", sorted(make_calls()), ids=" ".join)
def test_every_make_call_in_workflows_is_a_makefile_target(call):
    # Variables the workflows fill in from the run ($TARGET_ENV, ...) get a harmless value.
    args = [word.split("=")[0] + "=dev" if "=" in word else word for word in call]
    result = subprocess.run(["make", "-n", *args], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "No rule to make target" not in result.stderr, result.stderr


def test_azure_login_is_oidc_only_with_no_secret_anywhere():
    for path in WORKFLOWS + ACTIONS:
        text = path.read_text()
        assert not re.search(r"client-secret|CLIENT_SECRET|creds:", text), path.name
        assert "secrets." not in text, f"{path.name}: Azure ids come from repository variables, not secrets"
    login = load(REPO / ".github" / "actions" / "azure-login" / "action.yml")
    azure_login = [step for _job, _spec, step in steps(login) if step.get("uses", "").startswith("azure/login@")]
    assert len(azure_login) == 1 and set(azure_login[0]["with"]) == {"client-id", "tenant-id", "subscription-id"}


def test_jobs_that_log_in_to_azure_get_an_oidc_token_and_use_nothing_else():
    logins = 0
    for path in WORKFLOWS:
        workflow = load(path)
        for job_name, job, step in steps(workflow):
            uses = step.get("uses", "")
            assert not uses.startswith("azure/login@"), f"{path.name}:{job_name}: use ./.github/actions/azure-login"
            if uses == "./.github/actions/azure-login":
                logins += 1
                env = {**workflow.get("env", {}), **job.get("env", {})}
                assert job["permissions"].get("id-token") == "write", f"{path.name}:{job_name}"
                assert env.get("ARM_USE_OIDC") == "true", f"{path.name}:{job_name}"
                # Without the backend settings the stacks would keep state on the runner.
                assert env.get("CLICKSTREAM_BACKEND_STORAGE_ACCOUNT", "").startswith("${{ vars."), job_name
    assert logins == 6  # PR plan, deploy plan + apply, ephemeral deploy + destroy, sweep


def test_actions_are_pinned_to_a_version_or_commit():
    for path in WORKFLOWS + ACTIONS:
        for _job, _spec, step in steps(load(path)):
            uses = step.get("uses")
            if uses and not uses.startswith("./"):
                assert re.search(r"@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$", uses), f"{path.name}: {uses}"


def test_workflow_permissions_default_to_read_only():
    for path in WORKFLOWS:
        assert load(path)["permissions"] == {"contents": "read"}, path.name


def test_prod_deploys_only_by_hand_behind_its_environment():
    deploy = load(REPO / ".github" / "workflows" / "deploy.yml")
    triggers = deploy.get(True) or deploy.get("on")  # YAML 1.1 reads `on` as true
    assert triggers["push"] == {"branches": ["main"]}
    assert "prod" in triggers["workflow_dispatch"]["inputs"]["environment"]["options"]
    job = deploy["jobs"]["deploy"]
    # A push deploys dev; only a manual run can name prod, and the job waits on that environment.
    assert job["environment"] == "${{ github.event_name == 'push' && 'dev' || inputs.environment }}"
    assert deploy["concurrency"]["cancel-in-progress"] is False


def test_ephemeral_env_is_named_after_the_pull_request_and_destroyed_on_close():
    ephemeral = load(REPO / ".github" / "workflows" / "ephemeral.yml")
    assert ephemeral["env"]["PR_ENV"] == "pr-${{ github.event.pull_request.number }}"
    assert "closed" in (ephemeral.get(True) or ephemeral.get("on"))["pull_request"]["types"]
    destroy_runs = [s.get("run", "") for s in ephemeral["jobs"]["destroy"]["steps"]]
    assert 'make destroy ENV="$PR_ENV" AUTO_APPROVE=1' in destroy_runs
    for job in ephemeral["jobs"].values():
        assert "github.event.pull_request.head.repo.full_name == github.repository" in job["if"]


def test_sweep_runs_on_a_schedule():
    sweep = load(REPO / ".github" / "workflows" / "sweep.yml")
    assert (sweep.get(True) or sweep.get("on"))["schedule"][0]["cron"]


def test_jobs_that_reach_azure_take_their_runner_from_a_variable():
    """The data planes deny unknown networks (prod: no public endpoints at all), so where a
    cloud job runs is a setting of the repository, not a fixed GitHub-hosted label."""
    for path in WORKFLOWS:
        for job_name, job, step in steps(load(path)):
            if step.get("uses") == "./.github/actions/azure-login":
                assert "vars.CLICKSTREAM_RUNNER" in job["runs-on"], f"{path.name}:{job_name}"
    deploy = load(REPO / ".github" / "workflows" / "deploy.yml")
    for job_name in ("plan", "deploy"):
        assert "inputs.environment == 'prod' && vars.CLICKSTREAM_PROD_RUNNER" in deploy["jobs"][job_name]["runs-on"]

"""The GitHub Actions workflows: valid (actionlint), runnable (every `make X` they call
exists), and secure (Azure through OIDC only, pinned actions, prod behind an environment)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from infra.config import TrustLevel
from infra.trust import load_platform

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
ACTIONS = sorted((REPO / ".github" / "actions").glob("*/action.yml"))
ACTIONLINT = REPO / ".local" / "bin" / "actionlint"
# A command line that runs make (not prose in an echo): targets and VAR=value arguments.
MAKE_CALL = re.compile(r"^\s*make\s+((?:[a-z][\w-]*|[A-Z_]+=\S+)(?:[ \t]+(?:[a-z][\w-]*|[A-Z_]+=\S+))*)", re.MULTILINE)


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def triggers(workflow: dict) -> dict:
    return workflow.get(True) or workflow.get("on")  # YAML 1.1 reads `on` as true


def job_env(workflow: dict, job: dict) -> dict:
    return {**workflow.get("env", {}), **job.get("env", {})}


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
                env = job_env(workflow, job)
                assert job["permissions"].get("id-token") == "write", f"{path.name}:{job_name}"
                assert env.get("ARM_USE_OIDC") == "true", f"{path.name}:{job_name}"
                # Without remote state the stacks would keep state on the runner.
                assert env.get("CLICKSTREAM_REMOTE_STATE") == "true", job_name
    assert logins == 8  # PR plan, dev plan + apply, prod plan + apply, ephemeral deploy + destroy, sweep


# A third-party action: owner/repo[/path]@<40 hex> # <tag>, the tag kept for people and dependabot.
PINNED = re.compile(r"uses:\s*[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s*v\d+(\.\d+){0,2}\s*$")


def test_third_party_actions_are_pinned_by_full_commit_sha_with_the_tag_in_a_comment():
    for path in WORKFLOWS + ACTIONS:
        for line in path.read_text().splitlines():
            if re.search(r"\buses:\s*[^.\s]", line) and "/.github/workflows/" not in line:
                assert PINNED.search(line), f"{path.name}: {line.strip()}"


def test_dependabot_keeps_actions_python_and_npm_current():
    config = load(REPO / ".github" / "dependabot.yml")
    ecosystems = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(ecosystems) >= {"github-actions", "pip", "npm"}
    assert "/.github/actions/*" in ecosystems["github-actions"]["directories"]  # the composite actions


# Trust levels by the repository variable holding their client id (README: trust levels).
CLIENT_IDS = {f"${{{{ vars.AZURE_CLIENT_ID_{level.name} }}}}": level for level in TrustLevel}
# What each trigger may reach, at most. A pull request plans (or, in the `ephemeral`
# environment, deploys its own environment); only a person's Run workflow reaches prod.
ALLOWED = {
    "pull_request": {TrustLevel.PULL_REQUEST, TrustLevel.EPHEMERAL},
    "push": {TrustLevel.DEV},
    "workflow_dispatch": {TrustLevel.EPHEMERAL, TrustLevel.DEV, TrustLevel.PROD},
    "schedule": {TrustLevel.EPHEMERAL},
}
EVENT_IN_IF = re.compile(r"github\.event_name == '(\w+)'")


def azure_jobs():
    """(workflow file, job name, job, its trust level, the events it can run on) of every Azure job."""
    for path in WORKFLOWS:
        workflow = load(path)
        for name, job in workflow.get("jobs", {}).items():
            client_id = job_env(workflow, job).get("ARM_CLIENT_ID")
            if client_id is None:
                continue
            assert client_id in CLIENT_IDS, f"{path.name}:{name}: ARM_CLIENT_ID {client_id!r} is no trust level's"
            events = set(triggers(workflow))
            named = set(EVENT_IN_IF.findall(str(job.get("if", ""))))
            # `a == 'x' || b`: the job may still run on other events; only a lone test narrows.
            if len(named) == 1 and "||" not in str(job.get("if", "")):
                events &= named
            yield path.name, name, job, CLIENT_IDS[client_id], events


def oidc_subject(job: dict, events: set[str]) -> set[str]:
    """The subjects GitHub puts in the job's token: its environment's, else the event's."""
    if "environment" in job:
        return {f"environment:{job['environment']}"}
    return {"pull_request" if event == "pull_request" else "ref:refs/heads/main" for event in events}


def test_every_job_in_azure_uses_exactly_one_trust_level_identity():
    found = list(azure_jobs())
    assert {level for *_rest, level, _events in found} == set(TrustLevel)
    for workflow, name, job, _level, _events in found:
        assert "${{" not in str(job.get("environment", "")), f"{workflow}:{name}: the environment decides the subject"


def test_no_job_uses_a_more_privileged_identity_than_its_trigger_allows():
    for workflow, name, _job, level, events in azure_jobs():
        for event in events:
            assert level in ALLOWED[event], f"{workflow}:{name} runs on {event} with the {level.value} identity"


def test_each_job_can_get_a_token_only_for_the_identity_it_names():
    subjects = {level: settings.subject for level, settings in load_platform(environ={}).trust_levels.items()}
    for workflow, name, job, level, events in azure_jobs():
        assert oidc_subject(job, events) == {subjects[level]}, (
            f"{workflow}:{name}: {level.value} is federated to {subjects[level]}"
        )


def test_pull_request_plans_take_no_state_lock_and_every_plan_and_apply_waits_for_one():
    for _workflow, name, job, level, _events in azure_jobs():
        if level is TrustLevel.PULL_REQUEST:
            diffs = [s["run"] for s in job["steps"] if "make diff" in s.get("run", "")]
            assert diffs and all("STATE_LOCK=false" in run and "REFRESH=false" in run for run in diffs), name
    for target in ("diff", "deploy", "destroy", "apply-plan"):
        dry = subprocess.run(
            ["make", "-n", target, "ENV=dev", "PLAN_DIGEST=x"], cwd=REPO, capture_output=True, text=True
        )
        terraform_lines = [
            line for line in dry.stdout.splitlines() if "npx cdktf " in line or "terraform -chdir" in line
        ]
        assert terraform_lines and all(
            "-lock-timeout=" in line for line in terraform_lines if " init " not in line and "cdktf output" not in line
        ), target
    pr = subprocess.run(["make", "-n", "diff", "ENV=dev", "STATE_LOCK=false"], cwd=REPO, capture_output=True, text=True)
    assert 'TF_CLI_ARGS_plan="-lock=false' in pr.stdout


def test_scan_and_tests_run_before_any_deploy_job():
    for path in WORKFLOWS:
        workflow = load(path)
        jobs = workflow.get("jobs", {})

        def upstream(name: str, jobs: dict = jobs) -> set[str]:
            needs = jobs[name].get("needs", [])
            needs = [needs] if isinstance(needs, str) else needs
            return set(needs).union(*(upstream(n) for n in needs)) if needs else set()

        for name, job in jobs.items():
            runs = " ".join(step.get("run", "") for step in job.get("steps", []))
            if "make deploy" in runs or "make apply-plan" in runs:
                checks = {n for n in upstream(name) if jobs[n].get("uses") == "./.github/workflows/checks.yml"}
                assert checks, f"{path.name}:{name} deploys without the checks before it"
    called = load(REPO / ".github" / "workflows" / "checks.yml")
    assert {"make scan", "make test"} <= {s.get("run") for _j, _spec, s in steps(called)}


def test_workflow_permissions_default_to_read_only():
    for path in WORKFLOWS:
        assert load(path)["permissions"] == {"contents": "read"}, path.name


def test_prod_deploys_only_by_hand_behind_its_environment():
    deploy = load(REPO / ".github" / "workflows" / "deploy.yml")
    assert triggers(deploy)["push"] == {"branches": ["main"]}
    assert "prod" in triggers(deploy)["workflow_dispatch"]["inputs"]["environment"]["options"]
    prod_jobs = {name: job for name, job in deploy["jobs"].items() if job.get("environment") == "prod"}
    assert set(prod_jobs) == {"plan-prod", "apply-prod"}
    assert "github.event_name == 'workflow_dispatch'" in prod_jobs["plan-prod"]["if"]
    assert deploy["concurrency"]["cancel-in-progress"] is False


def test_prod_applies_the_saved_reviewed_plan_never_a_fresh_one():
    deploy = load(REPO / ".github" / "workflows" / "deploy.yml")
    for name, job in deploy["jobs"].items():
        runs = " ".join(step.get("run", "") for step in job.get("steps", []))
        assert "AUTO_APPROVE" not in runs and "make deploy" not in runs and "auto-approve" not in runs, name
    apply = deploy["jobs"]["apply-prod"]
    assert apply["needs"] == "plan-prod" and apply["environment"] == "prod"
    assert apply["env"]["PLAN_DIGEST"] == "${{ needs.plan-prod.outputs.digest }}"
    assert 'make apply-plan ENV=prod PLAN_DIGEST="$PLAN_DIGEST"' in [s.get("run") for s in apply["steps"]]
    plan = deploy["jobs"]["plan-prod"]
    assert plan["outputs"]["digest"] == "${{ steps.plan.outputs.digest }}"
    assert {"id": "plan", "uses": "./.github/actions/plan", "with": {"environment": "prod"}} in plan["steps"]
    # The plan file holds sensitive values: no workflow artifact carries it.
    action = (REPO / ".github" / "actions" / "plan" / "action.yml").read_text()
    assert "upload-artifact" not in action and "make save-plan" in action


FAKE_AZ = """#!/usr/bin/env bash
# Stand-in for `az storage blob upload|download`: the blob store is one directory.
store=$FAKE_BLOBS; op=$3; file=""; name=""
while [ $# -gt 0 ]; do case $1 in --file) file=$2; shift;; --name) name=$2; shift;; esac; shift; done
mkdir -p "$store/$(dirname "$name")"
if [ "$op" = upload ]; then cp "$file" "$store/$name"; else cp "$store/$name" "$file"; fi
"""


def saved_plan(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """Run scripts/saved-plan.sh in tmp_path (its cdktf.out), with a fake az."""
    (tmp_path / "bin").mkdir(exist_ok=True)
    (tmp_path / "bin" / "az").write_text(FAKE_AZ)
    (tmp_path / "bin" / "az").chmod(0o755)
    (tmp_path / "cdktf.out" / "stacks" / "prod").mkdir(parents=True, exist_ok=True)
    if not (tmp_path / ".venv").exists():
        (tmp_path / ".venv").symlink_to(REPO / ".venv")
    env = {
        "PATH": f"{tmp_path / 'bin'}:/usr/bin:/bin",
        "PYTHONPATH": str(REPO),
        "GITHUB_RUN_ID": "7",
        "CLICKSTREAM_REMOTE_STATE": "true",
        "FAKE_BLOBS": str(tmp_path / "blobs"),
        "GITHUB_OUTPUT": str(tmp_path / "github-output"),
    }
    return subprocess.run(
        [str(REPO / "scripts" / "saved-plan.sh"), *args], cwd=tmp_path, env=env, capture_output=True, text=True
    )


def test_the_apply_job_gets_the_reviewed_plan_back_and_refuses_any_other(tmp_path):
    plan = tmp_path / "cdktf.out" / "stacks" / "prod" / "plan"
    plan.parent.mkdir(parents=True)
    plan.write_bytes(b"reviewed plan")
    saved = saved_plan(tmp_path, "save", "prod")
    assert saved.returncode == 0, saved.stderr
    digest = (tmp_path / "github-output").read_text().strip().splitlines()[-1].removeprefix("digest=")
    assert len(digest) == 64 and "/prod/plans/7/prod.tfplan" in saved.stdout  # prod's own state container
    plan.unlink()
    assert saved_plan(tmp_path, "restore", "prod", digest).returncode == 0 and plan.read_bytes() == b"reviewed plan"
    blob = next((tmp_path / "blobs").rglob("prod.tfplan"))
    blob.write_bytes(b"a plan nobody reviewed")
    refused = saved_plan(tmp_path, "restore", "prod", digest)
    assert refused.returncode == 1 and "not applying" in refused.stderr and not plan.exists()


def test_ephemeral_env_is_named_after_the_pull_request_and_destroyed_on_close():
    ephemeral = load(REPO / ".github" / "workflows" / "ephemeral.yml")
    assert ephemeral["env"]["PR_ENV"] == "pr-${{ github.event.pull_request.number }}"
    assert "closed" in triggers(ephemeral)["pull_request"]["types"]
    destroy_runs = [s.get("run", "") for s in ephemeral["jobs"]["destroy"]["steps"]]
    assert 'make destroy ENV="$PR_ENV" AUTO_APPROVE=1' in destroy_runs
    for job in ephemeral["jobs"].values():
        assert "github.event.pull_request.head.repo.full_name == github.repository" in job["if"]


def test_sweep_runs_on_a_schedule():
    sweep = load(REPO / ".github" / "workflows" / "sweep.yml")
    assert triggers(sweep)["schedule"][0]["cron"]


def test_jobs_that_reach_azure_take_their_runner_from_a_variable():
    """The data planes deny unknown networks (prod: no public endpoints at all), so where a
    cloud job runs is a setting of the repository, not a fixed GitHub-hosted label."""
    for path in WORKFLOWS:
        for job_name, job, step in steps(load(path)):
            if step.get("uses") == "./.github/actions/azure-login":
                assert "vars.CLICKSTREAM_RUNNER" in job["runs-on"], f"{path.name}:{job_name}"
    deploy = load(REPO / ".github" / "workflows" / "deploy.yml")
    for job_name in ("plan-prod", "apply-prod"):
        assert deploy["jobs"][job_name]["runs-on"].startswith("${{ vars.CLICKSTREAM_PROD_RUNNER ||")

"""`make validate`: Terraform validate and a mocked apply + destroy of every environment,
with the real provider schemas (the shared mirror, or the registry), and what they catch."""

from __future__ import annotations

import io
import json
import shutil
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from contract.environments import BOOTSTRAP
from infra.terraform import __main__ as validate_cli
from infra.terraform import diagnostics, planjson, providers
from infra.terraform.workdir import (
    LOCK_FILE,
    SOURCE_PACKAGES,
    TerraformError,
    check_sources_reachable,
    lock_file_set_aside,
)
from review.build import build_review
from review.plan import load_plan
from tests.conftest import EXPIRES_ON, REPO_ROOT, SYNTH_ENVS

STACKS = (*SYNTH_ENVS, BOOTSTRAP)
needs_providers = pytest.mark.skipif(
    shutil.which("terraform") is None, reason="Terraform is a prerequisite (make setup checks it)"
)


def stage(synthesized_outdir: Path, target: Path, edit=None) -> Path:
    """A copy of the synthesized stacks laid out like <repo>/cdktf.out, the code linked beside it."""
    outdir = target / "cdktf.out"
    for env in STACKS:
        (outdir / "stacks" / env).mkdir(parents=True)
        doc = json.loads((synthesized_outdir / "stacks" / env / "cdk.tf.json").read_text())
        if edit:
            edit(env, doc)
        (outdir / "stacks" / env / "cdk.tf.json").write_text(json.dumps(doc, indent=2))
    for package in SOURCE_PACKAGES:
        (target / package).symlink_to(REPO_ROOT / package)
    return outdir


def first(doc: dict, type_: str) -> tuple[str, dict]:
    return next(iter(doc["resource"][type_].items()))


@pytest.fixture(autouse=True)
def _expiry(monkeypatch):
    monkeypatch.setenv("CLICKSTREAM_EXPIRES_ON", EXPIRES_ON)


@pytest.fixture(scope="module")
def checked(synthesized_outdir, tmp_path_factory):
    """Every environment validated and tested once; (exit code, output, plan dir)."""
    base = tmp_path_factory.mktemp("validate")
    outdir = stage(synthesized_outdir, base)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CLICKSTREAM_EXPIRES_ON", EXPIRES_ON)
        out = io.StringIO()
        with redirect_stdout(out):
            code = validate_cli.main(["--outdir", str(outdir), "--plan-dir", str(base / "plans")])
    return code, out.getvalue(), base / "plans", outdir


@pytest.mark.slow
@needs_providers
def test_every_environment_validates_and_applies_and_destroys_under_mocks(checked):
    code, output, _, _ = checked
    assert code == 0, output
    for env in SYNTH_ENVS:
        assert f"{env}: ok (0 errors" in output and "2 runs passed" in output, output
    assert "prod: ok" in output and "destroy refused by prevent_destroy on 4" in output
    assert "bootstrap: ok (0 errors" in output and "4/4 environments ok" in output


@pytest.mark.slow
@needs_providers
def test_checks_leave_no_mirror_trace_for_a_later_deploy(checked):
    _, _, _, outdir = checked
    for env in STACKS:
        stack = outdir / "stacks" / env
        assert not (stack / ".terraform").exists() and not (stack / LOCK_FILE).exists()
        assert not list(stack.glob("*.tftest.json"))


@pytest.mark.slow
@needs_providers
def test_review_of_the_mocked_plan_lists_every_synthesized_resource(checked, synthesized):
    _, _, plans, _ = checked
    for env in SYNTH_ENVS:
        changes, _, _ = load_plan(plans / f"plan-{env}.json")
        expected = {f"{t}.{n}" for t, instances in synthesized[env]["resource"].items() for n in instances}
        assert {c.address for c in changes} == expected
        assert {c.action.value for c in changes} == {"create"}
        plan = json.loads((plans / f"plan-{env}.json").read_text())
        [secret] = [c for c in plan["resource_changes"] if c["type"] == "azurerm_key_vault_secret"]
        assert secret["change"]["after"].get("value") is None and secret["change"]["after"].get("value_wo") is None


@pytest.mark.slow
@needs_providers
def test_review_renders_the_mocked_plan_with_its_access_changes(checked):
    _, _, plans, _ = checked
    review = build_review(env="dev", plan=plans / "plan-dev.json", before=None, after=None, sarif=[])
    assert review.access  # unknown computed lists (a group's members) did not stop it


@pytest.mark.slow
@needs_providers
def test_a_planted_schema_error_fails_with_env_address_attribute_and_construct(synthesized_outdir, tmp_path, capsys):
    def plant(env, doc):
        if env == "dev":
            first(doc, "azurerm_key_vault")[1]["sku_name"] = "cheap"

    outdir = stage(synthesized_outdir, tmp_path, plant)
    assert validate_cli.main(["--outdir", str(outdir), "--env", "dev", "--no-test"]) == 1
    output = capsys.readouterr().out
    line = next(text for text in output.splitlines() if "cheap" in text)
    assert line.strip().startswith("dev: error: azurerm_key_vault.") and ".sku_name: expected sku_name" in line
    assert "[construct dev/secrets/this]" in line
    assert "failed: dev" in output


@pytest.mark.slow
@needs_providers
def test_a_broken_promise_fails_the_mocked_apply_with_its_name(synthesized_outdir, tmp_path, capsys):
    def plant(env, doc):
        if env == "prod":
            first(doc, "azurerm_storage_account")[1]["public_network_access_enabled"] = True

    outdir = stage(synthesized_outdir, tmp_path, plant)
    assert validate_cli.main(["--outdir", str(outdir), "--env", "prod"]) == 1
    output = capsys.readouterr().out
    assert "promise broken: public network access off (azurerm_storage_account)" in output


def test_sources_not_beside_the_output_are_a_clear_error(tmp_path):
    stack = tmp_path / "out" / "stacks" / "dev"
    stack.mkdir(parents=True)
    with pytest.raises(TerraformError, match="reads its workspace files from"):
        check_sources_reachable(stack)


def test_an_existing_lock_file_is_set_aside_and_restored(tmp_path):
    (tmp_path / LOCK_FILE).write_text("registry hashes")
    with lock_file_set_aside(tmp_path):
        assert not (tmp_path / LOCK_FILE).exists()
        (tmp_path / LOCK_FILE).write_text("mirror hashes")
    assert (tmp_path / LOCK_FILE).read_text() == "registry hashes"


def test_plugin_dir_named_by_the_variable_must_exist(tmp_path):
    assert providers.plugin_dir({providers.PLUGIN_DIR_VARIABLE: str(tmp_path)}) == tmp_path
    with pytest.raises(FileNotFoundError, match=providers.PLUGIN_DIR_VARIABLE):
        providers.plugin_dir({providers.PLUGIN_DIR_VARIABLE: str(tmp_path / "missing")})


def test_no_mirror_means_the_registry(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    assert providers.plugin_dir({}, repo=repo) is None
    (tmp_path / "shared" / "terraform-providers").mkdir(parents=True)
    assert providers.plugin_dir({}, repo=repo) == tmp_path / "shared" / "terraform-providers"


def test_diagnostic_without_address_is_located_by_its_snippet():
    doc = {"resource": {"azurerm_storage_account": {"lake": {"//": {"metadata": {"path": "dev/storage/this"}}}}}}
    validate = {
        "diagnostics": [
            {
                "severity": "error",
                "summary": "Extraneous JSON object property",
                "detail": 'No argument or block type is named "min_tls_versio".',
                "snippet": {"context": "resource.azurerm_storage_account.lake", "code": '  "min_tls_versio": "TLS1_2"'},
            }
        ]
    }
    [found] = diagnostics.parse("dev", json.dumps(validate), doc)
    assert found.line() == (
        "dev: error: azurerm_storage_account.lake.min_tls_versio: Extraneous JSON object property"
        ' No argument or block type is named "min_tls_versio". [construct dev/storage/this]'
    )


def test_plan_document_rebuilds_planned_values_from_the_changes():
    change = {
        "address": "random_password.k",
        "mode": "managed",
        "type": "random_password",
        "name": "k",
        "provider_name": "registry.terraform.io/hashicorp/random",
        "change": {"actions": ["create"], "before": None, "after": {"length": 32}, "after_sensitive": {}},
    }
    lines = [
        json.dumps({"type": "version", "terraform": "1.11.4"}),
        json.dumps({"type": "test_plan", "@testrun": "plan", "test_plan": {"resource_changes": [change]}}),
    ]
    plan = planjson.plan_document("\n".join(lines))
    assert plan["terraform_version"] == "1.11.4" and plan["resource_changes"] == [change]
    assert plan["planned_values"]["root_module"]["resources"][0]["values"] == {"length": 32}
    with pytest.raises(ValueError, match="no test_plan"):
        planjson.plan_document(lines[0])


@pytest.mark.slow
@needs_providers
def test_checkov_plan_scan_of_the_mocked_plans_has_no_unsuppressed_failure(checked):
    """checkov's plan framework on the rebuilt plan: every failure is one the environment's
    reviewed suppressions already accept for its configuration scan."""
    from checkov.runner_filter import RunnerFilter
    from checkov.terraform.plan_runner import Runner

    from policies import suppressions
    from synthesized.stack import env_kind

    _, _, plans, _ = checked
    for env in SYNTH_ENVS:
        report = Runner().run(
            root_folder=None,
            files=[str(plans / f"plan-{env}.json")],
            runner_filter=RunnerFilter(framework=["terraform_plan"]),
        )
        assert report.passed_checks, f"{env}: the plan scan checked nothing"
        accepted = suppressions.load(suppressions.suppressions_file(env_kind(env)))
        # Our CKV_CLK checks read the synthesized stack (make scan), not a plan: built-in ones here.
        unsuppressed = [
            (r.check_id, r.resource)
            for r in report.failed_checks
            if not r.check_id.startswith("CKV_CLK") and not any(s.matches(r.check_id, r.resource) for s in accepted)
        ]
        assert not unsuppressed, f"{env}: {unsuppressed}"


def test_configuration_rebuilt_from_the_stack_names_what_each_value_refers_to():
    doc = {
        "resource": {
            "azurerm_monitor_diagnostic_setting": {
                "blob": {
                    "target_resource_id": "${azurerm_storage_account.lake.id}/blobServices/default",
                    "name": "to-log-analytics",
                    "enabled_log": {"category_group": "allLogs"},
                    "//": {"metadata": {}},
                }
            }
        }
    }
    [resource] = planjson.configuration(doc)["root_module"]["resources"]
    assert resource["address"] == "azurerm_monitor_diagnostic_setting.blob"
    assert resource["expressions"] == {
        "target_resource_id": {"references": ["azurerm_storage_account.lake.id", "azurerm_storage_account.lake"]},
        "name": {"constant_value": "to-log-analytics"},
        "enabled_log": [{"category_group": {"constant_value": "allLogs"}}],
    }


@pytest.mark.slow
@needs_providers
def test_prod_destroy_must_be_refused_for_every_stateful_resource(synthesized_outdir, tmp_path, capsys):
    def plant(env, doc):
        if env == "prod":
            del first(doc, "azurerm_storage_account")[1]["lifecycle"]

    outdir = stage(synthesized_outdir, tmp_path, plant)
    assert validate_cli.main(["--outdir", str(outdir), "--env", "prod"]) == 1
    output = capsys.readouterr().out
    assert "prod: azurerm_storage_account." in output and "has no lifecycle.prevent_destroy" in output

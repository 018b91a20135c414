"""The synthesized stack against the pinned providers themselves (offline: providers from
the shared plugin folder, clouds mocked): the raw `ephemeral` block and the write-only
key are accepted, and a plan against mocked clouds holds no key in the secret."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from infra.constructs.code import UPLOADED_PACKAGES
from tests.conftest import REPO_ROOT
from tests.infra.synth_json import resources

pytestmark = pytest.mark.slow

# shared/ lies beside the repository, in a worktree and in CI's clone alike.
PLUGIN_DIR = REPO_ROOT.parent / "shared" / "terraform-providers"
TERRAFORM = shutil.which("terraform")
needs_providers = pytest.mark.skipif(
    TERRAFORM is None or not PLUGIN_DIR.is_dir(), reason=f"needs terraform and {PLUGIN_DIR}"
)

# The clouds are mocked; random is real (mocks cannot serve ephemeral resources).
MOCKED_PLAN = """
mock_provider "azurerm" {
  mock_data "azurerm_client_config" {
    defaults = { tenant_id = "11111111-1111-1111-1111-111111111111", object_id = "22222222-2222-2222-2222-222222222222" }
  }
}
mock_provider "azuread" {
  mock_data "azuread_client_config" {
    defaults = { object_id = "44444444-4444-4444-4444-444444444444" }
  }
  mock_data "azuread_service_principal" {
    defaults = { object_id = "55555555-5555-5555-5555-555555555555" }
  }
}
mock_provider "time" {}
mock_provider "databricks" {}
mock_provider "databricks" {
  alias = "account"
}

run "mocked_plan" {
  command = plan
  assert {
    condition     = SECRET.value == null && SECRET.value_wo == null
    error_message = "the Key Vault secret's value is in the plan (and would be in state)"
  }
  assert {
    condition     = SECRET.value_wo_version == VERSION
    error_message = "the key version is not the configured one"
  }
}
"""


def _terraform(stack_dir, *args: str) -> subprocess.CompletedProcess:
    environ = dict(os.environ, CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1")
    return subprocess.run(
        [TERRAFORM, *args, "-no-color"], cwd=stack_dir, env=environ, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def dev_stack(synthesized_outdir, tmp_path_factory):
    """dev's stack initialised with the pinned providers, where `../../..` finds the sources."""
    root = tmp_path_factory.mktemp("tfcheck")
    for package in UPLOADED_PACKAGES:
        (root / package).symlink_to(REPO_ROOT / package)
    stack_dir = root / "cdktf.out" / "stacks" / "dev"
    stack_dir.mkdir(parents=True)
    shutil.copy(synthesized_outdir / "stacks" / "dev" / "cdk.tf.json", stack_dir)
    init = _terraform(stack_dir, "init", f"-plugin-dir={PLUGIN_DIR}")  # local backend: a temporary state
    assert init.returncode == 0, init.stderr
    return stack_dir


@needs_providers
def test_providers_accept_the_ephemeral_key_and_the_write_only_secret(dev_stack):
    validate = _terraform(dev_stack, "validate")
    assert validate.returncode == 0, validate.stderr
    schema = json.loads(_terraform(dev_stack, "providers", "schema", "-json").stdout)["provider_schemas"]
    secret = schema["registry.terraform.io/hashicorp/azurerm"]["resource_schemas"]["azurerm_key_vault_secret"]
    assert secret["block"]["attributes"]["value_wo"].get("write_only") is True
    assert "random_password" in schema["registry.terraform.io/hashicorp/random"]["ephemeral_resource_schemas"]
    pipeline = schema["registry.terraform.io/databricks/databricks"]["resource_schemas"]["databricks_pipeline"]
    assert set(pipeline["block"]["block_types"]["run_as"]["block"]["attributes"]) >= {"service_principal_name"}


@needs_providers
def test_plan_with_mocked_clouds_holds_no_key_in_the_secret(dev_stack, synthesized):
    [(name, secret)] = resources(synthesized["dev"], "azurerm_key_vault_secret").items()
    test_file = dev_stack / "tests" / "no_key_in_plan.tftest.hcl"
    test_file.parent.mkdir(exist_ok=True)
    test_file.write_text(
        MOCKED_PLAN.replace("SECRET", f"azurerm_key_vault_secret.{name}").replace(
            "VERSION", str(secret["value_wo_version"])
        )
    )
    result = _terraform(dev_stack, "test")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed, 0 failed" in result.stdout

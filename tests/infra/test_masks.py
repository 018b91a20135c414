"""Column masks in the synthesized stacks: the deploy's SQL script is exactly the contract's,
run by a job on the warehouse, and the pipeline knows the catalog its masks live in."""

from __future__ import annotations

import base64

import pytest

from contract import masks, rbac
from infra.config import load_environment
from infra.constructs.masks import SCRIPT
from infra.naming import Names
from pipelines.clickstream import settings
from tests.conftest import EXPIRES_ON, SYNTH_ENVS
from tests.infra.synth_json import only, referenced, resources

pytestmark = pytest.mark.slow
ENVS = pytest.mark.parametrize("env", SYNTH_ENVS)


def _names(env) -> Names:
    return Names(env=env, location=load_environment(env, {"CLICKSTREAM_EXPIRES_ON": EXPIRES_ON}).location)


@ENVS
def test_the_deploy_script_creates_the_contract_mask_functions_in_the_environment_catalog(synthesized, env):
    doc, names = synthesized[env], _names(env)
    (script,) = [f for f in resources(doc, "databricks_workspace_file").values() if f["path"].endswith(SCRIPT)]
    groups = {role: names.group(role) for role in rbac.ROLES}
    assert base64.b64decode(script["content_base64"]).decode() == masks.function_statements(names.catalog, groups)


@ENVS
def test_a_job_runs_the_script_on_the_warehouse(synthesized, env):
    doc, names = synthesized[env], _names(env)
    (job,) = [j for j in resources(doc, "databricks_job").values() if j["name"] == names.masks_job]
    (task,) = job["task"]
    assert referenced(doc, task["sql_task"]["warehouse_id"])[0] == "databricks_sql_endpoint"
    kind, script = referenced(doc, task["sql_task"]["file"]["path"])
    assert kind == "databricks_workspace_file" and script["path"].endswith(SCRIPT)
    assert task["sql_task"]["file"]["source"] == "WORKSPACE"
    assert "schedule" not in job  # run by the deploy, not on a clock
    assert doc["output"]["masks_job_id"]


@ENVS
def test_the_pipeline_is_told_the_catalog_of_its_mask_functions(synthesized, env):
    pipeline = only(synthesized[env], "databricks_pipeline")
    assert pipeline["configuration"][settings.CATALOG] == pipeline["catalog"]

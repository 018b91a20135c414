"""Column masks in the synthesized stacks: the deploy step's statements are exactly the
contract's, run by a job on the warehouse, and the pipeline knows the catalog of its masks."""

from __future__ import annotations

import pytest

from contract import masks, rbac
from infra.config import load_environment
from infra.naming import Names
from pipelines.clickstream import settings
from tests.conftest import EXPIRES_ON, SYNTH_ENVS
from tests.infra.synth_json import only, referenced, resources

pytestmark = pytest.mark.slow
ENVS = pytest.mark.parametrize("env", SYNTH_ENVS)


def _names(env) -> Names:
    return Names(env=env, location=load_environment(env, {"CLICKSTREAM_EXPIRES_ON": EXPIRES_ON}).location)


@ENVS
def test_a_job_creates_each_contract_mask_function_in_the_environment_catalog(synthesized, env):
    doc, names = synthesized[env], _names(env)
    (job,) = [j for j in resources(doc, "databricks_job").values() if j["name"] == names.masks_job]
    groups = {role: names.group(role) for role in rbac.ROLES}
    statements = {}
    for task in job["task"]:
        assert referenced(doc, task["sql_task"]["warehouse_id"])[0] == "databricks_sql_endpoint"
        kind, query = referenced(doc, task["sql_task"]["query"]["query_id"])
        assert kind == "databricks_query"
        statements[task["task_key"]] = query["query_text"]
    assert statements == {m.function: masks.function_statement(names.catalog, m, groups) for m in masks.masks()}
    assert "schedule" not in job  # run by the deploy, not on a clock
    assert doc["output"]["masks_job_id"]


@ENVS
def test_the_pipeline_is_told_the_catalog_of_its_mask_functions(synthesized, env):
    pipeline = only(synthesized[env], "databricks_pipeline")
    assert pipeline["configuration"][settings.CATALOG] == pipeline["catalog"]


def test_readme_matrix_shows_each_sensitive_column_as_each_role_sees_it():
    from tests.infra.test_stack import readme_matrix

    rows = readme_matrix()
    for column, mask in masks.SENSITIVE_COLUMNS.items():
        row = rows[f"column `{column}` (gold, masked)"]
        assert {role for role in rbac.ROLES if row[role] == "as stored"} == set(masks.SEES_UNMASKED)
        assert row[rbac.DATA_ANALYSTS] == mask.shown_as and row[rbac.PRODUCERS] == ""

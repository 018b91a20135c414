"""The offline configuration diff on small hand-built stacks: actions, the force-new
heuristic, propagation through references, moved blocks, bad input."""

from __future__ import annotations

import json

import pytest

from review.build import build_review
from review.cli import main
from review.model import Action


def stack(tmp_path, name, resources, moved=None):
    path = tmp_path / name / "stacks" / "dev" / "cdk.tf.json"
    path.parent.mkdir(parents=True)
    document = {"resource": resources}
    if moved:
        document["moved"] = moved
    path.write_text(json.dumps(document))
    return tmp_path / name


BASE = {
    "azurerm_storage_account": {
        "lake": {
            "name": "stlake",
            "is_hns_enabled": True,
            "account_replication_type": "LRS",
            "//": {"metadata": {"path": "dev/storage/lake"}},
        }
    },
    "azurerm_storage_container": {
        "landing": {"name": "landing", "storage_account_id": "${azurerm_storage_account.lake.id}"}
    },
    "databricks_external_location": {
        "landing": {
            "name": "landing",
            "url": "abfss://landing@${azurerm_storage_account.lake.name}.dfs.core.windows.net/",
        }
    },
}


def review(tmp_path, after_resources, moved=None):
    before = stack(tmp_path, "main", BASE)
    after = stack(tmp_path, "branch", after_resources, moved)
    return build_review(env="dev", before=before, after=after)


def variant(**edits):
    resources = json.loads(json.dumps(BASE))
    for path, value in edits.items():
        rtype, name, attribute = path.split("__")
        resources[rtype][name][attribute] = value
    return resources


def actions(result):
    return {c.address: c.action for c in result.changes}


def test_updatable_attribute_is_an_update(tmp_path):
    result = review(tmp_path, variant(azurerm_storage_account__lake__account_replication_type="ZRS"))
    assert actions(result) == {"azurerm_storage_account.lake": Action.UPDATE}
    assert result.warnings == [] and result.is_config_diff


def test_force_new_attribute_replaces_and_propagates_only_through_computed_references(tmp_path):
    result = review(tmp_path, variant(azurerm_storage_account__lake__is_hns_enabled=False))
    # The container refers to the account's id (computed): replaced. The external location
    # refers to its name (configured, unchanged): untouched.
    assert actions(result) == {
        "azurerm_storage_account.lake": Action.REPLACE,
        "azurerm_storage_container.landing": Action.REPLACE,
    }
    assert {w.address for w in result.warnings} == set(actions(result))


def test_renamed_account_propagates_through_its_name(tmp_path):
    result = review(tmp_path, variant(azurerm_storage_account__lake__name="stlake2"))
    assert actions(result)["databricks_external_location.landing"] is Action.UPDATE
    assert actions(result)["azurerm_storage_account.lake"] is Action.REPLACE


def test_moved_block_is_not_a_delete_and_create(tmp_path):
    resources = json.loads(json.dumps(BASE))
    resources["azurerm_storage_container"]["landing_v2"] = resources["azurerm_storage_container"].pop("landing")
    result = review(
        tmp_path,
        resources,
        moved=[{"from": "azurerm_storage_container.landing", "to": "azurerm_storage_container.landing_v2"}],
    )
    assert actions(result) == {"azurerm_storage_container.landing_v2": Action.UPDATE}
    assert result.warnings == []


def test_removed_resource_is_a_delete_with_a_warning(tmp_path):
    resources = json.loads(json.dumps(BASE))
    del resources["azurerm_storage_container"]
    result = review(tmp_path, resources)
    assert actions(result) == {"azurerm_storage_container.landing": Action.DELETE}
    assert result.warnings[0].title == "Destroys container landing"


def test_missing_env_in_after_exits_2_naming_it(tmp_path, capsys):
    before = stack(tmp_path, "main", BASE)
    assert main(["--before", str(before), "--after", str(before), "--env", "pr-7"]) == 2
    assert "pr-7" in capsys.readouterr().err


@pytest.mark.parametrize(
    "document, message", [("[]", "expected a JSON object"), ('{"resource": {"a_b": []}}', "resource.a_b")]
)
def test_malformed_stack_exits_2_naming_the_field(tmp_path, capsys, document, message):
    before = stack(tmp_path, "main", BASE)
    broken = tmp_path / "broken.json"
    broken.write_text(document)
    assert main(["--before", str(before), "--after", str(broken)]) == 2
    err = capsys.readouterr().err
    assert str(broken) in err and message in err


def test_moving_the_code_folder_or_changing_a_secret_acl_replaces_them(tmp_path):
    before = {
        "databricks_directory": {"code": {"path": "/Shared/clickstream/dev"}},
        "databricks_secret_acl": {"pipelines": {"scope": "clickstream-dev", "principal": "g", "permission": "READ"}},
    }
    after = {
        "databricks_directory": {"code": {"path": "/Deployments/clickstream/dev"}},
        "databricks_secret_acl": {"pipelines": {"scope": "clickstream-dev", "principal": "g", "permission": "WRITE"}},
    }
    result = build_review(env="dev", before=stack(tmp_path, "main", before), after=stack(tmp_path, "branch", after))
    assert {c.address: c.action for c in result.changes} == {
        "databricks_directory.code": Action.REPLACE,
        "databricks_secret_acl.pipelines": Action.REPLACE,
    }

"""The inventory reads resources and access from the synthesized JSON, nothing else."""

from __future__ import annotations

import json
import shutil

import pytest

from demo import infra_view, inventory


def _copy_stack(synthesized_outdir, tmp_path, env: str = "dev"):
    target = tmp_path / "stacks" / env / "cdk.tf.json"
    target.parent.mkdir(parents=True)
    shutil.copy(synthesized_outdir / "stacks" / env / "cdk.tf.json", target)
    return target


def test_inventory_counts_every_resource_of_the_stack(synthesized, synthesized_outdir):
    for env, doc in synthesized.items():
        inv = inventory.load(synthesized_outdir, env)
        assert inv.by_type == {t: len(by_name) for t, by_name in doc["resource"].items()}
        assert sum(sum(types.values()) for types in inv.by_category().values()) == inv.total


def test_every_synthesized_type_has_a_category(synthesized):
    """A new construct's type must be placed in a category, not hidden under "other"."""
    types = {t for doc in synthesized.values() for t in doc["resource"]}
    assert sorted(types - set(inventory.CATEGORY_OF)) == []


def test_categories_table_has_a_count_column_per_environment(synthesized_outdir):
    inventories = [inventory.load(synthesized_outdir, env) for env in ("dev", "prod")]
    data = infra_view.categories_table(inventories)
    assert data.columns[:3] == ("kind", "dev", "prod")
    rows = {row[0]: row for row in data.rows}
    assert rows["total"][1:3] == (f"{inventories[0].total:,}", f"{inventories[1].total:,}")
    # prod's deletion locks are its own: the table shows the difference between environments.
    assert rows["protection"][1] == "0" and int(rows["protection"][2]) > 0


def test_access_matrix_of_dev_shows_the_synthesized_grants(synthesized_outdir):
    data = infra_view.access_matrix(inventory.load(synthesized_outdir, "dev"))
    assert data.columns == (
        "object",
        "platform-admins",
        "data-engineers",
        "data-analysts",
        "producers",
        "pipelines",
        "clickstream-dev-pipeline",
    )
    cells = {
        row[0]: {p: set(c.split(", ")) - {""} for p, c in zip(data.columns[1:], row[1:], strict=False)}
        for row in data.rows
    }
    assert cells["catalog clickstream_dev"]["platform-admins"] == {"ALL_PRIVILEGES"}
    assert cells["schema gold"]["data-analysts"] == {"USE_SCHEMA", "SELECT"}
    assert cells["schema bronze"]["data-analysts"] == cells["schema silver"]["data-analysts"] == set()
    assert cells["volume bronze.landing"]["producers"] == {"READ_VOLUME", "WRITE_VOLUME"}
    assert cells["pipeline clickstream-dev"]["producers"] == {"CAN_RUN"}
    assert cells["pipeline clickstream-dev"]["clickstream-dev-pipeline"] == {"IS_OWNER"}  # its run-as principal
    assert cells["secret scope clickstream-dev"]["pipelines"] == {"READ"}
    assert cells["folder /Deployments/clickstream/dev"]["pipelines"] == {"CAN_READ"}
    assert cells["workspace dbw-clickstream-dev"]["platform-admins"] == {"ADMIN"}
    assert [row[0] for row in data.rows][:4] == [
        "catalog clickstream_dev",
        "schema bronze",
        "schema silver",
        "schema gold",
    ]


def test_a_grant_added_to_the_json_shows_up_as_its_own_column(synthesized_outdir, tmp_path):
    path = _copy_stack(synthesized_outdir, tmp_path)
    doc = json.loads(path.read_text())
    grants = next(g for g in doc["resource"]["databricks_grants"].values() if "schema" in g and "gold" in g["schema"])
    grants["grant"].append({"principal": "someone@example.com", "privileges": ["SELECT"]})
    path.write_text(json.dumps(doc))
    data = infra_view.access_matrix(inventory.load(tmp_path, "dev"))
    assert data.columns[-1] == "someone@example.com"
    gold = next(row for row in data.rows if row[0] == "schema gold")
    assert gold[-1] == "SELECT"


def test_azure_roles_name_the_principal_and_the_scope(synthesized_outdir):
    data = infra_view.azure_roles_table(inventory.load(synthesized_outdir, "dev"))
    rows = {(p, role, scope) for p, role, scope in data.rows}
    assert ("id-clickstream-dev-producer", "Storage Blob Data Contributor", "container landing") in rows
    assert any(p.startswith("deployer") and scope.startswith("key vault") for p, _, scope in rows)


def test_a_missing_stack_is_refused_naming_the_file(tmp_path):
    with pytest.raises(inventory.InventoryError, match=r"stacks/qa/cdk\.tf\.json"):
        inventory.load(tmp_path, "qa")


def test_a_grant_on_an_unknown_resource_is_refused_naming_it(synthesized_outdir, tmp_path):
    path = _copy_stack(synthesized_outdir, tmp_path)
    doc = json.loads(path.read_text())
    name, grants = next(iter(doc["resource"]["databricks_grants"].items()))
    for key in inventory.GRANT_SECURABLE_KEYS:
        grants.pop(key, None)
    grants["schema"] = "${databricks_schema.nowhere.id}"
    path.write_text(json.dumps(doc))
    with pytest.raises(inventory.InventoryError, match="databricks_schema.nowhere"):
        inventory.load(tmp_path, "dev")

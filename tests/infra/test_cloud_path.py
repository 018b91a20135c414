"""What a first apply, a second plan and a destroy on a real subscription need, read from
the synthesized configuration (issue #15): ordering and propagation waits, reachable data
planes, categories Azure accepts, destroy protection, normalised values, isolation.

Each test names the provider or Azure behaviour it protects against; see infra/README.md,
"First deploy on a new subscription"."""

from __future__ import annotations

import json
import re

import pytest

from infra.config import load_environment
from infra.constructs.network import PRIVATE_DNS_ZONES
from infra.constructs.observability import DIAGNOSTIC_CATEGORIES
from infra.naming import Names
from tests.conftest import EXPIRES_ON, SYNTH_ENVS, synth_into
from tests.infra.synth_json import REFERENCE, named, only, reference_type, resources

pytestmark = pytest.mark.slow

ENVS = pytest.mark.parametrize("env", SYNTH_ENVS)
CONFIGS = {name: load_environment(name, {"CLICKSTREAM_EXPIRES_ON": EXPIRES_ON}) for name in SYNTH_ENVS}
STATEFUL = ("azurerm_storage_account", "azurerm_key_vault", "azurerm_databricks_workspace", "databricks_catalog")
# The ARM type of a diagnostic setting's target: the referenced resource, plus a sub-resource suffix.
TARGET_TYPES = {
    ("azurerm_storage_account", ""): "Microsoft.Storage/storageAccounts",
    ("azurerm_storage_account", "/blobServices/default"): "Microsoft.Storage/storageAccounts/blobServices",
    ("azurerm_storage_account", "/queueServices/default"): "Microsoft.Storage/storageAccounts/queueServices",
    ("azurerm_key_vault", ""): "Microsoft.KeyVault/vaults",
    ("azurerm_databricks_workspace", ""): "Microsoft.Databricks/workspaces",
}


def depends_on(resource: dict) -> set[str]:
    return set(resource.get("depends_on", []))


def address(doc: dict, kind: str, predicate=lambda r: True) -> set[str]:
    return {f"{kind}.{name}" for name, r in resources(doc, kind).items() if predicate(r)}


def role_waits(doc: dict, resource: dict) -> set[str]:
    """Roles (by name) that ``resource`` waits for through a time_sleep it depends on."""
    roles = set()
    assignments = resources(doc, "azurerm_role_assignment")
    for name, sleep in resources(doc, "time_sleep").items():
        if f"time_sleep.{name}" not in depends_on(resource):
            continue
        assert re.fullmatch(r"\d+s", sleep["create_duration"]) and int(sleep["create_duration"][:-1]) >= 60
        for trigger in sleep["triggers"].values():
            match = REFERENCE.match(trigger)
            assert match and match.group(1) == "azurerm_role_assignment", trigger
            roles.add(assignments[match.group(2)]["role_definition_name"])
    return roles


@ENVS
def test_unity_catalog_validates_the_lake_only_after_the_connector_roles_propagated(synthesized, env):
    doc = synthesized[env]
    containers = address(doc, "azurerm_storage_container")
    for kind in ("databricks_storage_credential", "databricks_external_location"):
        for name, resource in resources(doc, kind).items():
            assert role_waits(doc, resource) >= {"Storage Blob Data Contributor", "Storage Queue Data Contributor"}, (
                name
            )
            assert containers <= depends_on(resource), f"{kind}.{name} must wait for the containers"


@ENVS
def test_catalog_and_volume_wait_for_their_container_and_location(synthesized, env):
    doc = synthesized[env]
    catalog, volume = only(doc, "databricks_catalog"), only(doc, "databricks_volume")
    by_name = {
        r["name"]: f"azurerm_storage_container.{n}" for n, r in resources(doc, "azurerm_storage_container").items()
    }
    assert by_name["catalog"] in depends_on(catalog)
    assert by_name["landing"] in depends_on(volume)
    for dependent in (catalog, volume):
        assert any(d.startswith("databricks_external_location.") for d in depends_on(dependent))


@ENVS
def test_key_vault_secret_and_secret_scope_wait_for_their_roles(synthesized, env):
    doc = synthesized[env]
    assert "Key Vault Secrets Officer" in role_waits(doc, only(doc, "azurerm_key_vault_secret"))
    assert "Key Vault Secrets User" in role_waits(doc, only(doc, "databricks_secret_scope"))


@ENVS
def test_warehouse_permissions_wait_for_the_groups_workspace_assignment(synthesized, env):
    doc = synthesized[env]
    permissions = [p for p in resources(doc, "databricks_permissions").values() if "sql_endpoint_id" in p]
    assert len(permissions) == 1
    assert address(doc, "databricks_mws_permission_assignment") <= depends_on(permissions[0])


@pytest.fixture(scope="module")
def with_metastore(tmp_path_factory) -> dict:
    """dev synthesized with a configured metastore (CLICKSTREAM_METASTORE_ID)."""
    outdir = synth_into(
        tmp_path_factory.mktemp("metastore"),
        ("dev",),
        {"CLICKSTREAM_METASTORE_ID": "11111111-2222-3333-4444-555555555555"},
    )
    return json.loads((outdir / "stacks" / "dev" / "cdk.tf.json").read_text())


def test_workspace_assignments_wait_for_the_metastore_assignment(with_metastore):
    doc = with_metastore
    metastore = address(doc, "databricks_metastore_assignment")
    assert len(metastore) == 1
    for name, assignment in resources(doc, "databricks_mws_permission_assignment").items():
        assert metastore <= depends_on(assignment), name
    assert metastore <= depends_on(only(doc, "databricks_storage_credential"))


def private_route(doc: dict, subresource: str) -> set[str]:
    """The private endpoints of ``subresource`` (each with its DNS record) and its zone's VNet link."""
    zones = {
        f"${{azurerm_private_dns_zone.{n}.name}}"
        for n, z in resources(doc, "azurerm_private_dns_zone").items()
        if z["name"] == PRIVATE_DNS_ZONES[subresource]
    }
    return address(
        doc, "azurerm_private_endpoint", lambda e: e["private_service_connection"]["subresource_names"] == [subresource]
    ) | address(
        doc, "azurerm_private_dns_zone_virtual_network_link", lambda link: link["private_dns_zone_name"] in zones
    )


@ENVS
def test_private_front_end_and_vault_are_reachable_before_anything_calls_them(synthesized, env):
    doc, private = synthesized[env], not CONFIGS[env].network.public_network_access
    front_end, vault = private_route(doc, "databricks_ui_api"), private_route(doc, "vault")
    assert len(front_end) == len(vault) == (2 if private else 0)
    workspace_level = {
        f"{kind}.{name}": r
        for kind, group in doc["resource"].items()
        if kind.startswith("databricks_")
        for name, r in group.items()
        if "provider" not in r
    }
    assert workspace_level
    for name, resource in workspace_level.items():
        assert front_end <= depends_on(resource), name
    assert vault <= depends_on(only(doc, "azurerm_key_vault_secret"))


@ENVS
def test_provider_does_not_call_the_firewalled_storage_data_plane(synthesized, env):
    doc = synthesized[env]
    (features,) = doc["provider"]["azurerm"][0]["features"]
    assert features["storage"] == [{"data_plane_available": False}]
    account = only(doc, "azurerm_storage_account")
    # Both need the data plane and are refused by the provider when it is unavailable.
    assert "queue_properties" not in account and "static_website" not in account


@ENVS
def test_diagnostic_settings_name_only_categories_their_target_supports(synthesized, env):
    doc = synthesized[env]
    seen = set()
    for name, setting in resources(doc, "azurerm_monitor_diagnostic_setting").items():
        target = setting["target_resource_id"]
        suffix = target[target.index("}") + 1 :]
        arm_type = TARGET_TYPES[(reference_type(target), suffix)]
        seen.add(arm_type)
        categories = DIAGNOSTIC_CATEGORIES[arm_type]
        assert [m["category"] for m in setting.get("enabled_metric", [])] == list(categories.metrics), name
        assert [g["category_group"] for g in setting.get("enabled_log", [])] == list(categories.log_groups), name
        if arm_type.startswith("Microsoft.Storage/"):
            # Azure: "Metric category 'AllMetrics' is not supported ... 'Capacity;Transaction'".
            assert {m["category"] for m in setting["enabled_metric"]} == {"Capacity", "Transaction"}, name
    assert seen == set(TARGET_TYPES.values())


@ENVS
def test_stateful_resources_prevent_destroy_exactly_where_configured(synthesized, env):
    doc, wanted = synthesized[env], CONFIGS[env].protection.prevent_destroy
    assert wanted is (env == "prod")  # prod's config asks for it; dev and ephemeral ones stay destroyable
    for kind in STATEFUL:
        for name, resource in resources(doc, kind).items():
            assert resource.get("lifecycle", {}).get("prevent_destroy", False) is wanted, f"{kind}.{name}"
    protected = {
        f"{kind}.{name}"
        for kind, group in doc["resource"].items()
        for name, r in group.items()
        if r.get("lifecycle", {}).get("prevent_destroy")
    }
    assert len(protected) == (len(STATEFUL) if wanted else 0)


@ENVS
def test_credential_and_external_locations_are_isolated_to_the_workspace(synthesized, env):
    doc = synthesized[env]
    assert only(doc, "databricks_storage_credential")["isolation_mode"] == "ISOLATION_MODE_ISOLATED"
    locations = resources(doc, "databricks_external_location").values()
    assert len(locations) == 2 and {loc["isolation_mode"] for loc in locations} == {"ISOLATION_MODE_ISOLATED"}
    assert only(doc, "databricks_catalog")["isolation_mode"] == "ISOLATED"
    # The provider binds the workspace it creates them from; no other workspace is bound.
    assert resources(doc, "databricks_workspace_binding") == {}


@ENVS
def test_workspace_files_use_the_path_form_the_api_returns(synthesized, env):
    doc = synthesized[env]
    paths = {f["path"] for f in resources(doc, "databricks_workspace_file").values()}
    assert paths and not any(p.startswith("/Workspace/") for p in paths)
    # The job still runs the uploaded entry point: the same file seen under /Workspace.
    producer = named(doc, "databricks_job", Names(env=env, location=CONFIGS[env].location).producer_job)
    (task,) = [t for t in producer["task"] if "spark_python_task" in t]
    assert task["spark_python_task"]["python_file"].removeprefix("/Workspace") in paths

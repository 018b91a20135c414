"""Per environment, from the synthesized JSON: ephemeral environments destroy cleanly and
leave nothing billable; prod protects its stateful resources. (The sweep and `make destroy
ENV=pr-<n>` depend on these properties; the lead's infra/ provides them.)"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.slow
EPHEMERAL, LONG_LIVED = ("pr-42",), ("dev", "prod")


def resources(stack: dict, rtype: str) -> dict[str, dict]:
    return stack.get("resource", {}).get(rtype, {})


def block(value):
    """cdktf writes a single nested block as an object, Terraform JSON allows a list of one."""
    return value[0] if isinstance(value, list) and value else (value or {})


def azurerm_features(stack: dict) -> dict:
    providers = stack["provider"]["azurerm"]
    return block(block(providers)["features"])


@pytest.mark.parametrize("env", EPHEMERAL)
def test_ephemeral_catalog_and_schemas_are_force_destroyed(synthesized, env):
    stack = synthesized[env]
    for rtype in ("databricks_catalog", "databricks_schema"):
        assert resources(stack, rtype), f"{env}: no {rtype}"
        for name, config in resources(stack, rtype).items():
            assert config.get("force_destroy") is True, f"{env}: {rtype}.{name}.force_destroy must be true"


@pytest.mark.parametrize("env", EPHEMERAL)
def test_ephemeral_env_has_no_deletion_locks(synthesized, env):
    assert resources(synthesized[env], "azurerm_management_lock") == {}


# dev keeps purge protection: a documented exception (README, environments table;
# infra/environments/dev.yaml), so only ephemeral environments are held to this.
@pytest.mark.parametrize("env", EPHEMERAL)
def test_key_vault_is_not_purge_protected_in_ephemeral_envs(synthesized, env):
    for name, config in resources(synthesized[env], "azurerm_key_vault").items():
        assert config.get("purge_protection_enabled") in (False, None), f"{env}: azurerm_key_vault.{name}"


@pytest.mark.parametrize("env", EPHEMERAL)
def test_ephemeral_destroy_purges_the_vault_and_deletes_the_resource_group(synthesized, env):
    features = azurerm_features(synthesized[env])
    # A soft-deleted vault keeps its name (and bills nothing, but blocks a redeploy of the same env).
    assert block(features["key_vault"]).get("purge_soft_delete_on_destroy") is True
    # Resources created outside Terraform (the workspace's managed ones) must not block the delete.
    assert block(features["resource_group"]).get("prevent_deletion_if_contains_resources") is False


@pytest.mark.parametrize("env", EPHEMERAL)
def test_ephemeral_resource_groups_carry_what_the_sweep_reads(synthesized, env):
    groups = resources(synthesized[env], "azurerm_resource_group")
    assert groups
    for name, config in groups.items():
        tags = config.get("tags", {})
        assert tags.get("env") == env and tags.get("managed-by") == "cdktf", f"azurerm_resource_group.{name}"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", tags.get("expires-on", "")), f"azurerm_resource_group.{name}"


@pytest.mark.parametrize("env", LONG_LIVED)
def test_long_lived_envs_never_expire(synthesized, env):
    for name, config in resources(synthesized[env], "azurerm_resource_group").items():
        assert "expires-on" not in config.get("tags", {}), f"{env}: azurerm_resource_group.{name} would be swept"


def test_prod_locks_every_stateful_azure_resource(synthesized):
    stack = synthesized["prod"]
    locked = {
        scope
        for lock in resources(stack, "azurerm_management_lock").values()
        if lock.get("lock_level") == "CanNotDelete"
        for scope in re.findall(r"\$\{(\w+\.\w+)\.id\}", lock["scope"])
    }
    groups = {f"azurerm_resource_group.{name}" for name in resources(stack, "azurerm_resource_group")}
    for rtype in ("azurerm_storage_account", "azurerm_key_vault", "azurerm_databricks_workspace"):
        for name in resources(stack, rtype):
            assert f"{rtype}.{name}" in locked or locked & groups, f"prod: no CanNotDelete lock on {rtype}.{name}"


def test_prod_refuses_to_drop_data_on_destroy(synthesized):
    stack = synthesized["prod"]
    for name, config in resources(stack, "azurerm_key_vault").items():
        assert config.get("purge_protection_enabled") is True, f"prod: azurerm_key_vault.{name}"
    for rtype in ("databricks_catalog", "databricks_schema"):
        for name, config in resources(stack, rtype).items():
            assert config.get("force_destroy") is not True, f"prod: {rtype}.{name}.force_destroy"
    assert block(azurerm_features(stack)["resource_group"]).get("prevent_deletion_if_contains_resources") is True

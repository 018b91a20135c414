"""policies/azurerm_taggable.txt matches the installed azurerm provider bindings."""

from __future__ import annotations

from policies import taggable


def test_taggable_list_is_current_for_the_installed_provider():
    generated = taggable.render(taggable.scan_provider(taggable.provider_package()))
    assert taggable.LIST_FILE.read_text(encoding="utf-8") == generated, "run `make policies-taggable`"


def test_taggable_list_knows_the_resources_we_deploy():
    types = taggable.load()
    assert {"azurerm_storage_account", "azurerm_databricks_workspace", "azurerm_key_vault"} <= types
    assert not {"azurerm_role_assignment", "azurerm_storage_container", "azurerm_subnet"} & types

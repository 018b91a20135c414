"""The permission tables cover every type the stacks hold, and the bootstrap grants each
identity exactly what those tables derive from its environment's stack."""

from __future__ import annotations

import pytest

from infra import permissions
from infra.trust import load_platform
from tests.conftest import SYNTH_ENVS

pytestmark = pytest.mark.slow
PLATFORM = load_platform(environ={})


@pytest.mark.parametrize("env", SYNTH_ENVS)
def test_every_type_of_an_environment_stack_has_its_deploy_and_plan_permissions(synthesized, env):
    types = permissions.synthesized_types(synthesized[env])
    assert types - set(permissions.DEPLOY) == set(), "add them to infra/permissions.py DEPLOY"
    assert types - set(permissions.PLAN) == set(), "add them to infra/permissions.py PLAN"


def test_every_type_of_the_bootstrap_stack_has_its_operator_permissions(bootstrap_stack):
    types = permissions.synthesized_types(bootstrap_stack)
    assert types - set(permissions.OPERATOR) == set(), "add them to infra/permissions.py OPERATOR"


def test_a_type_nobody_listed_stops_the_derivation():
    with pytest.raises(permissions.UncoveredTypes, match="azurerm_kubernetes_cluster"):
        permissions.needs({"azurerm_resource_group", "azurerm_kubernetes_cluster"}, permissions.DEPLOY)


def test_locks_graph_lookups_and_account_objects_are_derived_not_assumed():
    # The gaps #15 found: Contributor + RBAC Administrator cannot write locks, a service
    # principal lookup needs Application.Read.All, account groups need an account admin.
    need = permissions.needs(
        {"azurerm_management_lock", "data.azuread_service_principal", "databricks_group"}, permissions.DEPLOY
    )
    assert "Microsoft.Authorization/locks/write" in need.azure_actions
    assert need.graph_app_roles == {"Application.Read.All"}
    assert need.databricks == {permissions.ACCOUNT_ADMIN}


def _assignments(doc: dict, principal: str) -> tuple[set[str], set[str]]:
    roles, graph = set(), set()
    for assignment in doc["resource"].get("azurerm_role_assignment", {}).values():
        if assignment["principal_id"] == f"${{azuread_service_principal.{principal}.object_id}}":
            roles.add(assignment.get("role_definition_name") or assignment["role_definition_id"])
    for assignment in doc["resource"].get("azuread_app_role_assignment", {}).values():
        if assignment["principal_object_id"] == f"${{azuread_service_principal.{principal}.object_id}}":
            graph.add(assignment["app_role_id"].split('["')[1].rstrip('"]}'))
    return roles, graph


@pytest.mark.parametrize("level", [level.value for level in PLATFORM.trust_levels])
def test_the_bootstrap_grants_each_identity_what_its_environment_stack_needs(synthesized, bootstrap_stack, level):
    settings = PLATFORM.trust_levels[next(k for k in PLATFORM.trust_levels if k.value == level)]
    env = "pr-42" if settings.environment not in synthesized else settings.environment  # any ephemeral name
    table, base = (
        (permissions.DEPLOY, permissions.NOTHING)
        if settings.access == "deploy"
        else (permissions.PLAN, permissions.PLAN_BASE)
    )
    need = permissions.needs(permissions.synthesized_types(synthesized[env]), table, base)
    slug = level.replace("-", "_")
    roles, graph = _assignments(bootstrap_stack, f"{slug}_sp")
    state_role = "Storage Blob Data Contributor" if settings.access == "deploy" else "Storage Blob Data Reader"
    custom = (
        {f"${{azurerm_role_definition.{slug}_custom_role.role_definition_resource_id}}"}
        if need.azure_actions
        else set()
    )
    assert roles == need.azure_roles | {state_role} | custom
    assert graph == need.graph_app_roles
    has_account_admin = f"{slug}_account_admin" in bootstrap_stack["resource"].get(
        "databricks_service_principal_role", {}
    )
    assert has_account_admin is (permissions.ACCOUNT_ADMIN in need.databricks)


@pytest.mark.parametrize("env", SYNTH_ENVS)
def test_every_role_a_stack_assigns_is_one_the_rbac_condition_allows(synthesized, env):
    assigned = {a["role_definition_name"] for a in synthesized[env]["resource"]["azurerm_role_assignment"].values()}
    assert assigned - set(permissions.ASSIGNABLE_ROLES) == set(), "add them (with their role id) to ASSIGNABLE_ROLES"


def test_role_administrators_are_held_to_the_stacks_roles(bootstrap_stack):
    admins = [
        a
        for a in bootstrap_stack["resource"]["azurerm_role_assignment"].values()
        if a.get("role_definition_name") == permissions.RBAC_ADMINISTRATOR
    ]
    assert admins and all(
        a["condition"] == permissions.assignment_condition() and a["condition_version"] == "2.0" for a in admins
    )
    owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
    assert owner not in permissions.assignment_condition()

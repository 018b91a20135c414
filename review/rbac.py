"""Every access change in a plan, as "who gains/loses what on which object".

Each access-granting resource type is read into (principal, privilege, object) tuples, for
its values before and after. The review shows the difference of the two sets over the whole
plan, so a grant moving from one resource to another is not reported as a loss and a gain.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from review.model import AccessChange, Action, ResourceChange
from review.refs import Index

Tuple3 = tuple[str, str, str, str]  # principal, privilege, object, mechanism

# databricks_grants / databricks_grant: the attribute naming the securable, and its noun.
_SECURABLES = (
    ("metastore", "metastore"),
    ("catalog", "catalog"),
    ("schema", "schema"),
    ("volume", "volume"),
    ("table", "table"),
    ("function", "function"),
    ("model", "model"),
    ("share", "share"),
    ("external_location", "external location"),
    ("storage_credential", "storage credential"),
    ("credential", "credential"),
    ("foreign_connection", "connection"),
)
# databricks_permissions: the attribute naming the object, and its noun.
_PERMISSION_OBJECTS = (
    ("job_id", "job"),
    ("pipeline_id", "pipeline"),
    ("sql_endpoint_id", "SQL warehouse"),
    ("cluster_id", "cluster"),
    ("cluster_policy_id", "cluster policy"),
    ("instance_pool_id", "instance pool"),
    ("notebook_path", "notebook"),
    ("notebook_id", "notebook"),
    ("directory_path", "directory"),
    ("directory_id", "directory"),
    ("workspace_file_path", "workspace file"),
    ("workspace_file_id", "workspace file"),
    ("registered_model_id", "model"),
    ("experiment_id", "experiment"),
    ("serving_endpoint_id", "serving endpoint"),
    ("sql_query_id", "query"),
    ("sql_alert_id", "alert"),
    ("sql_dashboard_id", "dashboard"),
    ("dashboard_id", "dashboard"),
    ("repo_id", "repo"),
    ("repo_path", "repo"),
    ("app_name", "app"),
    ("authorization", "authorization"),
)


def _listed(value: Any) -> list:
    """A list attribute's items; nothing when the plan does not know the list yet (an
    unset Optional+Computed list, such as a group's members, is unknown as a whole)."""
    return value if isinstance(value, list) else []


def _object(index: Index, values: dict, candidates: tuple[tuple[str, str], ...]) -> str:
    for attribute, noun in candidates:
        value = values.get(attribute)
        if value not in (None, ""):
            subject = index.subject(value)
            # A reference already reads "catalog clickstream_dev"; a literal needs its noun.
            return subject if subject.startswith(noun) else f"{noun} {subject}"
    return "(unknown object)"


def _role_assignment(index: Index, v: dict) -> Iterator[Tuple3]:
    role = v.get("role_definition_name") or v.get("role_definition_id") or "(unknown role)"
    yield index.subject(v.get("principal_id")), str(role), index.subject(v.get("scope")), "Azure role"


def _grants(index: Index, v: dict) -> Iterator[Tuple3]:
    target = _object(index, v, _SECURABLES)
    blocks = _listed(v.get("grant"))
    if "principal" in v:  # databricks_grant: one principal per resource
        blocks = [{"principal": v["principal"], "privileges": _listed(v.get("privileges"))}]
    for block in blocks:
        if isinstance(block, dict):
            for privilege in _listed(block.get("privileges")):
                yield index.subject(block.get("principal")), str(privilege), target, "UC grant"


def _permissions(index: Index, v: dict) -> Iterator[Tuple3]:
    target = _object(index, v, _PERMISSION_OBJECTS)
    for block in _listed(v.get("access_control")):
        if isinstance(block, dict):
            who = next((block[k] for k in ("group_name", "user_name", "service_principal_name") if block.get(k)), None)
            yield index.subject(who), str(block.get("permission_level")), target, "permission"


def _group_member(index: Index, v: dict) -> Iterator[Tuple3]:
    group = v.get("group_id") or v.get("group_object_id")
    member = v.get("member_id") or v.get("member_object_id")
    yield index.subject(member), "member", index.subject(group), "membership"


def _azuread_group(index: Index, v: dict) -> Iterator[Tuple3]:
    group = f"Entra group {v.get('display_name')}"
    for role, attribute in (("member", "members"), ("owner", "owners")):
        for principal in _listed(v.get(attribute)):
            yield index.subject(principal), role, group, "membership"


def _workspace_assignment(index: Index, v: dict) -> Iterator[Tuple3]:
    target = index.subject(v["workspace_id"]) if v.get("workspace_id") else "this workspace"
    target = target if target.startswith("workspace") else f"workspace {target}"
    for permission in _listed(v.get("permissions")):
        yield index.subject(v.get("principal_id")), str(permission), target, "workspace access"


def _secret_acl(index: Index, v: dict) -> Iterator[Tuple3]:
    yield (
        index.subject(v.get("principal")),
        str(v.get("permission")),
        f"secret scope {index.name_text(v.get('scope'))}",
        "permission",
    )


def _key_vault_policy(index: Index, v: dict) -> Iterator[Tuple3]:
    for attribute in ("secret_permissions", "key_permissions", "certificate_permissions"):
        for permission in _listed(v.get(attribute)):
            yield (
                index.subject(v.get("object_id")),
                f"{attribute.split('_')[0]} {permission}",
                index.subject(v.get("key_vault_id")),
                "Key Vault policy",
            )


EXTRACTORS: dict[str, Callable[[Index, dict], Iterator[Tuple3]]] = {
    "azurerm_role_assignment": _role_assignment,
    "databricks_grants": _grants,
    "databricks_grant": _grants,
    "databricks_permissions": _permissions,
    "databricks_group_member": _group_member,
    "azuread_group_member": _group_member,
    "azuread_group": _azuread_group,
    "databricks_mws_permission_assignment": _workspace_assignment,
    "databricks_permission_assignment": _workspace_assignment,
    "databricks_secret_acl": _secret_acl,
    "azurerm_key_vault_access_policy": _key_vault_policy,
}


def _tuples(index: Index, change: ResourceChange, values: dict[str, Any] | None) -> set[Tuple3]:
    return set(EXTRACTORS[change.type](index, values)) if values else set()


def access_changes(changes: list[ResourceChange], index: Index) -> list[AccessChange]:
    before: dict[Tuple3, set[str]] = defaultdict(set)
    after: dict[Tuple3, set[str]] = defaultdict(set)
    replaced: set[Tuple3] = set()
    for change in changes:
        if change.type not in EXTRACTORS or change.action is Action.FORGET:
            continue
        old, new = _tuples(index, change, change.before), _tuples(index, change, change.after)
        for item in old:
            before[item].add(change.address)
        for item in new:
            after[item].add(change.address)
        if change.action is Action.REPLACE:
            replaced |= old & new
    rows: dict[tuple[str, str, str, str], tuple[list[str], set[str]]] = {}
    for verb, items, sources in (
        ("gains", set(after) - set(before), after),
        ("loses", set(before) - set(after), before),
        ("re-granted", replaced, after),
    ):
        for principal, privilege, target, mechanism in items:
            privileges, addresses = rows.setdefault((principal, verb, target, mechanism), ([], set()))
            privileges.append(privilege)
            addresses |= sources[(principal, privilege, target, mechanism)]
    order = {"loses": 0, "gains": 1, "re-granted": 2}
    return [
        AccessChange(principal, verb, tuple(sorted(privileges)), target, mechanism, tuple(sorted(addresses)))
        for (principal, verb, target, mechanism), (privileges, addresses) in sorted(
            rows.items(), key=lambda item: (order[item[0][1]], item[0][0], item[0][2])
        )
    ]

"""What a synthesized environment contains, read from its cdk.tf.json alone.

Resources are counted by Terraform type and grouped into the categories a reader thinks
in (network, storage, catalog...). Access is read from the same JSON, never from the
matrix in code: Unity Catalog grants, workspace object permissions, workspace
assignments, Azure role assignments and group memberships, each resolved to readable
names by following the ``${type.name.attr}`` references. So the inventory shows what
would be deployed, and a grant added by hand to a construct shows up here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contract import rbac
from synthesized.resource_types import RESOURCE_TYPES, Category
from synthesized.stack import STACK_FILE, Stack, StackError, parse_reference, read_stack

# Category of each resource type (synthesized/resource_types.py), in display order. A type
# missing there is counted under "other" (so a new construct is never hidden), and a test lists it.
CATEGORIES: dict[str, tuple[str, ...]] = {
    category.value: tuple(t for t, row in RESOURCE_TYPES.items() if row.category is category) for category in Category
}
OTHER = "other"
CATEGORY_OF = {rtype: category for category, types in CATEGORIES.items() for rtype in types}

# How an access target is named for people, by resource type (fallback: the type).
TARGET_WORDS = {
    "databricks_catalog": "catalog",
    "databricks_schema": "schema",
    "databricks_volume": "volume",
    "databricks_external_location": "external location",
    "databricks_pipeline": "pipeline",
    "databricks_job": "job",
    "databricks_sql_endpoint": "SQL warehouse",
    "databricks_secret_scope": "secret scope",
    "databricks_directory": "folder",
    "azurerm_databricks_workspace": "workspace",
    "azurerm_storage_container": "container",
    "azurerm_storage_account": "storage account",
    "azurerm_key_vault": "key vault",
    "azurerm_resource_group": "resource group",
    "databricks_group": "group",
}
# Grants name their securable under one of these keys.
GRANT_SECURABLE_KEYS = (
    "catalog",
    "schema",
    "volume",
    "external_location",
    "storage_credential",
    "table",
    "function",
    "model",
    "metastore",
)
# Data sources that stand for "whoever runs Terraform".
DEPLOYER_DATA = ("azurerm_client_config", "azuread_client_config")

# Kinds of access, as shown in tables and on graph edges.
UC_GRANT = "Unity Catalog grant"
PERMISSION = "workspace object permission"
ASSIGNMENT = "workspace assignment"
AZURE_ROLE = "Azure role"
MEMBERSHIP = "group membership"
MATRIX_KINDS = (UC_GRANT, PERMISSION, ASSIGNMENT)


class InventoryError(ValueError):
    """A stack that cannot be read as expected; the message names the file and resource."""


@dataclass(frozen=True)
class Access:
    """``principal`` holds ``rights`` on ``target`` (both as addresses and readable labels)."""

    kind: str
    principal: str
    principal_address: str
    target: str
    target_address: str
    rights: tuple[str, ...]


@dataclass(frozen=True)
class Inventory:
    env: str
    by_type: dict[str, int]
    access: tuple[Access, ...]

    def by_category(self) -> dict[str, dict[str, int]]:
        """category -> {type: count}, categories in display order, empty ones left out."""
        out: dict[str, dict[str, int]] = {}
        for category in (*CATEGORIES, OTHER):
            types = {t: n for t, n in sorted(self.by_type.items()) if CATEGORY_OF.get(t, OTHER) == category}
            if types:
                out[category] = types
        return out

    @property
    def total(self) -> int:
        return sum(self.by_type.values())

    def of_kind(self, *kinds: str) -> list[Access]:
        return [a for a in self.access if a.kind in kinds]


def load(outdir: Path, env: str) -> Inventory:
    try:
        stack = read_stack(Path(outdir) / "stacks" / env / STACK_FILE)
    except StackError as err:
        raise InventoryError(str(err)) from None
    return inventory(stack)


def inventory(stack: Stack) -> Inventory:
    counts = Counter(rtype for rtype, _, _ in stack.all_resources())
    return Inventory(stack.env, dict(counts), tuple(access_entries(stack)))


def access_entries(stack: Stack) -> list[Access]:
    reader = _Reader(stack)
    entries: list[Access] = []
    for rtype, name, conf in stack.all_resources():
        extract = _EXTRACTORS.get(rtype)
        if extract is not None:
            entries.extend(extract(reader, f"{rtype}.{name}", conf))
    return entries


class _Reader:
    """Follows references of one stack to addresses and readable labels."""

    def __init__(self, stack: Stack):
        self.stack = stack
        self.groups = {
            conf.get("display_name"): f"databricks_group.{name}"
            for name, conf in stack.resources("databricks_group").items()
        }

    def target(self, value: Any, where: str) -> tuple[str, str]:
        """(address, label) of the resource a reference points at."""
        ref = parse_reference(value)
        if ref is None:
            return f"literal:{value}", str(value)
        if ref.type == "data":
            # "${data.<type>.<name>.<attr>}" parses as type "data", name <type>.
            data_name = ref.attribute.partition(".")[0]
            return f"data.{ref.name}.{data_name}", _data_label(ref.name, data_name)
        conf = self.stack.resources(ref.type).get(ref.name)
        if conf is None:
            raise InventoryError(f"{self.stack.path}: {where} refers to {value}, which is not in the stack")
        return ref.address, f"{TARGET_WORDS.get(ref.type, ref.type)} {resource_name(self.stack, ref.type, conf)}"

    def principal(self, display_name: str) -> tuple[str, str]:
        """(address, label) of a group by display name, or of the principal a reference
        points at (a service principal by its application id), labelled by its display name."""
        ref = parse_reference(display_name)
        if ref is not None and ref.type != "data":
            conf = self.stack.resources(ref.type).get(ref.name) or {}
            return ref.address, str(conf.get("display_name", display_name))
        return self.groups.get(display_name, f"principal:{display_name}"), display_name


def resource_name(stack: Stack, rtype: str, conf: dict) -> str:
    """The name people know a resource by (volumes as ``schema.volume``)."""
    if rtype == "databricks_volume":
        return f"{stack.literal(conf.get('schema_name'))}.{conf.get('name')}"
    for key in ("display_name", "name", "path"):
        if key in conf:
            return str(stack.literal(conf[key]) or conf[key])
    return "?"


def _data_label(data_type: str, name: str) -> str:
    return "deployer (Terraform's identity)" if data_type in DEPLOYER_DATA else f"{name} ({data_type})"


def _grants(reader: _Reader, address: str, conf: dict) -> list[Access]:
    keys = [k for k in GRANT_SECURABLE_KEYS if k in conf]
    if len(keys) != 1:
        raise InventoryError(
            f"{reader.stack.path}: {address} names {len(keys)} securables ({', '.join(keys)}); "
            f"expected one of {', '.join(GRANT_SECURABLE_KEYS)}"
        )
    target_address, target = reader.target(conf[keys[0]], address)
    out = []
    for grant in _as_list(conf.get("grant")):
        principal_address, principal = reader.principal(grant["principal"])
        out.append(
            Access(UC_GRANT, principal, principal_address, target, target_address, tuple(grant.get("privileges", ())))
        )
    return out


def _permissions(reader: _Reader, address: str, conf: dict) -> list[Access]:
    refs = [(k, v) for k, v in conf.items() if parse_reference(v) and (k.endswith("_id") or k.endswith("_path"))]
    if len(refs) != 1:
        raise InventoryError(
            f"{reader.stack.path}: {address}: expected one object reference "
            f"(pipeline_id, job_id...), found {[k for k, _ in refs]}"
        )
    target_address, target = reader.target(refs[0][1], address)
    out = []
    for entry in _as_list(conf.get("access_control")):
        who = entry.get("group_name") or entry.get("service_principal_name") or entry.get("user_name")
        principal_address, principal = reader.principal(who)
        out.append(
            Access(PERMISSION, principal, principal_address, target, target_address, (entry["permission_level"],))
        )
    return out


def _assignment(reader: _Reader, address: str, conf: dict) -> list[Access]:
    principal_address, principal = _principal_of(reader, conf["principal_id"], address)
    target_address, target = reader.target(conf["workspace_id"], address)
    return [Access(ASSIGNMENT, principal, principal_address, target, target_address, tuple(conf["permissions"]))]


def _role(reader: _Reader, address: str, conf: dict) -> list[Access]:
    principal_address, principal = _principal_of(reader, conf["principal_id"], address)
    target_address, target = reader.target(conf["scope"], address)
    return [
        Access(
            AZURE_ROLE,
            principal,
            principal_address,
            target,
            target_address,
            (conf.get("role_definition_name") or conf.get("role_definition_id", "?"),),
        )
    ]


def _membership(reader: _Reader, address: str, conf: dict) -> list[Access]:
    member_address, member = _principal_of(reader, conf["member_id"], address)
    group_address, group = reader.target(conf["group_id"], address)
    return [Access(MEMBERSHIP, member, member_address, group, group_address, ("member",))]


def _principal_of(reader: _Reader, value: Any, where: str) -> tuple[str, str]:
    """A principal by reference: its label is its own name, without the type word."""
    address, label = reader.target(value, where)
    rtype, _, name = address.partition(".")
    conf = reader.stack.resources(rtype).get(name)
    return address, resource_name(reader.stack, rtype, conf) if conf is not None else label


def _single_grant(reader: _Reader, address: str, conf: dict) -> list[Access]:
    """databricks_grant: one principal on one securable (the non-authoritative resource)."""
    grant = {"principal": conf.get("principal"), "privileges": conf.get("privileges", ())}
    return _grants(reader, address, {**conf, "grant": [grant]})


def _secret_acl(reader: _Reader, address: str, conf: dict) -> list[Access]:
    target_address, target = reader.target(conf["scope"], address)
    principal_address, principal = reader.principal(conf["principal"])
    return [Access(PERMISSION, principal, principal_address, target, target_address, (conf["permission"],))]


_EXTRACTORS = {
    "databricks_grants": _grants,
    "databricks_grant": _single_grant,
    "databricks_permissions": _permissions,
    "databricks_mws_permission_assignment": _assignment,
    "azurerm_role_assignment": _role,
    "databricks_group_member": _membership,
    "databricks_secret_acl": _secret_acl,
}
# Resources that express access rather than being something.
ACCESS_TYPES = frozenset(_EXTRACTORS)


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def short_type(rtype: str) -> str:
    """``azurerm_storage_account`` -> ``storage_account`` (azuread_ kept: it differs from databricks_group)."""
    for prefix in ("azurerm_", "databricks_"):
        if rtype.startswith(prefix):
            return rtype.removeprefix(prefix)
    return rtype


def role_of(principal: str) -> str | None:
    """The platform role a group is for (``clickstream-dev-data-engineers`` -> ``data-engineers``)."""
    return next((role for role in rbac.ROLES if principal.endswith(f"-{role}")), None)


def role_columns(principals) -> list[str]:
    """Matrix columns: the platform's groups in role order, then anyone else granted."""
    rank = {role: i for i, role in enumerate(rbac.ROLES)}
    return sorted(set(principals), key=lambda p: (rank.get(role_of(p), len(rank)), p))


def short_principal(principal: str) -> str:
    return role_of(principal) or principal

"""Names for things: turns addresses, `${...}` interpolations, GUIDs and ARM ids into words.

Both inputs end up here. Synthesized cdktf JSON carries references as `${type.name.attr}`
strings; a plan carries known values (GUIDs, ARM ids) or unknown ones, which the plan loader
rewrites into the same `${...}` form from the configuration's references. So one index of
resources answers "what is this value?" for either input.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from review.kinds import noun_of
from review.model import Marker
from synthesized.refs import INTERPOLATION, REFERENCE, referenced_attribute, references, resource_address, strip_index

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# Attributes whose values identify an object elsewhere (principal ids, ARM ids).
_IDENTITY_ATTRIBUTES = ("id", "principal_id", "object_id", "application_id", "client_id")
_ARM_NOUNS = {
    "resourcegroups": "resource group",
    "storageaccounts": "storage account",
    "vaults": "key vault",
    "workspaces": "workspace",
    "containers": "container",
    "accessconnectors": "access connector",
    "userassignedidentities": "managed identity",
    "subscriptions": "subscription",
}


class Index:
    """Every resource the review knows about, with enough to name it."""

    def __init__(
        self, resources: dict[str, tuple[str, dict[str, Any]]], links: dict[str, set[str]] | None = None
    ) -> None:
        # address -> (type, values); values are after-values when the resource survives.
        # `links`: address -> addresses it refers to, when values alone do not say (a plan's
        # known values carry no references; its configuration does).
        self.resources = resources
        self._by_identity: dict[str, str] = {}
        for address, (_rtype, values) in resources.items():
            for identifier in _identities(values):
                self._by_identity.setdefault(identifier.lower(), address)
        self._dependents: dict[str, set[str]] = defaultdict(set)
        for address, (_rtype, values) in resources.items():
            for ref in references(values):
                self._dependents[resource_address(ref)].add(address)
        for address, targets in (links or {}).items():
            for target in targets:
                self._dependents[target].add(address)

    def type_of(self, address: str) -> str:
        return self.resources[address][0] if address in self.resources else address.split(".")[-2]

    def display_name(self, address: str, depth: int = 0) -> str:
        """The object's own name, as its owner would say it (`clickstream_dev.silver`)."""
        address = strip_index(address)
        if address not in self.resources or depth > 4:
            return address
        rtype, values = self.resources[address]
        parts: Iterable[str]
        if rtype == "databricks_schema":
            parts = ("catalog_name", "name")
        elif rtype == "databricks_volume":
            parts = ("catalog_name", "schema_name", "name")
        elif rtype in ("azuread_group", "databricks_group", "databricks_service_principal", "databricks_user"):
            parts = next(
                ((key,) for key in ("display_name", "user_name", "application_id") if _is_text(values.get(key))), ()
            )
        else:
            parts = ("name",) if _is_text(values.get("name")) else ()
        names = [self.name_text(values.get(part), depth + 1) for part in parts if values.get(part) is not None]
        return ".".join(names) if names else address

    def describe(self, address: str) -> str:
        """`storage account stclickdev`, or the address when the object has no known name."""
        address = strip_index(address)
        if address.startswith("data."):
            _data, rtype, name = address.split(".")
            if rtype.endswith("_client_config"):
                return "the deploying identity"
            return f"{noun_of(rtype)} {name} (data source)"
        name = self.display_name(address)
        return f"{noun_of(self.type_of(address))} {name}" if name != address else address

    def name_text(self, value: Any, depth: int = 0) -> str:
        """A value with every reference replaced by the referenced object's name."""
        if isinstance(value, str):
            return INTERPOLATION.sub(lambda m: self._name_of_expression(m.group(1), depth), value)
        if isinstance(value, list):
            return ", ".join(self.name_text(item, depth) for item in value)
        return str(value)

    def subject(self, value: Any) -> str:
        """Who or what a principal/scope/object value designates, in words."""
        if isinstance(value, Marker) or value is None:
            return str(value)
        if isinstance(value, str):
            whole = INTERPOLATION.fullmatch(value)
            refs = {resource_address(ref) for ref in references(value)}
            if whole and len(refs) == 1:
                return self.describe(refs.pop())
            if value.lower() in self._by_identity:
                return self.describe(self._by_identity[value.lower()])
            if value.startswith("/subscriptions/"):
                return _describe_arm_id(value)
            return self.name_text(value)
        return self.name_text(value)

    def dependents(self, address: str, depth: int = 3) -> set[str]:
        """Resources that refer to `address`, directly or through up to `depth` hops."""
        found: set[str] = set()
        frontier = {address}
        for _ in range(depth):
            frontier = {dep for item in frontier for dep in self._dependents.get(item, ())} - found - {address}
            found |= frontier
        return found

    def _name_of_expression(self, expression: str, depth: int) -> str:
        """`${databricks_schema.bronze.name}` -> `bronze`; `${...id}` -> the object's full name."""
        match = REFERENCE.fullmatch(expression.strip())
        if match is None or expression.startswith("data."):
            return "${" + expression + "}"
        address, attribute = resource_address(match.group(0)), referenced_attribute(match.group(0))
        values = self.resources.get(address, ("", {}))[1]
        if attribute in values and attribute != "id" and depth <= 4:
            return self.name_text(values[attribute], depth + 1)
        return self.display_name(address, depth)


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and value != ""


def _identities(values: dict[str, Any]) -> Iterator[str]:
    # Any id names its object (Databricks ids are numbers or slugs); other attributes only
    # when they look like an Entra object id or an ARM id.
    if isinstance(values.get("id"), str) and len(values["id"]) >= 4:
        yield values["id"]
    for key in _IDENTITY_ATTRIBUTES:
        value = values.get(key)
        if isinstance(value, str) and (_GUID.match(value) or value.startswith("/subscriptions/")):
            yield value
    for identity in values.get("identity") or []:
        if isinstance(identity, dict) and isinstance(identity.get("principal_id"), str):
            yield identity["principal_id"]


def _describe_arm_id(arm_id: str) -> str:
    segments = [s for s in arm_id.split("/") if s]
    if len(segments) < 2:
        return arm_id
    kind, name = segments[-2], segments[-1]
    return f"{_ARM_NOUNS.get(kind.lower(), kind)} {name}"

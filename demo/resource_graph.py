"""The environment's resource graph, built from the synthesized JSON's own references.

Every ``${type.name.attr}`` inside a resource and every ``depends_on`` entry is an edge
"uses". The graph keeps the kinds a reader cares about (resource group, storage,
identities, secrets, workspace, catalog, pipeline, jobs); a dropped resource (subnet,
diagnostic setting, workspace file...) is contracted, so "workspace -> subnet -> vnet ->
resource group" reads "workspace -> resource group". Access resources (role
assignments, grants, permissions, workspace assignments, memberships) become access
edges from the principal to the object, labelled with the rights.
"""

from __future__ import annotations

import networkx as nx

from demo.inventory import ACCESS_TYPES, CATEGORY_OF, MEMBERSHIP, Inventory, resource_name
from synthesized.refs import references, resource_address
from synthesized.stack import Stack

# Categories of the inventory drawn as nodes (the kinds the issue lists, plus the vault,
# the warehouse and the code folder, which access edges point at); within them, types that
# are better shown otherwise: Entra groups are mirrored by the Databricks groups drawn,
# memberships are access edges, secrets and scopes are contracted into their vault (a
# scope that is granted on is drawn for its access edge), files into their folder.
DRAWN = (
    "identities",
    "resource group",
    "storage",
    "secrets",
    "workspace",
    "catalog",
    "pipeline",
    "jobs",
    "SQL warehouse",
    "code",
)
NOT_DRAWN = frozenset(
    {
        "azuread_group",
        "databricks_group_member",
        "azurerm_key_vault_secret",
        "time_offset",
        "databricks_secret_scope",
        "databricks_workspace_file",
    }
)
KIND_OF = {rtype: kind for rtype, kind in CATEGORY_OF.items() if kind in DRAWN and rtype not in NOT_DRAWN}
IDENTITY = "identities"

USES = "uses"
OTHER = "other"
ACCESS = "access"


def dependency_graph(stack: Stack) -> nx.DiGraph:
    """Every resource, with an edge A -> B when A references or depends on B."""
    graph = nx.DiGraph()
    for rtype, name, conf in stack.all_resources():
        address = f"{rtype}.{name}"
        graph.add_node(address, type=rtype, name=name)
        ordering = {d for d in conf.get("depends_on", ()) if isinstance(d, str)}
        referenced = {resource_address(ref) for ref in references(conf) if not ref.startswith("data.")}
        graph.add_edges_from(
            (address, used, {"reference": used in referenced}) for used in referenced | ordering if used != address
        )
    return graph


def resource_graph(stack: Stack, inventory: Inventory) -> nx.DiGraph:
    """Kept resources, their contracted "uses" edges and the access edges of ``inventory``."""
    full = dependency_graph(stack)
    kept = [n for n, t in full.nodes(data="type") if t in KIND_OF]
    graph = nx.DiGraph()
    for node in kept:
        rtype, name = full.nodes[node]["type"], full.nodes[node]["name"]
        graph.add_node(
            node, kind=KIND_OF[rtype], type=rtype, label=resource_name(stack, rtype, stack.resources(rtype)[name])
        )
    for node in kept:
        for used in _nearest_kept(full, node):
            graph.add_edge(node, used, kind=USES)
    for access in inventory.access:
        # Principals outside the stack (data sources, groups named by a literal) and
        # objects of a kind not drawn still get a node: an access edge is never dropped.
        for address, label, kind in (
            (access.principal_address, access.principal, IDENTITY),
            (access.target_address, access.target, None),
        ):
            if address not in graph:
                rtype = "data source" if address.startswith("data.") else address.split(".")[0]
                kind = kind or (CATEGORY_OF[rtype] if CATEGORY_OF.get(rtype) in DRAWN else OTHER)
                graph.add_node(address, kind=kind, type=rtype, label=label)
        graph.add_edge(
            access.principal_address,
            access.target_address,
            kind=ACCESS,
            access=access.kind,
            label=_rights_label(access.rights) if access.kind != MEMBERSHIP else "member of",
        )
    return graph


def _nearest_kept(full: nx.DiGraph, start: str) -> set[str]:
    """Kept resources reachable from ``start`` through dropped, non-access resources only."""
    found, seen, todo = set(), {start}, [start]
    while todo:
        for node, reference in full.adj[todo.pop()].items():
            rtype = full.nodes[node].get("type")
            if node in seen or (KIND_OF.get(rtype) == IDENTITY and not reference["reference"]):
                continue  # depends_on a principal only orders grants after it: not a use
            seen.add(node)
            if rtype in KIND_OF:
                found.add(node)
            elif rtype is not None and rtype not in ACCESS_TYPES:  # access is drawn as access edges
                todo.append(node)
    return found


def _rights_label(rights: tuple[str, ...]) -> str:
    return ", ".join(rights) if len(rights) <= 2 else f"{rights[0]} +{len(rights) - 1}"

"""The resource graph follows the JSON's references; the lineage follows the pipeline's code."""

from __future__ import annotations

import pytest

from demo import inventory, lineage, resource_graph
from pipelines.clickstream import names
from pipelines.runner import TRANSFORMATIONS
from synthesized.stack import STACK_FILE, read_stack


@pytest.fixture(scope="module")
def dev_graph(synthesized_outdir):
    stack = read_stack(synthesized_outdir / "stacks" / "dev" / STACK_FILE)
    return resource_graph.resource_graph(stack, inventory.inventory(stack)), stack


def _by_type(graph, rtype: str) -> list[str]:
    return [n for n, t in graph.nodes(data="type") if t == rtype]


def _uses(graph, source_type: str, target_type: str) -> bool:
    return any(
        graph.edges[u, v]["kind"] == resource_graph.USES
        for u in _by_type(graph, source_type)
        for v in _by_type(graph, target_type)
        if graph.has_edge(u, v)
    )


def test_graph_keeps_only_the_listed_kinds(dev_graph):
    graph, _ = dev_graph
    kinds = {kind for _, kind in graph.nodes(data="kind")}
    assert kinds <= set(resource_graph.DRAWN)
    assert {"identities", "resource group", "storage", "workspace", "catalog", "pipeline", "jobs"} <= kinds
    assert not _by_type(graph, "azurerm_subnet") and not _by_type(graph, "databricks_workspace_file")


def test_uses_edges_follow_references_embedded_in_strings_and_dropped_resources(dev_graph):
    graph, _ = dev_graph
    # storage_root = "abfss://catalog@${azurerm_storage_account.x.name}.dfs...": a reference inside a string.
    assert _uses(graph, "databricks_catalog", "azurerm_storage_account")
    # The pipeline names the Key Vault-backed secret scope, which is dropped: contracted to the vault.
    assert _uses(graph, "databricks_pipeline", "azurerm_key_vault")
    assert _uses(graph, "databricks_job", "databricks_pipeline")
    assert _uses(graph, "azurerm_databricks_workspace", "azurerm_resource_group")


def test_depends_on_a_group_only_orders_and_is_not_a_use(dev_graph):
    graph, _ = dev_graph
    assert not _uses(graph, "databricks_storage_credential", "databricks_group")


def test_every_access_entry_is_an_access_edge(dev_graph):
    graph, stack = dev_graph
    entries = inventory.access_entries(stack)
    edges = {(u, v) for u, v, kind in graph.edges(data="kind") if kind == resource_graph.ACCESS}
    assert {(a.principal_address, a.target_address) for a in entries} == edges
    producer_role = next(a for a in entries if a.kind == inventory.AZURE_ROLE and "producer" in a.principal)
    assert (
        graph.edges[producer_role.principal_address, producer_role.target_address]["label"]
        == "Storage Blob Data Contributor"
    )


def test_lineage_reads_the_pipelines_transformations():
    graph = lineage.lineage_graph(lineage.dataflow(TRANSFORMATIONS), {})
    assert graph.has_edge(lineage.LANDING, names.BRONZE_EVENTS)
    assert graph.has_edge(lineage.LANDING, names.BRONZE_USER_CHANGES)
    # silver.events de-duplicates the valid events, which are typed once from bronze.
    assert graph.has_edge(names.BRONZE_EVENTS, names.EVENTS_VALID)
    assert graph.has_edge(names.EVENTS_VALID, names.SILVER_EVENTS)
    assert graph.has_edge(names.BRONZE_EVENTS, names.EVENTS_QUARANTINE)
    assert graph.has_edge(names.SILVER_EVENTS, names.FACT_EVENTS)
    assert graph.has_edge(names.SILVER_USER_CHANGES, names.DIM_USER)
    assert set(graph.nodes) == {lineage.LANDING, *names.ALL_TABLES}


def test_lineage_edges_carry_the_rows_of_a_single_input_target():
    graph = lineage.lineage_graph(
        lineage.dataflow(TRANSFORMATIONS), {names.BRONZE_EVENTS: 100, names.EVENTS_QUARANTINE: 3, names.DQ_METRICS: 9}
    )
    assert graph.edges[lineage.LANDING, names.BRONZE_EVENTS]["rows"] == 100
    assert graph.edges[names.BRONZE_EVENTS, names.EVENTS_QUARANTINE]["rows"] == 3
    assert graph.edges[names.SILVER_EVENTS, names.DQ_METRICS]["rows"] is None  # several inputs: no single count


def test_a_transformation_without_a_dataset_is_refused_naming_the_file(tmp_path):
    (tmp_path / "odd.py").write_text("from pipelines.clickstream import names\nx = names.SILVER_EVENTS\n")
    with pytest.raises(lineage.LineageError, match="odd.py"):
        lineage.dataflow(tmp_path)


@pytest.fixture
def a_view(monkeypatch):
    """A view name in names.py (the pipeline itself has none today)."""
    monkeypatch.setattr(names, "EVENTS_TYPED", "events_typed", raising=False)


def test_a_transformation_reading_an_undefined_dataset_is_refused(tmp_path, a_view):
    (tmp_path / "t.py").write_text(
        "from pipelines.clickstream import names\nf(name=names.SILVER_EVENTS)(read(names.EVENTS_TYPED))\n"
    )
    with pytest.raises(lineage.LineageError, match="events_typed"):
        lineage.lineage_graph(lineage.dataflow(tmp_path), {})


def test_a_view_in_its_own_file_is_contracted_too(tmp_path, a_view):
    (tmp_path / "events_typed.py").write_text(
        "from pipelines.clickstream import names\nview(name=names.EVENTS_TYPED)(read(names.BRONZE_EVENTS))\n"
    )
    (tmp_path / "silver.py").write_text(
        "from pipelines.clickstream import names\ntable(name=names.SILVER_EVENTS)(read(names.EVENTS_TYPED))\n"
    )
    (tmp_path / "bronze.py").write_text(
        "from pipelines.clickstream import names\ntable(name=names.BRONZE_EVENTS)(landing())\n"
    )
    graph = lineage.lineage_graph(lineage.dataflow(tmp_path), {})
    assert set(graph.edges) == {(lineage.LANDING, names.BRONZE_EVENTS), (names.BRONZE_EVENTS, names.SILVER_EVENTS)}

"""The pipeline's lineage graph: landing -> bronze -> silver -> quarantine/gold, with rows.

The edges are read from the pipeline's own code, not restated here: each file under
pipelines/transformations/ defines the tables it names with ``name=`` or ``target=``
(plus any view it names through a keyword, e.g. ``view=names.X``) and reads the other
``names.X`` it mentions (``source=names.Y`` included). Views are not tables: they are
contracted (bronze -> a view -> silver reads bronze -> silver), and a dataset that reads
no other dataset reads the landing zone. Rows come from the tables after the
run: an edge carries the rows of its target when that target has a single input.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

from pipelines.clickstream import names

LANDING = "landing"
LAYERS = (LANDING, *names.SCHEMAS)
# Keyword arguments that name the tables a transformation file defines.
_DEFINES = ("name", "target")


class LineageError(ValueError):
    """A transformation file whose dataflow cannot be read; the message names it."""


def dataflow(transformations: Path) -> dict[str, set[str]]:
    """dataset -> the datasets it reads, for every file in ``transformations``."""
    flows: dict[str, set[str]] = {}
    files = sorted(Path(transformations).glob("**/*.py"))
    if not files:
        raise LineageError(f"{transformations}: no transformation files")
    for path in files:
        defined, mentioned = _names_in(path)
        if not defined:
            raise LineageError(f"{path}: defines no dataset (expected {', '.join(_DEFINES)}=names.X)")
        for dataset in defined:
            flows[dataset] = mentioned - defined
    return flows


def _names_in(path: Path) -> tuple[set[str], set[str]]:
    defined, mentioned = set(), set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.keyword) and _is_name_constant(node.value):
            dataset = _resolve(node.value, path)
            if node.arg in _DEFINES or dataset not in names.ALL_TABLES:
                defined.add(dataset)
        elif _is_name_constant(node):
            mentioned.add(_resolve(node, path))
    return defined, mentioned


def _is_name_constant(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "names"
        and node.attr.isupper()
    )


def _resolve(node: ast.Attribute, path: Path) -> str:
    try:
        return getattr(names, node.attr)
    except AttributeError:
        raise LineageError(
            f"{path}:{node.lineno}: names.{node.attr} is not in pipelines/clickstream/names.py"
        ) from None


def lineage_graph(flows: dict[str, set[str]], rows: dict[str, int]) -> nx.DiGraph:
    """Tables (and the landing zone) with "feeds" edges; views contracted; rows on edges."""
    tables = set(names.ALL_TABLES)
    graph = nx.DiGraph()
    graph.add_node(LANDING, layer=LANDING, rows=None)
    for table in names.ALL_TABLES:
        if table in flows:
            graph.add_node(table, layer=table.split(".")[0], rows=rows.get(table))
    for table in graph.nodes - {LANDING}:
        for source in _table_inputs(table, flows, tables):
            graph.add_edge(source, table)
    for _, table, data in graph.edges(data=True):
        data["rows"] = rows.get(table) if graph.in_degree(table) == 1 else None
    return graph


def _table_inputs(dataset: str, flows: dict[str, set[str]], tables: set[str]) -> set[str]:
    """The tables a dataset reads, looking through views; the landing zone when none."""
    found, todo, seen = set(), list(flows.get(dataset, ())), set()
    while todo:
        source = todo.pop()
        if source in seen:
            continue
        seen.add(source)
        if source in tables:
            found.add(source)
        elif source in flows:
            todo.extend(flows[source])
        else:
            raise LineageError(f"{dataset} reads {source!r}, which no transformation defines")
    return found or {LANDING}


def is_quarantine(table: str) -> bool:
    return table.endswith("_quarantine")

"""The report's pictures, drawn with matplotlib (Agg) from networkx graphs and KPI numbers.

Graphs are laid out in columns (lineage: by layer; resources: by kind) and the nodes of
each column ordered to cut edge crossings (barycenter heuristic); nodes are labelled
boxes, edges arrows clipped at the boxes, labelled when they carry a number or a right.
Each chart comes back as PNG bytes with a title and an alt text.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # no display: files only

import matplotlib.pyplot as plt  # noqa: E402  (after the backend is chosen)
import networkx as nx  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from demo import lineage, resource_graph  # noqa: E402
from demo.inventory import ASSIGNMENT, AZURE_ROLE, MEMBERSHIP, PERMISSION, UC_GRANT, short_type  # noqa: E402

DPI = 110
LAYER_COLOURS = {"landing": "#d9d9d9", "bronze": "#e3b58a", "silver": "#d5dbe3", "gold": "#f6d87a"}
QUARANTINE_COLOUR = "#f4a6a6"
KIND_COLOURS = {
    "identities": "#c9e4c5",
    "resource group": "#e0e0e0",
    "storage": "#a9cce3",
    "secrets": "#f5cba7",
    "workspace": "#d2b4de",
    "catalog": "#f9e79f",
    "pipeline": "#aed6f1",
    "jobs": "#aed6f1",
    "SQL warehouse": "#aed6f1",
    "code": "#e8daef",
}
ACCESS_COLOURS = {
    AZURE_ROLE: "#1f77b4",
    UC_GRANT: "#2ca02c",
    PERMISSION: "#ff7f0e",
    ASSIGNMENT: "#9467bd",
    MEMBERSHIP: "#8c564b",
}
USES_COLOUR = "#9e9e9e"


@dataclass(frozen=True)
class Chart:
    name: str  # file stem: <name>.png
    title: str
    alt: str
    png: bytes


def render(fig: Figure, name: str, title: str, alt: str) -> Chart:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return Chart(name, title, alt, buffer.getvalue())


# -- graphs --------------------------------------------------------------------------------
def longest_path_rank(dag: nx.DiGraph, *, towards_sinks: bool = False) -> dict[str, int]:
    """Column of each node: its longest path from a source (or, ``towards_sinks``, to a sink)."""
    layers = nx.topological_generations(dag.reverse(copy=False) if towards_sinks else dag)
    return {node: depth for depth, layer in enumerate(layers) for node in layer}


def column_layout(columns: list[list[str]], graph: nx.DiGraph, passes: int = 8) -> dict[str, tuple[float, float]]:
    """x = column index, y spread evenly in [-1, 0]; each column ordered by its neighbours'
    mean height (barycenter heuristic), which removes most edge crossings."""
    columns = [list(c) for c in columns if c]
    undirected = graph.to_undirected(as_view=True)

    def heights() -> dict[str, float]:
        return {n: -(i + 0.5) / len(col) for col in columns for i, n in enumerate(col)}

    for _ in range(passes):
        y = heights()
        for col in columns:

            def barycenter(n: str, y: dict = y, col: list = col) -> float:
                others = [y[m] for m in undirected.neighbors(n) if m in y and m not in col]
                return sum(others) / len(others) if others else y[n]

            col.sort(key=barycenter, reverse=True)
            y = heights()
    return {n: (float(x), y[n]) for x, col in enumerate(columns) for n in col}


def draw_graph(ax, graph: nx.DiGraph, pos, *, node_text, node_colour, edge_style) -> None:
    """Boxes for nodes, arrows clipped at the boxes, optional edge labels along the arrows.

    Boxes are drawn before arrows (lower zorder) so that, within the same draw, their
    outlines are already placed when the arrows are clipped at them."""
    boxes = {}
    for node in graph.nodes:
        x, y = pos[node]
        boxes[node] = ax.text(
            x,
            y,
            node_text(node),
            ha="center",
            va="center",
            fontsize=8,
            zorder=2,
            bbox=dict(boxstyle="round,pad=0.4", fc=node_colour(node), ec="#555555", lw=0.8),
        )
    for u, v, data in graph.edges(data=True):
        style = edge_style(u, v, data)
        ax.annotate(
            "",
            xy=pos[v],
            xytext=pos[u],
            zorder=3,
            arrowprops=dict(
                arrowstyle="-|>",
                color=style["colour"],
                lw=style.get("width", 1.0),
                ls=style.get("style", "-"),
                patchA=boxes[u].get_bbox_patch(),
                patchB=boxes[v].get_bbox_patch(),
                shrinkA=1,
                shrinkB=1,
                connectionstyle=f"arc3,rad={style.get('rad', 0.0)}",
                mutation_scale=11,
            ),
        )
        if style.get("label"):
            at = style.get("label_at", 0.5)
            (x1, y1), (x2, y2) = pos[u], pos[v]
            ax.text(
                x1 + (x2 - x1) * at,
                y1 + (y2 - y1) * at,
                style["label"],
                fontsize=7,
                ha="center",
                va="center",
                color=style["colour"],
                zorder=4,
                bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85),
            )
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    ax.set_xlim(min(xs) - 0.55, max(xs) + 0.55)
    ax.set_ylim(min(ys) - 0.06, max(ys) + 0.06)
    ax.axis("off")


def lineage_chart(graph: nx.DiGraph) -> Chart:
    rank = longest_path_rank(graph)
    columns = [[n for n in graph.nodes if rank[n] == r] for r in range(max(rank.values()) + 1)]
    pos = column_layout(columns, graph)
    fig, ax = plt.subplots(figsize=(15, 7), dpi=DPI)

    def text(node: str) -> str:
        rows = graph.nodes[node]["rows"]
        return node if rows is None else f"{node}\n{rows:,} rows"

    def colour(node: str) -> str:
        return QUARANTINE_COLOUR if lineage.is_quarantine(node) else LAYER_COLOURS[graph.nodes[node]["layer"]]

    def style(_u, v, data) -> dict:
        if graph.in_degree(v) > 1:  # a table built from several (dq_metrics): no single row count
            return {"colour": "#b0b0b0", "style": "--", "width": 0.7}
        colour_ = "#c0392b" if lineage.is_quarantine(v) else "#34495e"
        return {
            "colour": colour_,
            "label": f"{data['rows']:,}" if data.get("rows") is not None else "",
            "label_at": 0.45,
        }

    draw_graph(ax, graph, pos, node_text=text, node_colour=colour, edge_style=style)
    top = max(y for _, y in pos.values()) + 0.045
    for x, column in enumerate(c for c in columns if c):
        ax.text(x, top, graph.nodes[column[0]]["layer"], ha="center", va="bottom", fontsize=11, weight="bold")
    ax.set_ylim(top=top + 0.05)
    return render(
        fig,
        "lineage",
        "Pipeline lineage (rows on the edges)",
        "Lineage graph: landing to bronze, silver, quarantine and gold tables, with row counts",
    )


def resource_chart(graph: nx.DiGraph, env: str) -> Chart:
    """Resources in columns by dependency depth (what nothing else uses on the left),
    the principals that only hold access in a row on top."""
    uses = nx.DiGraph([(u, v) for u, v, k in graph.edges(data="kind") if k == resource_graph.USES])
    principals = [n for n in graph.nodes if n not in uses and graph.nodes[n]["kind"] == resource_graph.IDENTITY]
    resources = [n for n in graph.nodes if n not in principals]
    uses.add_nodes_from(resources)
    rank = longest_path_rank(uses, towards_sinks=True)
    columns = [[n for n in resources if rank[n] == r] for r in range(max(rank.values()) + 1)]
    pos = column_layout(columns, graph)
    width = max(x for x, _ in pos.values())
    principals.sort(key=lambda p: sum(pos[t][0] for t in graph.successors(p)) / max(graph.out_degree(p), 1))
    for i, p in enumerate(principals):  # staggered: long names must not overlap their neighbours
        pos[p] = (width * (i + 0.5) / len(principals), 0.42 if i % 2 else 0.28)
    fig, ax = plt.subplots(figsize=(18, 12), dpi=DPI)

    def text(node: str) -> str:
        data = graph.nodes[node]
        return f"{data['label']}\n({short_type(data['type'])})"

    def style(_u, _v, data) -> dict:
        if data["kind"] == resource_graph.USES:
            return {"colour": USES_COLOUR, "width": 0.8}
        return {
            "colour": ACCESS_COLOURS.get(data["access"], "#000000"),
            "label": data["label"],
            "label_at": 0.3,
            "width": 0.9,
        }

    draw_graph(
        ax,
        graph,
        pos,
        node_text=text,
        edge_style=style,
        node_colour=lambda n: KIND_COLOURS.get(graph.nodes[n]["kind"], "#ffffff"),
    )
    legend = [Line2D([0], [0], color=USES_COLOUR, label="uses (reference or depends_on)")]
    legend += [Line2D([0], [0], color=c, label=kind) for kind, c in ACCESS_COLOURS.items()]
    ax.legend(handles=legend, loc="upper left", fontsize=8, frameon=False, ncol=6, bbox_to_anchor=(0, 0))
    return render(
        fig,
        f"resources-{env}",
        f"Resources and access of {env}",
        f"Resource graph of {env}: resource group, storage, identities, workspace, catalog, pipeline "
        f"and jobs, with access edges",
    )


# -- KPIs ----------------------------------------------------------------------------------
def bar_chart(
    name: str,
    title: str,
    labels: list[str],
    values: list[float],
    *,
    horizontal: bool,
    annotations: list[str] | None = None,
    value_label: str = "",
    colour: str = "#2e86c1",
) -> Chart:
    height = max(2.6, 0.38 * len(labels) + 1.2) if horizontal else 3.6
    fig, ax = plt.subplots(figsize=(8, height))
    positions = range(len(labels))
    bars = ax.barh(positions, values, color=colour) if horizontal else ax.bar(positions, values, color=colour)
    if horizontal:
        ax.set_yticks(list(positions), labels, fontsize=8)
        ax.invert_yaxis()
    else:
        ax.set_xticks(list(positions), labels, fontsize=8)
    ax.bar_label(bars, labels=annotations or [f"{v:,.0f}" for v in values], fontsize=8, padding=2)
    ax.set_title(title, fontsize=11, loc="left")
    (ax.set_xlabel if horizontal else ax.set_ylabel)(value_label, fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(x=0.15) if horizontal else ax.margins(y=0.15)
    if not labels:  # say so instead of drawing empty axes
        ax.set_xticks([])
        ax.set_yticks([])
        ax.text(0.5, 0.5, "no rows", ha="center", va="center", transform=ax.transAxes)
    return render(fig, name, title, f"Bar chart: {title}")

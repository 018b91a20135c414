"""The demo report: one document model, written as self-contained HTML and as Markdown.

HTML embeds every picture as a base64 PNG data URI (one file to mail or attach to a CI
run, no scripts, no external requests), rendered from ``templates/report.html`` (Jinja,
autoescaped); the Markdown file links the same PNGs, written beside it. ``build`` lays
out a finished demo run; tests build it from fixtures.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import jinja2
import networkx as nx

from demo import charts, infra_view, lake_view
from demo.inventory import Inventory
from demo.lake import BatchRun, LakeSnapshot
from demo.tables import TableData, to_markdown

HTML_FILE = "report.html"
MARKDOWN_FILE = "report.md"


@dataclass(frozen=True)
class Paragraph:
    text: str


Block = TableData | charts.Chart | Paragraph


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Report:
    title: str
    facts: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]

    def charts(self) -> list[charts.Chart]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, charts.Chart)]


@dataclass(frozen=True)
class DemoRun:
    """Everything a finished demo knows, the input of the report."""

    env: str
    inventories: list[Inventory]
    resource_graph: nx.DiGraph
    scan_verdict: str
    scan_reports: tuple[str, ...]
    runs: list[BatchRun]
    snapshot: LakeSnapshot
    lineage: nx.DiGraph
    steps: list[tuple[str, float]] = field(default_factory=list)
    finished_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def build(run: DemoRun) -> Report:
    inventory = next(inv for inv in run.inventories if inv.env == run.env)
    snapshot = run.snapshot
    dau = lake_view.daily_active_users(snapshot)
    funnel_steps = lake_view.funnel(snapshot)
    pages = lake_view.top_pages(snapshot)
    rules = lake_view.failing_rules(snapshot)
    total = sum(seconds for _, seconds in run.steps)
    facts = (
        ("finished", run.finished_at.strftime("%Y-%m-%d %H:%M UTC")),
        ("environment shown", run.env),
        ("environments synthesized", ", ".join(inv.env for inv in run.inventories)),
        ("event lines produced", f"{sum(r.lines.get('events', 0) for r in run.runs):,}"),
        ("time until this report", f"{total:.0f} s"),
    )
    sections = (
        Section(
            "Steps",
            (
                TableData(
                    "Time per step",
                    ("step", "seconds"),
                    tuple((name, f"{s:.1f}") for name, s in run.steps) + (("total", f"{total:.1f}"),),
                    frozenset({1}),
                ),
            ),
        ),
        Section(
            f"Infrastructure of {run.env}",
            (
                Paragraph(
                    f"Read from the synthesized Terraform JSON (cdktf.out/stacks/{run.env}/cdk.tf.json and "
                    "its siblings): what npx cdktf deploy would create. Nothing was deployed."
                ),
                infra_view.categories_table(run.inventories),
                charts.resource_chart(run.resource_graph, run.env),
                infra_view.access_matrix(inventory),
                infra_view.azure_roles_table(inventory),
                infra_view.types_table(run.inventories),
            ),
        ),
        Section("Policy scan", (Paragraph(run.scan_verdict), Paragraph("Reports: " + ", ".join(run.scan_reports)))),
        Section(
            "Pipeline",
            (
                lake_view.runs_table(run.runs),
                charts.lineage_chart(run.lineage),
                lake_view.rows_table(snapshot),
            ),
        ),
        Section(
            "Data quality",
            (
                lake_view.quality_table(snapshot),
                lake_view.alerts_table(snapshot, run.env),
                charts.bar_chart(
                    "quality",
                    "Quarantined rows by rule",
                    [f"{f}: {r}" for f, r, _ in rules],
                    [n for *_, n in rules],
                    horizontal=True,
                    colour="#c0392b",
                    value_label="rows",
                ),
                lake_view.rules_table(snapshot),
            ),
        ),
        Section(
            "Gold KPIs",
            (
                charts.bar_chart(
                    "kpi-dau",
                    "Daily active users",
                    [d for d, *_ in dau],
                    [u for _, u, *_ in dau],
                    horizontal=False,
                    value_label="users",
                ),
                lake_view.dau_table(snapshot),
                charts.bar_chart(
                    "kpi-funnel",
                    "Funnel: sessions reaching each step",
                    [s for _, s, *_ in funnel_steps],
                    [n for *_, n, _ in funnel_steps],
                    horizontal=True,
                    value_label="sessions",
                    annotations=[f"{n:,} ({share:.1%})" for *_, n, share in funnel_steps],
                ),
                lake_view.funnel_table(snapshot),
                charts.bar_chart(
                    "kpi-top-pages",
                    "Top pages by views",
                    [p for p, _ in pages],
                    [v for _, v in pages],
                    horizontal=True,
                    value_label="views",
                ),
                lake_view.top_pages_table(snapshot),
            ),
        ),
        Section("A user's history (SCD type 2)", (lake_view.user_history_table(lake_view.sample_user(snapshot)),)),
    )
    return Report("Clickstream platform: the demo", facts, sections)


# -- HTML ----------------------------------------------------------------------------------
TEMPLATES = Path(__file__).parent / "templates"
# Autoescaped: every value from the run (resource names, rule names, captions) is text.
_HTML = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_HTML.tests["table"] = lambda block: isinstance(block, TableData)
_HTML.tests["chart"] = lambda block: isinstance(block, charts.Chart)
_HTML.filters["base64"] = lambda data: base64.b64encode(data).decode("ascii")


def to_html_document(report: Report) -> str:
    return _HTML.get_template("report.html").render(report=report)


# -- Markdown ------------------------------------------------------------------------------
def to_markdown_document(report: Report) -> str:
    lines = [f"# {report.title}", "", *(f"- **{k}**: {v}" for k, v in report.facts)]
    for section in report.sections:
        lines += ["", f"## {section.title}"]
        for block in section.blocks:
            lines += ["", _markdown_block(block)]
    return "\n".join(lines) + "\n"


def _markdown_block(block: Block) -> str:
    if isinstance(block, TableData):
        return to_markdown(block)
    if isinstance(block, charts.Chart):
        return f"![{block.alt}]({block.name}.png)\n\n_{block.title}_"
    return block.text


def write(report: Report, outdir: Path) -> tuple[Path, Path]:
    """report.html (self-contained), report.md and the PNGs it links, into ``outdir``."""
    outdir.mkdir(parents=True, exist_ok=True)
    for chart in report.charts():
        (outdir / f"{chart.name}.png").write_bytes(chart.png)
    html_path, md_path = outdir / HTML_FILE, outdir / MARKDOWN_FILE
    html_path.write_text(to_html_document(report), encoding="utf-8")
    md_path.write_text(to_markdown_document(report), encoding="utf-8")
    return html_path, md_path

"""A table, declared once and rendered three ways: the terminal (rich), Markdown and HTML
(the ``table`` macro of ``templates/report.html``).

Every table the demo shows is built as ``TableData`` by the modules that know the data;
the renderers here only lay it out, so the terminal and the two reports cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.table import Table


@dataclass(frozen=True)
class TableData:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # Columns right-aligned (numbers), by index.
    numeric: frozenset[int] = field(default_factory=frozenset)
    caption: str = ""

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(
                    f"table {self.title!r}: row {row!r} has {len(row)} cells, "
                    f"expected {len(self.columns)} ({', '.join(self.columns)})"
                )


def table(title: str, columns, rows, *, numeric=(), caption: str = "") -> TableData:
    """TableData from any iterables; cells become strings (ints with thousands separators)."""
    return TableData(
        title, tuple(columns), tuple(tuple(_cell(c) for c in row) for row in rows), frozenset(numeric), caption
    )


def _cell(value) -> str:
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value).lower()
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def to_rich(data: TableData) -> Table:
    out = Table(
        title=data.title,
        title_justify="left",
        title_style="bold",
        caption=data.caption or None,
        caption_justify="left",
        header_style="bold cyan",
        pad_edge=False,
    )
    for i, column in enumerate(data.columns):
        out.add_column(column, justify="right" if i in data.numeric else "left", overflow="fold")
    for row in data.rows:
        out.add_row(*row)
    return out


def to_markdown(data: TableData) -> str:
    def line(row) -> str:
        return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in row) + " |"

    align = tuple("---:" if i in data.numeric else "---" for i in range(len(data.columns)))
    lines = [f"### {data.title}", "", line(data.columns), line(align), *(line(r) for r in data.rows)]
    if data.caption:
        lines += ["", f"_{data.caption}_"]
    return "\n".join(lines)

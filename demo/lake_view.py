"""The summary of a lake snapshot: rows per layer, quality, gold KPIs, a user's SCD2 history.

Pure functions from ``LakeSnapshot`` (and the batch runs) to numbers and tables; the
charts and the report read the same numbers, so the terminal and the report agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from demo.lake import BatchRun, LakeSnapshot
from demo.tables import TableData, table
from pipelines.clickstream import names

TOP_PAGES = 10
# Quality metrics per feed, in reading order, with their labels.
FEED_METRICS = (
    ("rows_in", "rows in (bronze)"),
    ("rescued_rows", "rescued (unexpected fields kept in _rescued_data)"),
    ("corrupt_rows", "corrupt (unparseable JSON, kept in _corrupt_record)"),
    ("rows_quarantined", "quarantined (broke a rule)"),
    ("duplicates_dropped", "duplicates dropped"),
    ("rows_out", "rows out (silver)"),
    ("rows_unaccounted", "unaccounted (checked: the update fails unless 0)"),
)
FAILING_RULE = "rows_failing_rule"
START_AT, END_AT = "__START_AT", "__END_AT"


def day(date_key: int) -> str:
    """20261126 -> 2026-11-26."""
    return date(date_key // 10000, date_key // 100 % 100, date_key % 100).isoformat()


# -- numbers -------------------------------------------------------------------------------
def feed_metrics(snapshot: LakeSnapshot) -> dict[str, dict[str, int]]:
    """feed -> metric -> rows (metrics without a rule)."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for (feed, _layer, metric, rule), rows in snapshot.quality.items():
        if rule is None:
            out[feed][metric] = out[feed].get(metric, 0) + rows
    return dict(out)


def failing_rules(snapshot: LakeSnapshot) -> list[tuple[str, str, int]]:
    """(feed, rule, rows) for every rule that quarantined rows, most rows first."""
    found = [
        (feed, rule, rows)
        for (feed, _layer, metric, rule), rows in snapshot.quality.items()
        if metric == FAILING_RULE and rule is not None
    ]
    return sorted(found, key=lambda r: (-r[2], r[0], r[1]))


def daily_active_users(snapshot: LakeSnapshot) -> list[tuple[str, int, int, int]]:
    """(day, active users, sessions, events), oldest first."""
    rows = snapshot.tables.get(names.KPI_DAILY_ACTIVE_USERS, [])
    return [
        (day(r["date_key"]), r["active_users"], r["sessions"], r["events"])
        for r in sorted(rows, key=lambda r: r["date_key"])
    ]


def funnel(snapshot: LakeSnapshot) -> list[tuple[int, str, int, float]]:
    """(step number, step, sessions over all days, share of step 1's sessions)."""
    sessions: dict[tuple[int, str], int] = defaultdict(int)
    for r in snapshot.tables.get(names.KPI_FUNNEL_CONVERSION, []):
        sessions[(r["step_number"], r["step"])] += r["sessions"]
    steps = sorted(sessions)
    first = sessions[steps[0]] if steps else 0
    return [(n, step, sessions[(n, step)], sessions[(n, step)] / first if first else 0.0) for n, step in steps]


def top_pages(snapshot: LakeSnapshot, top: int = TOP_PAGES) -> list[tuple[str, int]]:
    """(page, views) over all days, most viewed first."""
    views: dict[str, int] = defaultdict(int)
    for r in snapshot.tables.get(names.KPI_TOP_PAGES, []):
        views[r["page_url"]] += r["views"]
    return sorted(views.items(), key=lambda kv: (-kv[1], kv[0]))[:top]


@dataclass(frozen=True)
class UserHistory:
    user_key: str  # the pseudonymised id (HMAC of the e-mail address)
    versions: list[dict]


def sample_user(snapshot: LakeSnapshot) -> UserHistory | None:
    """The user with the longest SCD2 history (ties: the smallest pseudonymised id)."""
    by_user: dict[str, list[dict]] = defaultdict(list)
    for r in snapshot.tables.get(names.DIM_USER, []):
        by_user[r["user_id"]].append(r)
    if not by_user:
        return None
    versions = min(by_user.values(), key=lambda vs: (-len(vs), min(v["user_key"] or "" for v in vs)))
    versions = sorted(versions, key=lambda v: v[START_AT])
    return UserHistory(versions[-1]["user_key"] or "", versions)


def _short_key(user_key: str | None) -> str:
    return f"{user_key[:12]}…" if user_key else "(none)"


# -- tables --------------------------------------------------------------------------------
def runs_table(runs: list[BatchRun]) -> TableData:
    rows = [
        (
            r.label,
            r.lines.get("events", 0),
            r.lines.get("user_changes", 0),
            f"{r.produce_s:.1f}",
            f"{r.pipeline_s:.1f}",
            r.added(names.BRONZE_EVENTS),
            r.added(names.SILVER_EVENTS),
            r.added(names.EVENTS_QUARANTINE),
        )
        for r in runs
    ]
    return table(
        "Batches: produce, then one pipeline update each",
        (
            "batch",
            "event lines",
            "user changes",
            "produce s",
            "pipeline s",
            "+ bronze events",
            "+ silver events",
            "+ quarantined",
        ),
        rows,
        numeric=range(1, 8),
        caption="The second update only reads the files that landed since the first (streaming "
        "checkpoints); gold materialized views are recomputed from silver.",
    )


def rows_table(snapshot: LakeSnapshot) -> TableData:
    rows = [
        (table_name.split(".")[0], table_name.split(".")[1], snapshot.rows[table_name])
        for table_name in names.ALL_TABLES
        if table_name in snapshot.rows
    ]
    return table("Rows per table", ("layer", "table", "rows"), rows, numeric={2})


def quality_table(snapshot: LakeSnapshot) -> TableData:
    metrics = feed_metrics(snapshot)
    feeds = sorted(metrics)
    rows = [(label, *(metrics[f].get(metric, 0) for f in feeds)) for metric, label in FEED_METRICS]
    return table(
        "Data quality per feed",
        ("metric", *feeds),
        rows,
        numeric=range(1, len(feeds) + 1),
        caption="rows in = rows out + quarantined + duplicates dropped, checked by the pipeline per batch.",
    )


def alerts_table(snapshot: LakeSnapshot, env: str) -> TableData:
    rows = [(a.key, a.title, f"{a.value:g}", f"{a.threshold:g}", "FIRES" if a.fired else "ok") for a in snapshot.alerts]
    return table(
        f"Data-quality alerts with {env}'s thresholds",
        ("alert", "what", "value", "threshold", "state"),
        rows,
        numeric={2, 3},
        caption="The deployed alerts' SQL (pipelines/clickstream/alerts.py) run on local Spark over "
        "gold.dq_metrics; an alert fires when value > threshold.",
    )


def rules_table(snapshot: LakeSnapshot) -> TableData:
    return table(
        "Quarantined rows by rule",
        ("feed", "rule", "rows"),
        failing_rules(snapshot),
        numeric={2},
        caption="A row that breaks several rules counts under each of them.",
    )


def dau_table(snapshot: LakeSnapshot) -> TableData:
    return table(
        "Daily active users",
        ("day", "active users", "sessions", "events"),
        daily_active_users(snapshot),
        numeric={1, 2, 3},
    )


def funnel_table(snapshot: LakeSnapshot) -> TableData:
    rows = [(n, step, sessions, f"{share:.1%}") for n, step, sessions, share in funnel(snapshot)]
    return table(
        "Funnel (sessions reaching each step)", ("step", "event", "sessions", "of step 1"), rows, numeric={0, 2, 3}
    )


def top_pages_table(snapshot: LakeSnapshot) -> TableData:
    rows = [(i, page, views) for i, (page, views) in enumerate(top_pages(snapshot), start=1)]
    return table("Top pages", ("#", "page", "views"), rows, numeric={0, 2})


def user_history_table(history: UserHistory | None) -> TableData:
    if history is None:
        return table("SCD2 history of a sample user", ("",), [("gold.dim_user is empty",)])
    rows = [
        (
            i,
            _short_key(v["user_key"]),
            v.get("country"),
            v.get("plan"),
            str(v.get("changed_at") or ""),
            str(v[START_AT]),
            "(current)" if v[END_AT] is None else str(v[END_AT]),
        )
        for i, v in enumerate(history.versions, start=1)
    ]
    return table(
        f"SCD2 history of user {_short_key(history.user_key)} (pseudonymised id)",
        ("version", "user key", "country", "plan", "changed at", START_AT, END_AT),
        rows,
        numeric={0, 5, 6},
        caption="gold.dim_user keeps every version of a user, bounded by the change sequence; "
        "the user key is the HMAC of the e-mail address, never the address itself.",
    )

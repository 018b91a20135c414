"""Sentences both renderers share, so the terminal and the comment say the same thing."""

from __future__ import annotations

from review.model import ACTION_ORDER, SENSITIVE, Action, ResourceChange, Review
from review.rbac import EXTRACTORS
from review.values import at_path, short

_PHRASE = {
    Action.CREATE: "to create",
    Action.UPDATE: "to update",
    Action.REPLACE: "to replace",
    Action.DELETE: "to delete",
    Action.FORGET: "to forget",
}
COUNTED = (Action.CREATE, Action.UPDATE, Action.REPLACE, Action.DELETE)
CONFIG_DIFF_NOTE = (
    "Configuration diff (no state): compares synthesized configuration only. Drift is not "
    "visible, and replacement is inferred only from attributes known to force it; "
    "`make diff ENV={env}` shows Terraform's own plan."
)


def headline(review: Review) -> str:
    if not review.changes:
        return "no changes"
    parts = [f"{review.count(a)} {_PHRASE[a]}" for a in ACTION_ORDER if review.count(a)]
    return ", ".join(parts)


def change_detail(change: ResourceChange, limit: int = 4) -> str:
    """What changes in a resource, in one line: forced replacement first, then attribute values."""
    pieces = []
    if change.reasons:
        lead = "forces replacement: " if change.action is Action.REPLACE else ""
        pieces.append(lead + "; ".join(change.reasons))
    if change.type in EXTRACTORS and change.action is Action.UPDATE:
        return "see Access changes"
    if change.action in (Action.UPDATE, Action.REPLACE):
        # Paths whose text is unchanged take a new value through a reference: said in reasons.
        paths = [
            p
            for p in change.changed
            if not p.startswith("(")
            and (at_path(change.before, p) != at_path(change.after, p) or at_path(change.after, p) is SENSITIVE)
        ]
        for path in paths[:limit]:
            old, new = at_path(change.before, path), at_path(change.after, path)
            pieces.append(f"{path}: {short(old, 30)} → {short(new, 30)}")
        hidden = len(paths) - limit
        if hidden > 0:
            pieces.append(f"+{hidden} more")
        pieces += [p for p in change.changed if p.startswith("(")]
    return "; ".join(pieces)


def summary_line(review: Review) -> str:
    failed = sum(1 for f in review.findings if not f.suppressed)
    return (
        f"{review.env}: {headline(review)} · {len(review.warnings)} warning(s) · "
        f"{len(review.access)} access change(s) · {failed} policy finding(s)"
    )

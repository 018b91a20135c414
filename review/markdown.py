"""The pull-request comment. GitHub renders it; the marker lets CI update it in place."""

from __future__ import annotations

import html
import re
from collections import defaultdict

from review.kinds import KIND_ORDER, kind_of
from review.model import ACTION_ORDER, Action, Review
from review.wording import CONFIG_DIFF_NOTE, COUNTED, change_detail, headline

MARKER = "<!-- clickstream-plan-review -->"
# GitHub refuses comments over 65,536 characters; leave room for the workflow's footer.
MAX_CHARS = 60_000
# Tables longer than this fold into a <details> block.
FOLD_ROWS = 10
# Access changes stay unfolded up to this many rows: a new environment's dozens are folded.
OPEN_ACCESS_ROWS = 25


# Markdown that a value from a pull request (a resource name, an attribute, a finding)
# could use to render a link, an image, a code span or emphasis in the bot's comment.
MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]!~])")
ZERO_WIDTH_SPACE = "\u200b"


def cell(text: object) -> str:
    """Safe inside a table cell: one line, no HTML, no pipes, no links/images/code spans,
    no @mentions (a zero-width space after @: nobody is notified by a value)."""
    one_line = MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    return html.escape(one_line, quote=False).replace("|", "\\|").replace("@", "@" + ZERO_WIDTH_SPACE)


def link_target(url: str) -> str:
    """A URL that cannot end the Markdown link early or smuggle in a second one."""
    return re.sub(r"[\s()<>\[\]|]", lambda m: f"%{ord(m.group()):02X}", url)


def code(text: object) -> str:
    return f"<code>{cell(text)}</code>"


def _fold(summary: str, body: list[str], fold: bool, open_: bool = False) -> list[str]:
    if not fold:
        return body
    return [f"<details{' open' if open_ else ''}><summary>{summary}</summary>", "", *body, "", "</details>", ""]


def _counts(review: Review) -> list[str]:
    actions = list(COUNTED)
    if review.count(Action.FORGET):
        actions.append(Action.FORGET)
    return [
        "| " + " | ".join(a.value for a in actions) + " |",
        "|" + "---:|" * len(actions),
        "| " + " | ".join(str(review.count(a)) for a in actions) + " |",
        "",
    ]


def _warnings(review: Review) -> list[str]:
    lines = []
    for severity, alert in (("danger", "CAUTION"), ("caution", "WARNING")):
        items = [w for w in review.warnings if w.severity == severity]
        if items:
            lines.append(f"> [!{alert}]")
            for w in items:
                detail = f": {cell(w.detail)}" if w.detail else ""
                lines.append(f"> **{cell(w.title)}** ({code(w.address)}){detail}")
                lines.append(">")
            lines[-1] = ""
    return lines


def _access(review: Review) -> list[str]:
    if not review.access:
        return ["#### Access changes", "", "No access changes.", ""]
    body = ["| Who | | What | On | Through |", "|---|---|---|---|---|"]
    for a in review.access:
        verb = {"gains": "**gains**", "loses": "**loses**", "re-granted": "re-granted (removed then added back)"}
        body.append(
            f"| {cell(a.principal)} | {verb[a.verb]} | {cell(', '.join(a.privileges))} | "
            f"{cell(a.target)} | {cell(a.mechanism)} |"
        )
    gains = sum(1 for a in review.access if a.verb == "gains")
    loses = sum(1 for a in review.access if a.verb == "loses")
    return [
        f"#### Access changes ({gains} gained, {loses} lost)",
        "",
        *_fold(
            f"{len(review.access)} access changes",
            body,
            len(review.access) > FOLD_ROWS,
            open_=len(review.access) <= OPEN_ACCESS_ROWS,
        ),
        "",
    ]


def _resources(review: Review, rows_per_group: int) -> list[str]:
    if not review.changes:
        return []
    groups = defaultdict(list)
    for change in review.changes:
        groups[kind_of(change.type)].append(change)
    fold = len(review.changes) > FOLD_ROWS
    lines = [f"#### Changed resources ({len(review.changes)})", ""]
    for kind in KIND_ORDER:
        changes = sorted(groups.get(kind, []), key=lambda c: (ACTION_ORDER.index(c.action), c.address))
        if not changes:
            continue
        body = ["| Action | Resource | Name | Change |", "|---|---|---|---|"]
        for change in changes[:rows_per_group]:
            name = review.name_of(change)
            body.append(
                f"| {change.action.symbol} {change.action.value} | {code(change.address)} | "
                f"{cell(name)} | {cell(change_detail(change))} |"
            )
        if len(changes) > rows_per_group:
            body.append(f"| | … {len(changes) - rows_per_group} more: see the workflow log | | |")
        counts = ", ".join(
            f"{sum(1 for c in changes if c.action is a)} {a.value}"
            for a in ACTION_ORDER
            if any(c.action is a for c in changes)
        )
        if fold:
            lines += _fold(
                f"<b>{kind}</b>: {counts}",
                body,
                True,
                open_=any(c.action in (Action.DELETE, Action.REPLACE) for c in changes),
            )
        else:
            lines += [f"**{kind}**: {counts}", "", *body, ""]
    return lines


def _findings(review: Review, rows: int) -> list[str]:
    if not review.sarif_files:
        return ["#### Policy findings", "", "No policy scan given (`--sarif`).", ""]
    failed = [f for f in review.findings if not f.suppressed]
    suppressed = len(review.findings) - len(failed)
    title = f"#### Policy findings: {len(failed)} open, {suppressed} suppressed"
    if not failed:
        return [title, "", "The policy scan found nothing open.", ""]
    body = ["| Level | Rule | Resource | Finding | Where |", "|---|---|---|---|---|"]
    for f in failed[:rows]:
        rule = (
            f"[{cell(f.rule_id)}]({link_target(f.help_uri)})" if f.help_uri.startswith("https://") else cell(f.rule_id)
        )
        body.append(f"| {cell(f.level)} | {rule} | {cell(f.resource)} | {cell(f.message)} | {code(f.location)} |")
    if len(failed) > rows:
        body.append(f"| | … {len(failed) - rows} more in the Security tab | | | |")
    return [title, "", *_fold(f"{len(failed)} open findings", body, len(failed) > FOLD_ROWS), ""]


def render_markdown(review: Review) -> str:
    for rows in (200, 50, 15, 5, 0):
        text = _render(review, rows)
        if len(text) <= MAX_CHARS:
            return text
    return text[:MAX_CHARS] + "\n\n… cut to fit a comment; the full review is in the workflow log.\n"


def _render(review: Review, rows: int) -> str:
    lines = [
        MARKER,
        f"### Plan review `{cell(review.env)}`: {headline(review)}",
        "",
        f"<sub>{cell(review.source_detail)}</sub>",
        "",
    ]
    if review.is_config_diff:
        lines += ["> [!NOTE]", f"> {CONFIG_DIFF_NOTE.format(env=cell(review.env))}", ""]
    lines += [f"> {cell(note)}" for note in review.notes] + ([""] if review.notes else [])
    lines += _warnings(review)
    lines += _counts(review)
    lines += _access(review)
    lines += _resources(review, rows)
    lines += _findings(review, max(rows, 5))
    return "\n".join(lines).rstrip() + "\n"

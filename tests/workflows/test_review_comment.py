"""The pull-request comment is updated in place, not appended: scripts/post-review-comment.cjs
run by node against an in-memory stand-in for the GitHub REST client."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from review.markdown import MARKER, render_markdown
from review.model import Review

REPO = Path(__file__).resolve().parents[2]
HARNESS = r"""
const post = require(process.argv[1]);
const comments = JSON.parse(process.argv[3]);
let next = 1000;
const calls = [];
const github = {
  paginate: async (fn, args) => { calls.push(['list', args.issue_number]); return comments; },
  rest: { issues: {
    listComments: () => { throw new Error('paginate is used'); },
    updateComment: async (a) => { calls.push(['update', a.comment_id]);
      comments.find((c) => c.id === a.comment_id).body = a.body; },
    createComment: async (a) => { calls.push(['create', a.issue_number]);
      const c = { id: next++, body: a.body, user: { type: 'Bot' } }; comments.push(c); return { data: c }; },
  } },
};
const context = { repo: { owner: 'o', repo: 'r' }, issue: { number: 42 } };
(async () => {
  const first = await post({ github, context, path: process.argv[2] });
  const second = await post({ github, context, path: process.argv[2] });
  console.log(JSON.stringify({ first, second, calls, comments }));
})().catch((e) => { console.error(e.message); process.exit(3); });
"""


def run_harness(tmp_path: Path, markdown: str, existing: list[dict]) -> subprocess.CompletedProcess:
    if shutil.which("node") is None:
        pytest.fail("node is required (scripts/setup.sh checks it)")
    path = tmp_path / "review-dev.md"
    path.write_text(markdown)
    return subprocess.run(
        ["node", "-e", HARNESS, str(REPO / "scripts" / "post-review-comment.cjs"), str(path), json.dumps(existing)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_second_post_updates_the_first_comment_and_leaves_humans_alone(tmp_path):
    markdown = render_markdown(Review(env="dev", source="plan", source_detail="terraform plan", changes=[]))
    human = {"id": 1, "body": MARKER + "\nquoted by a human", "user": {"type": "User"}}
    result = run_harness(tmp_path, markdown, [human])
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["first"]["action"] == "created" and out["second"] == {"action": "updated", "id": out["first"]["id"]}
    assert [c for c in out["calls"] if c[0] != "list"] == [["create", 42], ["update", out["first"]["id"]]]
    assert len(out["comments"]) == 2 and out["comments"][0]["body"] == human["body"]


def test_markdown_without_the_marker_is_refused(tmp_path):
    result = run_harness(tmp_path, "# some other text\n", [])
    assert result.returncode == 3 and "marker" in result.stderr

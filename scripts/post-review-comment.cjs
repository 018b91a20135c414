// Posts the plan review on the pull request, updating the previous review comment in place
// instead of appending a new one each push. The comment is found by the marker that
// `python -m review` writes as the Markdown's first line.
// Called from actions/github-script: require('./scripts/post-review-comment.cjs')({github, context, path}).
const fs = require('fs');

module.exports = async function postReviewComment({ github, context, path }) {
  const body = fs.readFileSync(path, 'utf8');
  const marker = body.split('\n', 1)[0];
  if (!/^<!--.*-->$/.test(marker)) {
    throw new Error(`${path}: first line must be the review marker comment, got ${JSON.stringify(marker)}`);
  }
  const { owner, repo } = context.repo;
  const issue_number = context.issue.number;
  const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
  const previous = comments.find((c) => c.user && c.user.type === 'Bot' && (c.body || '').startsWith(marker));
  if (previous) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: previous.id, body });
    return { action: 'updated', id: previous.id };
  }
  const created = await github.rest.issues.createComment({ owner, repo, issue_number, body });
  return { action: 'created', id: created.data.id };
};

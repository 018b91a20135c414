"""The pull-request comment: marker first, safe cells, long output folded, size capped."""

from __future__ import annotations

from review.markdown import FOLD_ROWS, MARKER, MAX_CHARS, cell, render_markdown
from review.model import AccessChange, Action, ResourceChange, Review


def review(changes=(), access=(), **kwargs):
    return Review(
        env="dev", source="plan", source_detail="terraform plan", changes=list(changes), access=list(access), **kwargs
    )


def creates(count, rtype="databricks_workspace_file"):
    return [ResourceChange(f"{rtype}.file_{i}", rtype, Action.CREATE, None, {"path": f"/p/{i}"}) for i in range(count)]


def test_marker_is_the_first_line_so_ci_can_find_and_update_the_comment():
    assert render_markdown(review()).splitlines()[0] == MARKER


def test_cells_cannot_break_the_table_or_inject_html():
    assert cell("a|b\n<script>x</script>") == "a\\|b &lt;script&gt;x&lt;/script&gt;"


def test_short_change_lists_stay_open_and_long_ones_fold():
    short = render_markdown(review(creates(FOLD_ROWS)))
    assert "<details" not in short
    long = render_markdown(review(creates(FOLD_ROWS + 1)))
    assert "<details><summary><b>Databricks workspace</b>: 11 create</summary>" in long


def test_groups_with_destruction_are_folded_open():
    deleted = ResourceChange(
        "azurerm_storage_account.lake", "azurerm_storage_account", Action.DELETE, {"name": "st"}, None
    )
    text = render_markdown(review(creates(FOLD_ROWS) + [deleted]))
    assert "<details open><summary><b>Storage</b>: 1 delete</summary>" in text


def test_huge_plans_are_cut_to_fit_a_github_comment():
    text = render_markdown(review(creates(3000)))
    assert len(text) <= MAX_CHARS and "more: see the workflow log" in text
    assert "3000 to create" in text.splitlines()[1]


def test_access_changes_read_as_who_gains_what_on_which_object():
    change = AccessChange(
        "clickstream-dev-data-analysts",
        "gains",
        ("SELECT",),
        "schema clickstream_dev.silver",
        "UC grant",
        ("databricks_grants.silver",),
    )
    text = render_markdown(review(access=[change]))
    assert "| clickstream-dev-data-analysts | **gains** | SELECT | schema clickstream_dev.silver | UC grant |" in text
    assert "#### Access changes (1 gained, 0 lost)" in text


def test_configuration_diff_is_labelled_as_such():
    text = render_markdown(
        Review(env="dev", source="config", source_detail="configuration diff (no state): a → b", changes=[])
    )
    assert "Configuration diff (no state)" in text and "make diff ENV=dev" in text


def test_values_from_a_pull_request_cannot_link_embed_mention_or_break_out_of_code():
    hostile = "x](https://evil.example) ![p](https://evil.example/p.png) @octocat `code` **b** <img src=x>"
    rendered = cell(hostile)
    assert "](" not in rendered.replace("\\](", "")  # every bracket is escaped: no link, no image
    assert "\\!\\[p\\]" in rendered and "\\`code\\`" in rendered and "\\*\\*b\\*\\*" in rendered
    assert "@octocat" not in rendered and "@\u200boctocat" in rendered
    assert "<img" not in rendered


def test_a_finding_link_cannot_end_early():
    from review.markdown import link_target

    assert (
        link_target("https://docs.example/a) [x](https://evil") == "https://docs.example/a%29%20%5Bx%5D%28https://evil"
    )

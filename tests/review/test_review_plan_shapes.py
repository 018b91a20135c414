"""The review of real plan shapes: a new environment, an in-place change, a destructive
change, an access change; plus secrets staying out of the comment and a plan Terraform made."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from review.build import build_review
from review.markdown import MARKER, render_markdown
from review.model import Action
from tests.review.review_plans import STORAGE, change, destructive, new_environment, plan, rbac_change, write

FIXTURES = Path(__file__).parent / "fixtures"


def review_of(tmp_path, document, **kwargs):
    return build_review(env="dev", plan=write(tmp_path, document), **kwargs)


def access_rows(review):
    return {(a.principal, a.verb, a.privileges, a.target) for a in review.access}


def test_new_environment_counts_creates_and_names_who_gains_access_before_ids_exist(tmp_path):
    review = review_of(tmp_path, new_environment())
    assert [review.count(a) for a in (Action.CREATE, Action.UPDATE, Action.REPLACE, Action.DELETE)] == [6, 0, 0, 0]
    assert review.warnings == []
    assert access_rows(review) == {
        (
            "managed identity id-clickstream-pr-42-producer",
            "gains",
            ("Storage Blob Data Contributor",),
            "storage account stclickstreampr42",
        ),
        ("clickstream-pr-42-data-analysts", "gains", ("USE_CATALOG",), "catalog clickstream_pr_42"),
    }
    markdown = render_markdown(review)
    assert markdown.startswith(MARKER + "\n")
    assert "6 to create" in markdown.splitlines()[1]


def test_in_place_change_lists_changed_attributes_without_warnings(tmp_path):
    after = dict(STORAGE, tags={"env": "dev", "owner": "data-platform"})
    document = plan(
        change("azurerm_storage_account.lake", ["update"], STORAGE, after),
        change(
            "databricks_pipeline.clickstream",
            ["update"],
            {"name": "clickstream-dev", "configuration": {"clickstream.env": "dev"}, "serverless": True},
            {"name": "clickstream-dev", "configuration": {"clickstream.env": "dev", "x": "1"}, "serverless": True},
        ),
    )
    review = review_of(tmp_path, document)
    assert review.count(Action.UPDATE) == 2 and len(review.changes) == 2
    assert review.warnings == [] and review.access == []
    storage = next(c for c in review.changes if c.type == "azurerm_storage_account")
    assert storage.changed == ("tags.owner",)
    assert "tags.owner: platform → data-platform" in render_markdown(review)


def test_destructive_change_warns_loudly_with_what_is_lost_and_why(tmp_path):
    review = review_of(tmp_path, destructive())
    danger = {w.address: w for w in review.warnings if w.severity == "danger"}
    assert set(danger) == {"azurerm_storage_account.lake", "databricks_schema.silver"}
    storage = danger["azurerm_storage_account.lake"]
    assert storage.title.startswith("Replaces") and "storage account stclickstreamdev" in storage.title
    assert "Used by: catalog clickstream_dev" in storage.detail and "is_hns_enabled" in storage.detail
    assert danger["databricks_schema.silver"].title == "Destroys schema clickstream_dev.silver"
    caution = [w for w in review.warnings if w.severity == "caution"]
    assert len(caution) == 1 and "lock-storage" in caution[0].title and "stclickstreamdev" in caution[0].detail
    markdown = render_markdown(review)
    assert "> [!CAUTION]" in markdown and "> [!WARNING]" in markdown
    # The warnings come before the tables, where a reviewer looks first.
    assert markdown.index("[!CAUTION]") < markdown.index("#### Changed resources")


def test_rbac_change_says_who_gains_and_loses_what_on_which_object(tmp_path):
    review = review_of(tmp_path, rbac_change())
    assert access_rows(review) == {
        ("clickstream-dev-data-analysts", "gains", ("SELECT", "USE_SCHEMA"), "schema clickstream_dev.silver"),
        (
            "managed identity id-clickstream-dev-producer",
            "loses",
            ("Storage Blob Data Contributor",),
            "storage account stclickstreamdev",
        ),
        ("clickstream-dev-data-analysts", "loses", ("CAN_VIEW",), "pipeline clickstream-dev"),
        ("clickstream-dev-data-analysts", "gains", ("CAN_MANAGE",), "pipeline clickstream-dev"),
        (
            "service principal clickstream-dev-producer",
            "gains",
            ("member",),
            "Databricks group clickstream-dev-producers",
        ),
        (
            "access connector ac-clickstream-dev",
            "re-granted",
            ("Storage Blob Data Contributor",),
            "storage account stclickstreamdev",
        ),
    }
    # Losses are listed first: they break things soonest.
    assert review.access[0].verb == "loses"
    markdown = render_markdown(review)
    assert (
        "| clickstream-dev-data-analysts | **gains** | SELECT, USE_SCHEMA | schema clickstream_dev.silver |" in markdown
    )


def test_grant_moving_between_resources_is_not_reported_as_loss_and_gain(tmp_path):
    grant = [{"principal": "clickstream-dev-data-analysts", "privileges": ["SELECT"]}]
    document = plan(
        change("databricks_grants.gold_old", ["delete"], {"schema": "clickstream_dev.gold", "grant": grant}, None),
        change("databricks_grants.gold", ["create"], None, {"schema": "clickstream_dev.gold", "grant": grant}),
    )
    assert review_of(tmp_path, document).access == []


def test_sensitive_values_never_reach_the_comment_or_the_terminal(tmp_path, capsys):
    document = plan(
        change(
            "azurerm_key_vault_secret.hmac",
            ["update"],
            {"name": "pseudonym-hmac", "value": "s3cr3t-old"},
            {"name": "pseudonym-hmac", "value": "s3cr3t-new"},
            before_sensitive={"value": True},
            after_sensitive={"value": True},
        )
    )
    from review.cli import main

    out = tmp_path / "review.md"
    assert main(["--plan", str(write(tmp_path, document)), "--markdown", str(out)]) == 0
    assert "s3cr3t" not in out.read_text() + capsys.readouterr().out
    assert "value: (sensitive) → (sensitive)" in out.read_text()


def test_plan_made_by_terraform_itself_is_read(tmp_path):
    """tests/review/fixtures/terraform_data: a real `terraform show -json` (see its README)."""
    review = build_review(env="local", plan=FIXTURES / "terraform_data" / "plan.json")
    actions = {c.address: c.action for c in review.changes}
    assert actions == {
        "terraform_data.changed": Action.UPDATE,
        "terraform_data.fresh": Action.CREATE,
        "terraform_data.gone": Action.DELETE,
        "terraform_data.replaced": Action.REPLACE,
    }
    replaced = next(c for c in review.changes if c.address == "terraform_data.replaced")
    assert replaced.reasons[0] == "`triggers_replace` changes"
    # Computed attributes turning unknown are consequences, not changes worth listing.
    assert next(c for c in review.changes if c.address == "terraform_data.changed").changed == ("input",)


@pytest.mark.parametrize(
    "content, message",
    [
        ("not json", "not JSON"),
        (json.dumps({"resource_changes": []}), "no `format_version`"),
        (json.dumps({"format_version": "2.0"}), "format_version` 2.0"),
        (
            json.dumps(
                {
                    "format_version": "1.2",
                    "resource_changes": [{"address": "a.b", "type": "a", "change": {"actions": ["explode"]}}],
                }
            ),
            "resource_changes[0].change.actions",
        ),
    ],
)
def test_bad_plan_exits_2_naming_file_and_field(tmp_path, capsys, content, message):
    from review.cli import main

    path = tmp_path / "broken.json"
    path.write_text(content)
    assert main(["--plan", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and message in err


def test_new_write_only_key_version_warns_that_the_key_is_rewritten(tmp_path):
    """value_wo is never in a plan: the version bump (`make rotate-key`) is the only trace of a new key."""
    secret = {"name": "pseudonymisation-key", "value_wo": None, "content_type": "hmac-sha256-key"}
    document = plan(
        change(
            "azurerm_key_vault_secret.key",
            ["update"],
            dict(secret, value_wo_version=1),
            dict(secret, value_wo_version=2),
        )
    )
    review = review_of(tmp_path, document)
    [warning] = review.warnings
    assert warning.severity == "danger" and warning.title.startswith("Rewrites Key Vault secret")
    assert "value_wo_version 1 → 2" in warning.detail and "changes every pseudonym" in warning.detail


def test_unchanged_write_only_key_version_does_not_warn(tmp_path):
    secret = {"name": "pseudonymisation-key", "value_wo": None, "value_wo_version": 1}
    document = plan(
        change("azurerm_key_vault_secret.key", ["update"], dict(secret, tags={}), dict(secret, tags={"env": "dev"}))
    )
    assert review_of(tmp_path, document).warnings == []


def _mask_query(text: str) -> dict:
    return {"display_name": "clickstream-dev-masks: mask_url", "query_text": text, "warehouse_id": "w1"}


def test_a_changed_or_removed_column_mask_statement_is_a_caution_naming_the_columns(tmp_path):
    from contract import masks, rbac

    groups = {role: f"clickstream-dev-{role}" for role in rbac.ROLES}
    old = masks.function_statement("clickstream_dev", masks.URL_WITHOUT_QUERY, groups)
    new = old.replace("regexp_extract(value, '^[^?#]*', 0)", "value")
    address = "databricks_query.masks_mask_url"
    for actions, after in ((["update"], _mask_query(new)), (["delete"], None)):
        review = review_of(tmp_path, plan(change(address, actions, _mask_query(old), after)))
        (caution,) = [w for w in review.warnings if w.severity == "caution"]
        assert caution.address == address and "`page_url`, `referrer`" in caution.detail
    created = review_of(tmp_path, plan(change(address, ["create"], None, _mask_query(old))))
    assert created.warnings == []

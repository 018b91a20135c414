"""Landing lifecycle and budgets in the synthesized stacks follow the typed config."""

from __future__ import annotations

import pytest

from infra.config import ConfigError, load_environment
from infra.constructs.lifecycle import owner_emails
from tests.conftest import EXPIRES_ON, SYNTH_ENVS
from tests.infra.synth_json import only

CONFIGS = {name: load_environment(name, {"CLICKSTREAM_EXPIRES_ON": EXPIRES_ON}) for name in SYNTH_ENVS}


@pytest.mark.slow
@pytest.mark.parametrize("env", SYNTH_ENVS)
def test_landing_blobs_expire_as_configured(synthesized, env):
    doc, lifecycle = synthesized[env], CONFIGS[env].storage.lifecycle
    policy = only(doc, "azurerm_storage_management_policy")
    assert policy["storage_account_id"].startswith("${azurerm_storage_account.")
    (rule,) = policy["rule"]
    assert rule["filters"]["prefix_match"] == ["landing/"]
    base = rule["actions"]["base_blob"]
    assert base["delete_after_days_since_modification_greater_than"] == lifecycle.delete_after_days
    assert base.get("tier_to_cool_after_days_since_modification_greater_than") == lifecycle.cool_after_days


@pytest.mark.slow
@pytest.mark.parametrize("env", SYNTH_ENVS)
def test_budget_notifies_owners(synthesized, env):
    doc, budget = synthesized[env], CONFIGS[env].budget
    found = only(doc, "azurerm_consumption_budget_resource_group")
    assert found["amount"] == budget.amount
    assert found["time_period"]["start_date"] == f"{budget.start_date.isoformat()}T00:00:00Z"
    got = sorted((n["threshold_type"], n["threshold"]) for n in found["notification"])
    want = sorted(
        [("Actual", p) for p in budget.actual_percentages] + [("Forecasted", p) for p in budget.forecasted_percentages]
    )
    assert got == want
    assert all(n["contact_emails"] == owner_emails(CONFIGS[env]) for n in found["notification"])


def test_ephemeral_deletes_within_two_days_without_tiering():
    lifecycle = CONFIGS["pr-42"].storage.lifecycle
    assert lifecycle.cool_after_days is None and lifecycle.delete_after_days <= 2
    assert CONFIGS["pr-42"].budget.amount < CONFIGS["dev"].budget.amount


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            ("storage", "lifecycle"),
            {"cool_after_days": 30, "delete_after_days": 30},
            "cool_after_days (30) must be less",
        ),
        (("budget", "start_date"), "2026-12-15", "budget.start_date: 2026-12-15 must be the first day"),
    ],
)
def test_invalid_lifecycle_and_budget_name_the_field(monkeypatch, path, value, message):
    import yaml

    from infra import config

    raw = yaml.safe_load(config.config_file("dev").read_text())
    raw[path[0]][path[1]] = value
    monkeypatch.setattr(config.yaml, "safe_load", lambda _text: raw)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_environment("dev", {})

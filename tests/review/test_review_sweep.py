"""The scheduled sweep destroys only ephemeral environments whose expires-on date has passed."""

from __future__ import annotations

import datetime as dt
import json

from review.sweep import decide, expired_envs, main

TODAY = dt.date(2026, 11, 26)


def group(name, env, expires=None, managed="cdktf"):
    tags = {"env": env, "managed-by": managed, "owner": "platform"}
    if expires is not None:
        tags["expires-on"] = expires
    return {"name": name, "location": "westeurope", "tags": tags}


GROUPS = [
    group("rg-clickstream-pr-41", "pr-41", "2026-11-25"),  # expired yesterday
    group("rg-clickstream-pr-41-dbx", "pr-41", "2026-11-25"),  # same env, second group: one destroy
    group("rg-clickstream-pr-42", "pr-42", "2026-11-26"),  # expires today: still alive
    group("rg-clickstream-pr-43", "pr-43", "2026-12-03"),
    group("rg-clickstream-dev", "dev", "2020-01-01"),  # long-lived, even if mis-tagged
    group("rg-clickstream-prod", "prod"),
    group("rg-clickstream-pr-44", "pr-44"),  # no expiry: reported, not swept
    group("rg-clickstream-pr-45", "pr-45", "26/11/2020"),  # bad date: reported, not swept
    group("rg-other", "pr-46", "2020-01-01", managed="bicep"),  # not ours
    group("rg-weird", "Prod; rm -rf /", "2020-01-01"),  # not an environment name
]


def test_only_expired_ephemeral_environments_are_selected_once_each():
    assert expired_envs(decide(GROUPS, TODAY)) == ["pr-41"]


def test_dev_prod_and_foreign_groups_are_never_considered():
    envs = {d.env for d in decide(GROUPS, TODAY)}
    assert not envs & {"dev", "prod", "pr-46"}


def test_untagged_or_badly_tagged_groups_are_reported_not_destroyed():
    problems = {d.env: d.problem for d in decide(GROUPS, TODAY) if d.problem}
    assert set(problems) == {"pr-44", "pr-45", "Prod; rm -rf /"}
    assert "no expires-on" in problems["pr-44"] and "YYYY-MM-DD" in problems["pr-45"]


def test_dry_run_lists_without_destroying(tmp_path, capsys):
    path = tmp_path / "groups.json"
    path.write_text(json.dumps(GROUPS))
    assert main(["--groups-json", str(path), "--today", "2026-11-26"]) == 0
    out = capsys.readouterr().out
    assert "would destroy (dry run; --apply to destroy): pr-41" in out


def test_apply_runs_make_destroy_per_env_and_fails_when_a_destroy_fails(tmp_path, capsys, monkeypatch):
    path = tmp_path / "groups.json"
    path.write_text(json.dumps(GROUPS + [group("rg-clickstream-pr-7", "pr-7", "2026-01-01")]))
    calls = []

    class Result:
        def __init__(self, code):
            self.returncode = code

    def fake_run(command, **kwargs):
        calls.append(command)
        return Result(1 if "ENV=pr-7" in command else 0)

    monkeypatch.setattr("review.sweep.subprocess.run", fake_run)
    assert main(["--groups-json", str(path), "--today", "2026-11-26", "--apply"]) == 1
    assert calls == [
        ["make", "destroy", "ENV=pr-41", "AUTO_APPROVE=1"],
        ["make", "destroy", "ENV=pr-7", "AUTO_APPROVE=1"],
    ]
    assert "FAILED: pr-7" in capsys.readouterr().out


def test_bad_groups_file_exits_2_naming_it(tmp_path, capsys):
    path = tmp_path / "groups.json"
    path.write_text('{"not": "a list"}')
    assert main(["--groups-json", str(path)]) == 2
    assert str(path) in capsys.readouterr().err

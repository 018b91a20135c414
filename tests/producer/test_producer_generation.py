"""Traffic generation: determinism, realism of sessions and the user CDC feed, and the
injected defects matching what the summary reports."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

import orjson
import pytest
from producer_checks import classify

from contract import EVENT_TYPES, EVENTS_FEED, USER_CHANGE_OPS, USER_CHANGES_FEED
from producer import DefectRates, ProducerConfig, generate, run

START = datetime(2026, 11, 26, 18, 0, tzinfo=UTC)
START_MS = int(START.timestamp() * 1000)


def lines_of(config: ProducerConfig, feed: str = EVENTS_FEED) -> list[bytes]:
    return [line for b in generate(config, START) if b.feed == feed for line in b.payload.splitlines()]


def test_same_seed_and_start_give_identical_bytes_and_ids():
    config = ProducerConfig(events=3_000, seed=11, events_per_file=1_000)
    first = [(b.feed, b.hour_ms, b.seq, b.payload) for b in generate(config, START)]
    second = [(b.feed, b.hour_ms, b.seq, b.payload) for b in generate(config, START)]
    assert first == second


def test_another_seed_or_start_gives_other_events_and_ids():
    a = lines_of(ProducerConfig(events=500, seed=1, defects=DefectRates.none()))
    b = lines_of(ProducerConfig(events=500, seed=2, defects=DefectRates.none()))
    ids_a = {orjson.loads(x)["event_id"] for x in a}
    ids_b = {orjson.loads(x)["event_id"] for x in b}
    assert not ids_a & ids_b
    later = ProducerConfig(events=500, seed=1, defects=DefectRates.none())
    ids_later = {
        orjson.loads(x)["event_id"]
        for b in generate(later, datetime(2026, 11, 27, tzinfo=UTC))
        if b.feed == EVENTS_FEED
        for x in b.payload.splitlines()
    }
    assert not ids_a & ids_later


def test_users_keep_stable_profiles_across_runs_with_the_same_seed():
    def users(start):
        cfg = ProducerConfig(events=2_000, seed=5, defects=DefectRates.none())
        return {
            orjson.loads(x)["user"]["id"]
            for b in generate(cfg, start)
            if b.feed == EVENTS_FEED
            for x in b.payload.splitlines()
        }

    assert len(users(START) & users(datetime(2026, 12, 1, tzinfo=UTC))) > 50


def test_clean_events_follow_the_contract_and_a_plausible_session_flow():
    events = [orjson.loads(x) for x in lines_of(ProducerConfig(events=20_000, seed=3, defects=DefectRates.none()))]
    sessions = defaultdict(list)
    for e in events:
        assert e["event_type"] in EVENT_TYPES
        assert e["user"]["id"].startswith("u-") and "@" in e["user"]["email"]
        assert e["page"]["url"].startswith("https://") and e["device"]["type"] in ("mobile", "desktop", "tablet")
        assert all(isinstance(v, str) for v in e["properties"].values())
        sessions[e["session_id"]].append(e)
    ts = [e["event_ts"] for e in events]
    assert ts == sorted(ts), "clean events arrive in time order"
    funnel_sessions = 0
    for flow in sessions.values():
        kinds = [e["event_type"] for e in flow]
        assert kinds[0] == "session_start"
        assert "session_end" not in kinds[:-1]
        assert len({e["user"]["id"] for e in flow}) == 1
        if "purchase" in kinds:
            funnel_sessions += 1
            assert kinds.index("add_to_cart") < kinds.index("checkout") < kinds.index("purchase")
    # Drop-off: some sessions buy, most do not.
    assert 0 < funnel_sessions < len(sessions) / 5


def test_user_changes_have_increasing_sequences_per_user():
    changes = [orjson.loads(x) for x in lines_of(ProducerConfig(events=20_000, seed=4), USER_CHANGES_FEED)]
    last = {}
    ops = set()
    for c in changes:
        ops.add(c["op"])
        assert c["sequence"] > last.get(c["user_id"], -1)
        last[c["user_id"]] = c["sequence"]
        assert (c["email"] is None) == (c["op"] == "delete")
    assert ops == set(USER_CHANGE_OPS)


def test_defects_in_the_files_match_the_summary(tmp_path):
    rates = DefectRates(**{k: 0.02 for k in DefectRates.kinds()})
    summary = run(
        ProducerConfig(events=20_000, seed=9, start=START, defects=rates, root=tmp_path, events_per_file=4_000)
    )
    lines = [line for f in sorted(tmp_path.glob("events/**/*.json")) for line in f.read_bytes().splitlines()]
    # Files are read in name (= write) order, like the stream was produced.
    assert len(lines) == summary.lines[EVENTS_FEED] == 20_000
    defects, types, ids = classify(lines, START_MS)
    assert all(n > 0 for n in summary.defects.values())
    assert dict(defects) == {k: v for k, v in summary.defects.items() if v}
    assert dict(types) == summary.events_by_type
    assert len(ids) == summary.valid_unique_events == 20_000 - summary.invalid_or_repeated()
    persisted = orjson.loads((tmp_path / summary.summary_path).read_bytes())
    assert persisted["defects"] == summary.defects and persisted["status"] == "completed"


def test_defect_rates_are_respected_roughly():
    lines = lines_of(ProducerConfig(events=50_000, seed=8, defects=DefectRates(malformed_json=0.01)))
    bad = sum(1 for x in lines if not (x.startswith(b"{") and x.endswith(b"}")))
    assert 350 < bad < 650


@pytest.mark.parametrize("rates", [DefectRates.none(), DefectRates(duplicate=1.0)])
def test_extreme_rates_still_produce_exactly_n_lines(rates):
    assert len(lines_of(ProducerConfig(events=1_234, defects=rates))) == 1_234

"""The local SCD2 follows Databricks AUTO CDC (stored_as_scd_type=2) semantics.

Each case is written from the documented behaviour, not from the implementation:
changes apply in sequence order whatever their arrival order; a change of a tracked
column closes the open version (__END_AT = the change's sequence) and opens a new one;
deletes close the open version; untracked changes update in place.
"""

from pipelines.clickstream.gold import DIM_USER_SCD2
from pipelines.clickstream.scd2_local import scd2

# The pipeline's own dim_user arguments, with only the columns these cases write.
DIM_USER = DIM_USER_SCD2 | {"columns": ["plan", "changed_at", "sequence"]}


def history(spark, changes):
    """changes: (change_id, user_id, op, sequence, plan) in arrival order."""
    rows = [(cid, uid, op, seq, plan, f"t{seq}") for cid, uid, op, seq, plan in changes]
    df = spark.createDataFrame(
        rows, "change_id STRING, user_id STRING, op STRING, sequence BIGINT, plan STRING, changed_at STRING"
    )
    out = scd2(df, **DIM_USER)
    return sorted((r.user_id, r.plan, r["__START_AT"], r["__END_AT"]) for r in out.collect())


def test_in_order_updates_chain_versions_and_leave_the_last_open(spark):
    got = history(
        spark, [("c1", "u", "upsert", 1, "free"), ("c2", "u", "upsert", 2, "pro"), ("c3", "u", "upsert", 5, "team")]
    )
    assert got == [("u", "free", 1, 2), ("u", "pro", 2, 5), ("u", "team", 5, None)]


def test_out_of_order_arrival_gives_the_same_history_as_in_order(spark):
    in_order = [("c1", "u", "upsert", 1, "free"), ("c2", "u", "upsert", 2, "pro"), ("c3", "u", "upsert", 3, "team")]
    shuffled = [in_order[2], in_order[0], in_order[1]]
    assert history(spark, shuffled) == history(spark, in_order)


def test_delete_closes_the_open_version_and_adds_no_row(spark):
    got = history(spark, [("c1", "u", "upsert", 1, "free"), ("c2", "u", "delete", 4, None)])
    assert got == [("u", "free", 1, 4)]


def test_upsert_after_delete_opens_a_new_version(spark):
    got = history(
        spark, [("c1", "u", "upsert", 1, "free"), ("c2", "u", "delete", 2, None), ("c3", "u", "upsert", 3, "free")]
    )
    assert got == [("u", "free", 1, 2), ("u", "free", 3, None)]


def test_late_update_older_than_a_delete_lands_before_it_in_history(spark):
    got = history(
        spark, [("c1", "u", "upsert", 1, "free"), ("c3", "u", "delete", 3, None), ("c2", "u", "upsert", 2, "pro")]
    )
    assert got == [("u", "free", 1, 2), ("u", "pro", 2, 3)]


def test_delete_without_an_open_version_does_nothing(spark):
    got = history(
        spark, [("c1", "u", "delete", 1, None), ("c2", "u", "upsert", 2, "free"), ("c3", "v", "delete", 7, None)]
    )
    assert got == [("u", "free", 2, None)]


def test_unchanged_tracked_columns_open_no_version_and_untracked_update_in_place(spark):
    rows = [("c1", "u", "upsert", 1, "free"), ("c2", "u", "upsert", 2, "free"), ("c3", "u", "upsert", 3, "pro")]
    df = spark.createDataFrame(
        [(c, u, o, s, p, f"t{s}") for c, u, o, s, p in rows],
        "change_id STRING, user_id STRING, op STRING, sequence BIGINT, plan STRING, changed_at STRING",
    )
    out = scd2(df, **DIM_USER)
    got = sorted((r.plan, r.changed_at, r["__START_AT"], r["__END_AT"]) for r in out.collect())
    assert got == [("free", "t2", 1, 3), ("pro", "t3", 3, None)]


def test_keys_are_independent(spark):
    got = history(
        spark,
        [
            ("c1", "u", "upsert", 1, "free"),
            ("c2", "v", "upsert", 1, "pro"),
            ("c3", "u", "upsert", 2, "pro"),
            ("c4", "v", "delete", 2, None),
        ],
    )
    assert got == [("u", "free", 1, 2), ("u", "pro", 2, None), ("v", "pro", 1, 2)]


def test_duplicate_sequence_for_a_key_keeps_one_change(spark):
    got = history(
        spark, [("c1", "u", "upsert", 1, "free"), ("c1", "u", "upsert", 1, "free"), ("c2", "u", "upsert", 2, "pro")]
    )
    assert got == [("u", "free", 1, 2), ("u", "pro", 2, None)]

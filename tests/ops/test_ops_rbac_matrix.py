"""The shared RBAC matrix and the grant comparison that checks a workspace against it."""

from __future__ import annotations

from databricks.sdk.service.catalog import EffectivePrivilegeAssignment, ExternalLocationInfo

from contract import rbac
from ops.checks.catalog import covering_location, targets
from ops.grants import Target, grant_problems


def test_the_matrix_is_the_documented_one():
    """infra-facts: the RBAC matrix the platform promises; a change here is a contract change."""
    engineer = {"USE_SCHEMA", "CREATE_TABLE", "CREATE_MATERIALIZED_VIEW", "MODIFY", "SELECT", "READ_VOLUME"}
    expected = {
        ("catalog", "", "platform-admins"): {"ALL_PRIVILEGES"},
        ("catalog", "", "data-engineers"): {"USE_CATALOG"},
        ("catalog", "", "data-analysts"): {"USE_CATALOG"},
        ("catalog", "", "producers"): {"USE_CATALOG"},
        ("schema", "bronze", "data-engineers"): engineer,
        ("schema", "silver", "data-engineers"): engineer,
        ("schema", "gold", "data-engineers"): engineer,
        ("schema", "gold", "data-analysts"): {"USE_SCHEMA", "SELECT"},
        ("schema", "bronze", "producers"): {"USE_SCHEMA"},
        ("volume", "bronze.landing", "producers"): {"READ_VOLUME", "WRITE_VOLUME"},
        ("external_location", "landing", "data-engineers"): {"READ_FILES"},
        # The pipeline's run-as service principal: its own tables in every layer, the raw files.
        ("catalog", "", "pipelines"): {"USE_CATALOG"},
        ("schema", "bronze", "pipelines"): engineer - {"READ_VOLUME"},
        ("schema", "silver", "pipelines"): engineer - {"READ_VOLUME"},
        ("schema", "gold", "pipelines"): engineer - {"READ_VOLUME"},
        ("volume", "bronze.landing", "pipelines"): {"READ_VOLUME"},
    }
    actual = {(g.securable.type, g.securable.name, g.role): set(g.privileges) for g in rbac.GRANTS}
    assert actual == expected


def test_securables_resolve_to_full_names():
    assert rbac.LANDING_VOLUME_SECURABLE.full_name("clickstream_dev") == "clickstream_dev.bronze.landing"
    assert rbac.THE_CATALOG.full_name("clickstream_dev") == "clickstream_dev"
    assert (
        rbac.LANDING_LOCATION_SECURABLE.full_name("c", {"landing": "clickstream-dev-landing"})
        == "clickstream-dev-landing"
    )


def assignment(principal: str, *privileges: dict) -> EffectivePrivilegeAssignment:
    return EffectivePrivilegeAssignment.from_dict({"principal": principal, "privileges": list(privileges)})


GOLD = Target(
    "schema",
    "c.gold",
    {"analysts": frozenset({"USE_SCHEMA", "SELECT"}), "producers": frozenset()},
    frozenset({"c", "c.gold"}),
)


def test_exact_grants_pass_and_other_principals_are_ignored():
    problems = grant_problems(
        GOLD,
        [
            assignment(
                "analysts",
                {"privilege": "SELECT"},
                {"privilege": "USE_SCHEMA"},
                {"privilege": "USE_CATALOG", "inherited_from_type": "CATALOG", "inherited_from_name": "c"},
            ),
            assignment("owner@example.com", {"privilege": "ALL_PRIVILEGES"}),
        ],
    )
    assert problems == []


def test_missing_extra_and_foreign_inherited_privileges_are_each_reported():
    problems = grant_problems(
        GOLD,
        [
            assignment("analysts", {"privilege": "USE_SCHEMA"}, {"privilege": "MODIFY"}),
            assignment(
                "producers", {"privilege": "SELECT", "inherited_from_type": "METASTORE", "inherited_from_name": "ms-1"}
            ),
        ],
    )
    assert problems == [
        "analysts: missing SELECT on schema c.gold",
        "analysts: extra MODIFY on schema c.gold",
        "producers: extra SELECT on schema c.gold, inherited from metastore ms-1",
    ]


def test_the_matrix_resolves_to_six_securables_with_every_group():
    groups = {role: f"g-{role}" for role in rbac.ROLES}
    resolved = targets("c", groups, {"landing": "loc-landing"})

    assert [(t.type, t.full_name) for t in resolved] == [
        ("catalog", "c"),
        ("schema", "c.bronze"),
        ("schema", "c.silver"),
        ("schema", "c.gold"),
        ("volume", "c.bronze.landing"),
        ("external_location", "loc-landing"),
    ]
    assert all(set(t.expected) == set(groups.values()) for t in resolved)
    # Unresolved external locations are left out rather than guessed.
    assert len(targets("c", groups, {})) == 5


def test_the_most_specific_location_covers_a_path():
    locations = [
        ExternalLocationInfo(name="root", url="abfss://landing@a.dfs.core.windows.net/"),
        ExternalLocationInfo(name="events", url="abfss://landing@a.dfs.core.windows.net/events"),
        ExternalLocationInfo(name="other", url="abfss://landing@a.dfs.core.windows.net/ev"),
    ]
    assert covering_location(locations, "abfss://landing@a.dfs.core.windows.net/events/2026").name == "events"
    assert covering_location(locations, "abfss://landing@a.dfs.core.windows.net").name == "root"
    assert covering_location(locations, "abfss://catalog@a.dfs.core.windows.net/") is None

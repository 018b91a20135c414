"""The access matrix: who gets what on which object. The single source of truth.

The catalog construct grants exactly this, the README documents it, the tests compare
the synthesized grants with it and ``make verify`` checks a deployed workspace against
it. Principals are roles (groups), never individuals: ``Names.group(role)`` gives the
group's display name in an environment. Pure data, cheap to import.
"""

from __future__ import annotations

ADMINS = "platform-admins"
ENGINEERS = "data-engineers"
ANALYSTS = "data-analysts"
PRODUCERS = "producers"  # Databricks account group holding the producer's service principal

# Entra ID security groups (made known to Databricks); producers is Databricks-only.
ENTRA_ROLES = (ADMINS, ENGINEERS, ANALYSTS)
ROLES = ENTRA_ROLES + (PRODUCERS,)

_ENGINEER_SCHEMA = ("USE_SCHEMA", "CREATE_TABLE", "CREATE_MATERIALIZED_VIEW", "MODIFY", "SELECT", "READ_VOLUME")

# Unity Catalog grants by securable: (kind, name) -> role -> privileges.
# Schema, volume and external location names are the logical ones used by the stack.
UC_GRANTS: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {
    ("catalog", "catalog"): {
        ADMINS: ("ALL_PRIVILEGES",),
        ENGINEERS: ("USE_CATALOG",),
        ANALYSTS: ("USE_CATALOG",),
        PRODUCERS: ("USE_CATALOG",),
    },
    ("schema", "bronze"): {ENGINEERS: _ENGINEER_SCHEMA, PRODUCERS: ("USE_SCHEMA",)},
    ("schema", "silver"): {ENGINEERS: _ENGINEER_SCHEMA},
    ("schema", "gold"): {ENGINEERS: _ENGINEER_SCHEMA, ANALYSTS: ("USE_SCHEMA", "SELECT")},
    ("volume", "landing"): {ENGINEERS: ("READ_VOLUME",), PRODUCERS: ("READ_VOLUME", "WRITE_VOLUME")},
    ("external_location", "landing"): {ADMINS: ("ALL_PRIVILEGES",), ENGINEERS: ("READ_FILES",)},
    ("external_location", "catalog"): {ADMINS: ("ALL_PRIVILEGES",)},
}

# Workspace object permissions: object -> role -> permission level.
WORKSPACE_PERMISSIONS: dict[str, dict[str, str]] = {
    "pipeline": {ADMINS: "CAN_MANAGE", ENGINEERS: "CAN_MANAGE", ANALYSTS: "CAN_VIEW", PRODUCERS: "CAN_RUN"},
    "producer_job": {ADMINS: "CAN_MANAGE", ENGINEERS: "CAN_MANAGE_RUN", ANALYSTS: "CAN_VIEW"},
    "warehouse": {ADMINS: "CAN_MANAGE", ENGINEERS: "CAN_USE", ANALYSTS: "CAN_USE"},
}

# Workspace access of each role (account -> workspace assignment).
WORKSPACE_ACCESS: dict[str, str] = {ADMINS: "ADMIN", ENGINEERS: "USER", ANALYSTS: "USER", PRODUCERS: "USER"}

SCHEMAS = ("bronze", "silver", "gold")

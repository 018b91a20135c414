"""The Unity Catalog access matrix: which group holds which privilege on what.

One definition for every reader: ``infra`` turns it into ``databricks_grants`` and
``databricks_permissions``, the README documents it (a test compares), and ``ops verify``
checks a deployed environment against it (no more, no less), so the two cannot drift.
Pure data and string helpers only, no third-party imports: importing it must stay free
for both sides.

Groups are named by role (the deployed display names come from the stack output
``groups``, keyed by these roles). Securables are named relative to the environment's
catalog (``schema`` ``bronze``, ``volume`` ``bronze.landing``); the landing external
location is named by whoever creates it, so it is a logical key here and the caller
resolves it.
Privilege and securable-type spellings are the Unity Catalog REST ones
(``USE_CATALOG``, ``external_location``).
"""

from __future__ import annotations

from dataclasses import dataclass

# Group roles, also the keys of the stack output ``groups`` (role -> display name).
PLATFORM_ADMINS = "platform-admins"
DATA_ENGINEERS = "data-engineers"
DATA_ANALYSTS = "data-analysts"
PRODUCERS = "producers"
# The pipeline's run-as service principal: exactly what the pipeline reads and writes.
PIPELINES = "pipelines"
ROLES = (PLATFORM_ADMINS, DATA_ENGINEERS, DATA_ANALYSTS, PRODUCERS, PIPELINES)

SCHEMAS = ("bronze", "silver", "gold")
LANDING_SCHEMA = "bronze"
LANDING_VOLUME = "landing"
# Logical key of the external location over the landing container.
LANDING_LOCATION = "landing"

CATALOG = "catalog"
SCHEMA = "schema"
VOLUME = "volume"
EXTERNAL_LOCATION = "external_location"


@dataclass(frozen=True)
class Securable:
    """A Unity Catalog object; ``name`` is relative to the catalog ("" is the catalog).

    For an external location ``name`` is the logical key (``LANDING_LOCATION``).
    """

    type: str
    name: str

    def full_name(self, catalog: str, external_locations: dict[str, str] | None = None) -> str:
        """The UC full name; external locations are looked up by logical key."""
        if self.type == EXTERNAL_LOCATION:
            if not external_locations or self.name not in external_locations:
                raise KeyError(f"no name given for external location {self.name!r}")
            return external_locations[self.name]
        return f"{catalog}.{self.name}" if self.name else catalog


@dataclass(frozen=True)
class Grant:
    securable: Securable
    role: str
    privileges: frozenset[str]


def _grant(securable: Securable, role: str, *privileges: str) -> Grant:
    return Grant(securable, role, frozenset(privileges))


THE_CATALOG = Securable(CATALOG, "")
LANDING_VOLUME_SECURABLE = Securable(VOLUME, f"{LANDING_SCHEMA}.{LANDING_VOLUME}")
LANDING_LOCATION_SECURABLE = Securable(EXTERNAL_LOCATION, LANDING_LOCATION)

ENGINEER_SCHEMA_PRIVILEGES = (
    "USE_SCHEMA",
    "CREATE_TABLE",
    "CREATE_MATERIALIZED_VIEW",
    "MODIFY",
    "SELECT",
    "READ_VOLUME",
)
# The pipeline creates and refreshes its streaming tables and materialized views in every
# layer and reads the landing volume (granted on the volume only, not the whole schema).
PIPELINE_SCHEMA_PRIVILEGES = ("USE_SCHEMA", "CREATE_TABLE", "CREATE_MATERIALIZED_VIEW", "MODIFY", "SELECT")

# Direct grants. Anything a group holds on a securable that is neither listed here
# nor inherited from a listed grant on a parent is a violation, and so is a gap.
GRANTS: tuple[Grant, ...] = (
    _grant(THE_CATALOG, PLATFORM_ADMINS, "ALL_PRIVILEGES"),
    _grant(THE_CATALOG, DATA_ENGINEERS, "USE_CATALOG"),
    _grant(THE_CATALOG, DATA_ANALYSTS, "USE_CATALOG"),
    _grant(THE_CATALOG, PRODUCERS, "USE_CATALOG"),
    *(_grant(Securable(SCHEMA, schema), DATA_ENGINEERS, *ENGINEER_SCHEMA_PRIVILEGES) for schema in SCHEMAS),
    _grant(Securable(SCHEMA, "gold"), DATA_ANALYSTS, "USE_SCHEMA", "SELECT"),
    _grant(Securable(SCHEMA, LANDING_SCHEMA), PRODUCERS, "USE_SCHEMA"),
    _grant(LANDING_VOLUME_SECURABLE, PRODUCERS, "READ_VOLUME", "WRITE_VOLUME"),
    _grant(THE_CATALOG, PIPELINES, "USE_CATALOG"),
    *(_grant(Securable(SCHEMA, schema), PIPELINES, *PIPELINE_SCHEMA_PRIVILEGES) for schema in SCHEMAS),
    _grant(LANDING_VOLUME_SECURABLE, PIPELINES, "READ_VOLUME"),
    _grant(LANDING_LOCATION_SECURABLE, DATA_ENGINEERS, "READ_FILES"),
)


# Workspace object permissions: object -> role -> permission level.
WORKSPACE_PERMISSIONS: dict[str, dict[str, str]] = {
    "pipeline": {
        PLATFORM_ADMINS: "CAN_MANAGE",
        DATA_ENGINEERS: "CAN_MANAGE",
        DATA_ANALYSTS: "CAN_VIEW",
        PRODUCERS: "CAN_RUN",
    },
    "producer_job": {PLATFORM_ADMINS: "CAN_MANAGE", DATA_ENGINEERS: "CAN_MANAGE_RUN", DATA_ANALYSTS: "CAN_VIEW"},
    "warehouse": {PLATFORM_ADMINS: "CAN_MANAGE", DATA_ENGINEERS: "CAN_USE", DATA_ANALYSTS: "CAN_USE"},
    # The uploaded code: only the deployer (its creator) and admins write it; the pipeline
    # and the producer job read their sources, engineers read what runs.
    "code_folder": {
        PLATFORM_ADMINS: "CAN_MANAGE",
        DATA_ENGINEERS: "CAN_READ",
        PRODUCERS: "CAN_READ",
        PIPELINES: "CAN_READ",
    },
}

# Secret scope ACLs (the Key Vault-backed scope of the pseudonymisation key): role -> level.
# People never read the key; workspace admins manage the scope implicitly.
SECRET_SCOPE_PERMISSIONS: dict[str, str] = {PIPELINES: "READ"}

# Workspace access of each role (account group -> workspace assignment).
WORKSPACE_ACCESS: dict[str, str] = {
    PLATFORM_ADMINS: "ADMIN",
    DATA_ENGINEERS: "USER",
    DATA_ANALYSTS: "USER",
    PRODUCERS: "USER",
    PIPELINES: "USER",
}


# Azure role assignments of the workload identities, least privilege: who holds which
# role on what. infra assigns these; policy CKV_CLK_43 fails any other role of a workload
# (Entra groups of people are outside this list: PIM). Principals and scopes are kinds.
PRODUCER_IDENTITY, ACCESS_CONNECTOR = "producer-identity", "access-connector"
DATABRICKS_APP, DEPLOYER = "azure-databricks-app", "deployer"
LANDING_CONTAINER, STORAGE_ACCOUNT = "landing-container", "storage-account"
RESOURCE_GROUP, KEY_VAULT = "resource-group", "key-vault"


@dataclass(frozen=True)
class AzureRole:
    principal: str
    role: str
    scope: str


AZURE_ROLES: tuple[AzureRole, ...] = (
    AzureRole(PRODUCER_IDENTITY, "Storage Blob Data Contributor", LANDING_CONTAINER),
    # Unity Catalog's access connector; the queue and Event Grid roles let Databricks set
    # up file events (file-arrival triggers, Auto Loader notifications).
    AzureRole(ACCESS_CONNECTOR, "Storage Blob Data Contributor", STORAGE_ACCOUNT),
    AzureRole(ACCESS_CONNECTOR, "Storage Queue Data Contributor", STORAGE_ACCOUNT),
    AzureRole(ACCESS_CONNECTOR, "EventGrid EventSubscription Contributor", RESOURCE_GROUP),
    # The AzureDatabricks application reads the key for the Key Vault-backed secret scope;
    # the deployer writes it.
    AzureRole(DATABRICKS_APP, "Key Vault Secrets User", KEY_VAULT),
    AzureRole(DEPLOYER, "Key Vault Secrets Officer", KEY_VAULT),
)


def azure_roles(principal: str, scope: str) -> tuple[str, ...]:
    """The roles ``principal`` holds on ``scope`` (kinds above), in list order."""
    return tuple(r.role for r in AZURE_ROLES if r.principal == principal and r.scope == scope)


def securables() -> tuple[Securable, ...]:
    """Every securable the matrix speaks about, parents first."""
    found = [THE_CATALOG, *(Securable(SCHEMA, s) for s in SCHEMAS)]
    for grant in GRANTS:
        if grant.securable not in found:
            found.append(grant.securable)
    return tuple(found)


def privileges(securable: Securable, role: str) -> frozenset[str]:
    """What ``role`` is granted directly on ``securable`` (empty when nothing)."""
    held: set[str] = set()
    for grant in GRANTS:
        if grant.securable == securable and grant.role == role:
            held |= grant.privileges
    return frozenset(held)


__all__ = [
    "ACCESS_CONNECTOR",
    "AZURE_ROLES",
    "AzureRole",
    "CATALOG",
    "DATABRICKS_APP",
    "DEPLOYER",
    "KEY_VAULT",
    "LANDING_CONTAINER",
    "PRODUCER_IDENTITY",
    "RESOURCE_GROUP",
    "STORAGE_ACCOUNT",
    "azure_roles",
    "DATA_ANALYSTS",
    "DATA_ENGINEERS",
    "EXTERNAL_LOCATION",
    "GRANTS",
    "Grant",
    "LANDING_LOCATION",
    "LANDING_LOCATION_SECURABLE",
    "LANDING_SCHEMA",
    "LANDING_VOLUME",
    "LANDING_VOLUME_SECURABLE",
    "PIPELINES",
    "PLATFORM_ADMINS",
    "PRODUCERS",
    "ROLES",
    "SCHEMA",
    "SCHEMAS",
    "SECRET_SCOPE_PERMISSIONS",
    "Securable",
    "THE_CATALOG",
    "VOLUME",
    "WORKSPACE_ACCESS",
    "WORKSPACE_PERMISSIONS",
    "privileges",
    "securables",
]

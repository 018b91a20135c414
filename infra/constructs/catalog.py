"""Unity Catalog: credential, external locations, the environment's catalog, its
schemas and landing volume, and the grants of the access matrix (contract/rbac.py)."""

from __future__ import annotations

from cdktf import ITerraformDependable, Token
from cdktf_cdktf_provider_databricks.catalog import Catalog
from cdktf_cdktf_provider_databricks.external_location import ExternalLocation
from cdktf_cdktf_provider_databricks.grants import Grants, GrantsGrant
from cdktf_cdktf_provider_databricks.metastore_assignment import MetastoreAssignment
from cdktf_cdktf_provider_databricks.schema import Schema
from cdktf_cdktf_provider_databricks.storage_credential import (
    StorageCredential,
    StorageCredentialAzureManagedIdentity,
)
from cdktf_cdktf_provider_databricks.volume import Volume
from constructs import Construct

from contract import rbac
from infra.constructs.base import Context
from infra.constructs.storage import CATALOG, LANDING, Lake

LANDING_VOLUME = rbac.LANDING_VOLUME
LANDING_SCHEMA = rbac.LANDING_SCHEMA
# Isolation mode of storage credentials and external locations (catalogs say "ISOLATED").
ISOLATED = "ISOLATION_MODE_ISOLATED"


def assign_metastore(scope: Construct, id_: str, *, ctx: Context, workspace_id: str) -> list[MetastoreAssignment]:
    """The configured metastore's assignment to the workspace (none when the region's
    metastore is assigned automatically). Identity federation and every Unity Catalog
    object need it, so workspace assignments and grants wait for it."""
    metastore_id = ctx.env.databricks.metastore_id
    if not metastore_id:
        return []
    return [MetastoreAssignment(scope, id_, metastore_id=metastore_id, workspace_id=Token.as_number(workspace_id))]


class UnityCatalog(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        ctx: Context,
        lake: Lake,
        access_connector_id: str,
        group_names: dict[str, str],
        ready: list[ITerraformDependable],
        lake_access_ready: list[ITerraformDependable],
    ) -> None:
        super().__init__(scope, id_)
        names = ctx.names
        force_destroy = ctx.env.protection.force_destroy_data
        # Unity Catalog validates the credential and each location against the lake on
        # create: the containers and the connector's (propagated) roles must be there first.
        lake_ready = [*lake_access_ready, lake.landing, lake.catalog]
        # ISOLATED: usable from this environment's workspace only. The provider binds the
        # workspace it creates them from (1.99.0: bindings.AddCurrentWorkspaceBindings), so
        # no databricks_workspace_binding is needed for it.
        self.credential = StorageCredential(
            self,
            "credential",
            name=names.storage_credential,
            azure_managed_identity=StorageCredentialAzureManagedIdentity(access_connector_id=access_connector_id),
            comment=f"Access connector of the clickstream {ctx.env.name} lake",
            isolation_mode=ISOLATED,
            force_destroy=force_destroy,
            depends_on=[*ready, *lake_ready],
        )
        self.locations = {
            container: ExternalLocation(
                self,
                f"location_{container}",
                name=names.external_location(container),
                url=lake.abfss_url(container),
                credential_name=self.credential.name,
                isolation_mode=ISOLATED,
                force_destroy=force_destroy,
                comment=f"{container} container of the clickstream {ctx.env.name} lake",
                depends_on=lake_ready,
            )
            for container in (LANDING, CATALOG)
        }
        self.catalog = Catalog(
            self,
            "catalog",
            name=names.catalog,
            storage_root=lake.abfss_url(CATALOG),
            isolation_mode="ISOLATED",
            force_destroy=force_destroy,
            comment=f"Clickstream data of {ctx.env.name}",
            depends_on=[self.locations[CATALOG], lake.catalog],
        )
        self.schemas = {
            name: Schema(
                self,
                f"schema_{name}",
                catalog_name=self.catalog.name,
                name=name,
                force_destroy=force_destroy,
                comment=f"{name.capitalize()} layer",
            )
            for name in rbac.SCHEMAS
        }
        self.landing_volume = Volume(
            self,
            "landing_volume",
            catalog_name=self.catalog.name,
            schema_name=self.schemas[LANDING_SCHEMA].name,
            name=LANDING_VOLUME,
            volume_type="EXTERNAL",
            storage_location=lake.abfss_url(LANDING),
            comment="Raw clickstream files written by the producer",
            depends_on=[self.locations[LANDING], lake.landing],
        )
        self.landing_volume_path = f"/Volumes/{names.catalog}/{LANDING_SCHEMA}/{LANDING_VOLUME}"
        self._grant_matrix(group_names, depends_on=ready)

    def _grant_matrix(self, group_names: dict[str, str], depends_on: list[ITerraformDependable]) -> None:
        """One databricks_grants per securable that the matrix grants anything on."""
        targets = {
            rbac.THE_CATALOG: {"catalog": self.catalog.name},
            **{rbac.Securable(rbac.SCHEMA, n): {"schema": s.id} for n, s in self.schemas.items()},
            rbac.LANDING_VOLUME_SECURABLE: {"volume": self.landing_volume.id},
            rbac.LANDING_LOCATION_SECURABLE: {"external_location": self.locations[LANDING].id},
        }
        for securable in rbac.securables():
            grants = [
                GrantsGrant(principal=group_names[role], privileges=sorted(privileges))
                for role in sorted(rbac.ROLES)
                if (privileges := rbac.privileges(securable, role))
            ]
            if grants:
                slug = f"{securable.type}_{securable.name}".replace(".", "_").rstrip("_")
                Grants(self, f"grants_{slug}", **targets[securable], grant=grants, depends_on=depends_on)

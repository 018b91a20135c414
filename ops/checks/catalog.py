"""Check 2: catalog, schemas, volume, external locations exist; grants match the matrix."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from databricks.sdk import WorkspaceClient
from databricks.sdk.errors import NotFound, PermissionDenied
from databricks.sdk.service.catalog import EffectivePrivilegeAssignment, ExternalLocationInfo, VolumeType

from contract import rbac
from ops.checks.context import Check, Context
from ops.errors import describe
from ops.grants import Target, grant_problems
from ops.report import CheckFailed, Outcome

T = TypeVar("T")


def _fetch(problems: list[str], what: str, call: Callable[[], T]) -> T | None:
    try:
        return call()
    except NotFound:
        problems.append(f"{what} not found")
    except PermissionDenied as err:
        problems.append(f"{what}: {describe(err)[0]}")
    return None


def _under(prefix: str, path: str) -> bool:
    return (path.rstrip("/") + "/").startswith(prefix.rstrip("/") + "/")


def covering_location(locations: list[ExternalLocationInfo], path: str) -> ExternalLocationInfo | None:
    """The most specific external location whose URL contains ``path``."""
    matches = [loc for loc in locations if loc.url and _under(loc.url, path)]
    return max(matches, key=lambda loc: len(loc.url), default=None)


def effective(w: WorkspaceClient, securable_type: str, full_name: str) -> Iterator[EffectivePrivilegeAssignment]:
    token = None
    while True:
        page = w.grants.get_effective(securable_type, full_name, page_token=token)
        yield from page.privilege_assignments or []
        token = page.next_page_token
        if not token:
            return


def targets(catalog: str, groups: dict[str, str], locations: dict[str, str]) -> list[Target]:
    """The matrix resolved to this environment's names (skips unresolved locations)."""
    resolvable = [s for s in rbac.securables() if s.type != rbac.EXTERNAL_LOCATION or s.name in locations]
    covered = frozenset(s.full_name(catalog, locations) for s in resolvable)
    return [
        Target(
            s.type,
            s.full_name(catalog, locations),
            {groups[role]: rbac.privileges(s, role) for role in rbac.ROLES},
            covered,
        )
        for s in resolvable
    ]


def run(ctx: Context) -> Outcome:
    w, out = ctx.w, ctx.outputs
    catalog = out.catalog
    problems: list[str] = []
    info = _fetch(problems, f"catalog {catalog}", lambda: w.catalogs.get(catalog))
    for schema in rbac.SCHEMAS:
        _fetch(problems, f"schema {catalog}.{schema}", lambda schema=schema: w.schemas.get(f"{catalog}.{schema}"))
    volume_name = rbac.LANDING_VOLUME_SECURABLE.full_name(catalog)
    volume = _fetch(problems, f"volume {volume_name}", lambda: w.volumes.read(volume_name))
    if volume and volume.volume_type != VolumeType.EXTERNAL:
        problems.append(f"volume {volume_name} is {volume.volume_type}, expected EXTERNAL")
    if volume and volume.storage_location and not _under(out.landing_path, volume.storage_location):
        problems.append(f"volume {volume_name} stores at {volume.storage_location}, outside {out.landing_path}")

    locations = _fetch(problems, "external locations", lambda: list(w.external_locations.list())) or []
    landing = covering_location(locations, out.landing_path)
    if landing is None:
        problems.append(f"no external location covers the landing path {out.landing_path}")
    if info and info.storage_root and covering_location(locations, info.storage_root) is None:
        problems.append(f"no external location covers the catalog storage root {info.storage_root}")

    resolved = {rbac.LANDING_LOCATION: landing.name} if landing else {}
    checked = targets(catalog, out.groups, resolved)
    for target in checked:
        assignments = _fetch(
            problems,
            f"effective grants of {target.type} {target.full_name}",
            lambda target=target: list(effective(w, target.type, target.full_name)),
        )
        if assignments is not None:
            problems += grant_problems(target, assignments)

    data = {"securables": [t.full_name for t in checked], "landing_location": resolved.get(rbac.LANDING_LOCATION)}
    if problems:
        raise CheckFailed(f"{len(problems)} problem(s) with Unity Catalog objects or grants", problems, data)
    return Outcome(
        f"{catalog}: {len(rbac.SCHEMAS)} schemas, volume, external locations; "
        f"grants of {len(rbac.ROLES)} groups on {len(checked)} securables match the matrix",
        data=data,
    )


CHECK = Check("catalog", "Unity Catalog objects and grants", run)

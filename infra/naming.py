"""Azure and Databricks names for one environment, always valid and deterministic.

Globally unique names (storage account, key vault) end in a suffix derived from the
project, environment and region by hashing: the same inputs give the same name on every
synth, different environments get different names, nothing is random.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

PROJECT = "clickstream"
SHORT_PROJECT = "clk"
SUFFIX_LENGTH = 6


def unique_suffix(*parts: str, length: int = SUFFIX_LENGTH) -> str:
    """Lowercase base-36 digest of ``parts``: stable across runs and machines."""
    digest = int.from_bytes(hashlib.sha256("/".join(parts).encode()).digest(), "big")
    alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = []
    for _ in range(length):
        digest, rest = divmod(digest, 36)
        out.append(alphabet[rest])
    return "".join(out)


def _alnum(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


# A role of a group name: lowercase words joined by single hyphens (platform-admins).
ROLE_PATTERN = re.compile(r"[a-z][a-z-]*[a-z]")


def lock(target: str) -> str:
    """The CanNotDelete lock on ``target`` (lake, vault, tfstate...): the same in every stack."""
    return f"protect-{target.replace('_', '-')}"


@dataclass(frozen=True)
class EnvironmentNames:
    """The names of environment ``env`` that do not depend on its region: its Entra and
    Databricks principals and its Databricks objects. Policies read a synthesized stack's
    names back with it (``role_of_group``, ``external_location_key``), knowing only the
    stack's environment."""

    env: str

    def _scoped(self, *parts: str) -> str:
        """``clickstream-<env>[-part...]``: the stem of every Databricks and Entra name."""
        return "-".join((PROJECT, self.env, *parts))

    # Entra ID / Databricks principals ---------------------------------------------
    def group(self, role: str) -> str:
        return self._scoped(role)

    def role_of_group(self, name: str) -> str | None:
        """The role ``name`` is the group of (the inverse of ``group``), None when it is not
        a name of this environment's. The role may be one the access matrix does not know."""
        prefix = self._scoped("")
        return name.removeprefix(prefix) if name.startswith(prefix) else None

    def is_group(self, name: object) -> bool:
        """Whether ``name`` is, literally, a group name of this environment (clickstream-<env>-<role>)."""
        role = self.role_of_group(name) if isinstance(name, str) else None
        return role is not None and ROLE_PATTERN.fullmatch(role) is not None

    def service_principal(self, workload: str) -> str:
        return self._scoped(workload)

    @property
    def network_connectivity_config(self) -> str:  # the serverless compute's NCC (account level)
        return f"ncc-{PROJECT}-{self.env}"

    # Unity Catalog and workspace objects ------------------------------------------
    @property
    def catalog(self) -> str:  # UC identifiers: letters, digits, underscores
        return f"{PROJECT}_{self.env.replace('-', '_')}"

    @property
    def storage_credential(self) -> str:
        return self._scoped("connector")

    def external_location(self, container: str) -> str:
        return self._scoped(container)

    def external_location_key(self, name: str) -> str:
        """The container an external location is named after (the inverse of ``external_location``)."""
        return name.removeprefix(self._scoped(""))

    @property
    def secret_scope(self) -> str:
        return self._scoped()

    @property
    def ip_access_list(self) -> str:
        return self._scoped("allowed")

    @property
    def code_folder(self) -> str:
        """Workspace folder of the uploaded code: not under /Shared, where every user can write."""
        return f"/Deployments/{PROJECT}/{self.env}"

    @property
    def code_root(self) -> str:  # the same folder as a file-system path
        return f"/Workspace{self.code_folder}"

    @property
    def pipeline(self) -> str:
        return self._scoped()

    @property
    def producer_job(self) -> str:
        return self._scoped("producer")

    @property
    def alerts_job(self) -> str:
        return self._scoped("dq-alerts")

    @property
    def alert_destination(self) -> str:  # the e-mail notification destination of the alerts
        return f"{self.alerts_job}-owners"

    def alert(self, key: str) -> str:  # a data-quality alert and its query
        return f"{self.alerts_job}: {key}"

    @property
    def masks_job(self) -> str:
        return self._scoped("masks")

    def mask_statement(self, function: str) -> str:  # the query holding a mask function's CREATE
        return f"{self.masks_job}: {function}"

    @property
    def warehouse(self) -> str:
        return self._scoped("bi")


@dataclass(frozen=True)
class Names(EnvironmentNames):
    """Every name the stack of environment ``env`` in region ``location`` gives to a resource."""

    location: str

    @property
    def _suffix(self) -> str:
        return unique_suffix(PROJECT, self.env, self.location)

    # Azure resource names ---------------------------------------------------------
    @property
    def resource_group(self) -> str:  # 1-90: letters, digits, - _ . ( )
        return f"rg-{PROJECT}-{self.env}"

    @property
    def managed_resource_group(self) -> str:
        return f"rg-{PROJECT}-{self.env}-databricks-managed"

    @property
    def budget(self) -> str:
        return f"budget-{self.resource_group}"

    @property
    def storage_account(self) -> str:  # 3-24 lowercase letters and digits, globally unique
        stem = f"st{SHORT_PROJECT}{_alnum(self.env)}"
        return stem[: 24 - SUFFIX_LENGTH] + self._suffix

    def expiry_rule(self, container: str) -> str:  # the lifecycle rule of a container, in the account's policy
        return f"{container}-expiry"

    @property
    def key_vault(self) -> str:  # 3-24 letters, digits, single hyphens, globally unique
        stem = f"kv-{SHORT_PROJECT}-{_alnum(self.env)}"[: 24 - SUFFIX_LENGTH - 1]
        return f"{stem.rstrip('-')}-{self._suffix}"

    @property
    def log_analytics(self) -> str:  # 4-63
        return f"log-{PROJECT}-{self.env}"

    @property
    def virtual_network(self) -> str:
        return f"vnet-{PROJECT}-{self.env}"

    @property
    def dns_zone_link(self) -> str:  # every private DNS zone's link to the virtual network
        return f"{self.virtual_network}-link"

    def subnet(self, role: str) -> str:
        return f"snet-{PROJECT}-{self.env}-{role}"

    def network_security_group(self, role: str) -> str:
        return f"nsg-{PROJECT}-{self.env}-{role}"

    def private_endpoint(self, target: str) -> str:
        return f"pe-{PROJECT}-{self.env}-{target}"

    @property
    def workspace(self) -> str:  # 3-64
        return f"dbw-{PROJECT}-{self.env}"

    @property
    def access_connector(self) -> str:
        return f"dbac-{PROJECT}-{self.env}"

    @property
    def producer_identity(self) -> str:
        return f"id-{PROJECT}-{self.env}-producer"


# Bootstrap: the state backends, one storage account per subscription ------------------
STATE_RESOURCE_GROUP = f"rg-{PROJECT}-tfstate"


def state_storage_account(subscription: str) -> str:
    """The state account in subscription ``subscription`` (its name in infra/platform.yaml)."""
    stem = f"st{SHORT_PROJECT}tfstate{_alnum(subscription)}"
    return stem[: 24 - SUFFIX_LENGTH] + unique_suffix(PROJECT, "tfstate", subscription)

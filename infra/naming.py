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


@dataclass(frozen=True)
class Names:
    """Every name the stack of environment ``env`` gives to a resource."""

    env: str
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
    def storage_account(self) -> str:  # 3-24 lowercase letters and digits, globally unique
        stem = f"st{SHORT_PROJECT}{_alnum(self.env)}"
        return stem[: 24 - SUFFIX_LENGTH] + self._suffix

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

    # Entra ID / Databricks principals ---------------------------------------------
    def group(self, role: str) -> str:
        return f"{PROJECT}-{self.env}-{role}"

    # Unity Catalog and workspace objects ------------------------------------------
    @property
    def catalog(self) -> str:  # UC identifiers: letters, digits, underscores
        return f"{PROJECT}_{self.env.replace('-', '_')}"

    @property
    def storage_credential(self) -> str:
        return f"{PROJECT}-{self.env}-connector"

    def external_location(self, container: str) -> str:
        return f"{PROJECT}-{self.env}-{container}"

    @property
    def secret_scope(self) -> str:
        return f"{PROJECT}-{self.env}"

    @property
    def ip_access_list(self) -> str:
        return f"{PROJECT}-{self.env}-allowed"

    @property
    def code_folder(self) -> str:
        """Workspace folder of the uploaded code: not under /Shared, where every user can write."""
        return f"/Deployments/{PROJECT}/{self.env}"

    @property
    def code_root(self) -> str:  # the same folder as a file-system path
        return f"/Workspace{self.code_folder}"

    def service_principal(self, workload: str) -> str:
        return f"{PROJECT}-{self.env}-{workload}"

    @property
    def pipeline(self) -> str:
        return f"{PROJECT}-{self.env}"

    @property
    def producer_job(self) -> str:
        return f"{PROJECT}-{self.env}-producer"

    @property
    def alerts_job(self) -> str:
        return f"{PROJECT}-{self.env}-dq-alerts"

    @property
    def masks_job(self) -> str:
        return f"{PROJECT}-{self.env}-masks"

    def alert(self, key: str) -> str:  # a data-quality alert and its query
        return f"{self.alerts_job}: {key}"

    @property
    def warehouse(self) -> str:
        return f"{PROJECT}-{self.env}-bi"


# Bootstrap: the state backends, one storage account per subscription ------------------
STATE_RESOURCE_GROUP = f"rg-{PROJECT}-tfstate"


def state_storage_account(subscription: str) -> str:
    """The state account in subscription ``subscription`` (its name in infra/platform.yaml)."""
    stem = f"st{SHORT_PROJECT}tfstate{_alnum(subscription)}"
    return stem[: 24 - SUFFIX_LENGTH] + unique_suffix(PROJECT, "tfstate", subscription)

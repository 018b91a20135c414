"""The workspace's IP access list: the front end and REST API of a workspace with public
access answer only the allowed ranges that the storage and Key Vault firewalls let through."""

from __future__ import annotations

from cdktf_cdktf_provider_databricks.ip_access_list import IpAccessList
from cdktf_cdktf_provider_databricks.workspace_conf import WorkspaceConf
from constructs import Construct


class WorkspaceIpAccess(Construct):
    def __init__(self, scope: Construct, id_: str, *, label: str, ranges: tuple[str, ...]) -> None:
        super().__init__(scope, id_)
        # Databricks refuses an allow list that leaves out the caller's own address, so a
        # deploy from outside the ranges fails here instead of locking itself out.
        conf = WorkspaceConf(self, "conf", custom_config={"enableIpAccessLists": "true"})
        self.allow = IpAccessList(
            self, "allow", label=label, list_type="ALLOW", ip_addresses=list(ranges), depends_on=[conf]
        )

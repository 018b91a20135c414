"""Uploads the pipeline, producer and contract sources as workspace files.

They live in a folder of their own (``Names.code_folder``), not under ``/Shared``, where
every workspace user can write and so change what the pipeline and the job run: the
deploying identity creates the folder (and owns it), admins manage it, and the matrix's
``code_folder`` levels let the run-as principals and engineers read it.

Each file is its own ``databricks_workspace_file`` whose ``source`` is a path relative
to the stack's directory (so the plan does not depend on where the repo is checked
out) and whose ``md5`` is the file's digest computed at synth: a change to a source
file changes exactly that resource in the plan, and nothing else does.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cdktf import ITerraformDependable
from cdktf_cdktf_provider_databricks.directory import Directory
from cdktf_cdktf_provider_databricks.permissions import Permissions
from cdktf_cdktf_provider_databricks.workspace_file import WorkspaceFile
from constructs import Construct

from contract import rbac
from infra.constructs.permissions import access_control

REPO_ROOT = Path(__file__).resolve().parents[2]
# Where the synthesized stack lives relative to the repo root: cdktf.out/stacks/<env>.
STACK_TO_REPO = "${path.module}/../../.."
UPLOADED_PACKAGES = ("contract", "pipelines", "producer")
UPLOADED_SUFFIXES = (".py",)
# The workspace API answers paths without this prefix, and the provider (1.99.0) stores that
# answer in `path`, which forces replacement and has no diff suppression: a prefixed path is
# replaced on every plan. Runtimes (jobs, pipelines) see the same file under /Workspace/...
WORKSPACE_FS_PREFIX = "/Workspace"


def workspace_object_path(path: str) -> str:
    """``path`` in the form the workspace API returns it (no /Workspace prefix)."""
    return path.removeprefix(WORKSPACE_FS_PREFIX) if path.startswith(WORKSPACE_FS_PREFIX + "/") else path


def source_files(root: Path = REPO_ROOT) -> list[Path]:
    """The files to upload, repo-relative, in a stable order."""
    files = [
        path.relative_to(root)
        for package in UPLOADED_PACKAGES
        for path in (root / package).rglob("*")
        if path.is_file() and path.suffix in UPLOADED_SUFFIXES and "__pycache__" not in path.parts
    ]
    return sorted(files)


class CodeUpload(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        code_folder: str,
        code_root: str,
        group_names: dict[str, str],
        depends_on: list[ITerraformDependable],
    ) -> None:
        super().__init__(scope, id_)
        self.code_root = code_root
        # The API reports a directory's path without the /Workspace prefix.
        self.folder = Directory(self, "folder", path=code_folder)
        self.permissions = Permissions(
            self,
            "permissions",
            directory_path=self.folder.path,
            access_control=access_control(rbac.WORKSPACE_PERMISSIONS["code_folder"], group_names),
            depends_on=depends_on,  # the groups must be in the workspace
        )
        self.files = [
            WorkspaceFile(
                self,
                "file_" + hashlib.sha1(str(relative).encode()).hexdigest()[:12],
                path=workspace_object_path(f"{code_root}/{relative.as_posix()}"),
                source=f"{STACK_TO_REPO}/{relative.as_posix()}",
                md5=hashlib.md5((REPO_ROOT / relative).read_bytes()).hexdigest(),
                # Into the folder with its permissions already set, never into a default one.
                depends_on=[self.permissions],
            )
            for relative in source_files()
        ]

    def path(self, relative: str) -> str:
        return f"{self.code_root}/{relative}"

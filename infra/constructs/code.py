"""Uploads the pipeline, producer and contract sources as workspace files.

Each file is its own ``databricks_workspace_file`` whose ``source`` is a path relative
to the stack's directory (so the plan does not depend on where the repo is checked
out) and whose ``md5`` is the file's digest computed at synth: a change to a source
file changes exactly that resource in the plan, and nothing else does.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cdktf_cdktf_provider_databricks.workspace_file import WorkspaceFile
from constructs import Construct

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
    def __init__(self, scope: Construct, id_: str, *, code_root: str) -> None:
        super().__init__(scope, id_)
        self.code_root = code_root
        self.files = [
            WorkspaceFile(
                self,
                "file_" + hashlib.sha1(str(relative).encode()).hexdigest()[:12],
                path=workspace_object_path(f"{code_root}/{relative.as_posix()}"),
                source=f"{STACK_TO_REPO}/{relative.as_posix()}",
                md5=hashlib.md5((REPO_ROOT / relative).read_bytes()).hexdigest(),
            )
            for relative in source_files()
        ]

    def path(self, relative: str) -> str:
        return f"{self.code_root}/{relative}"

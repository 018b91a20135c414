"""Local directory and Unity Catalog volume sinks (a volume is a FUSE mount on Databricks).

Atomicity: data goes to <root>/_tmp/ first, is flushed and fsynced, then renamed into
place, so a reader listing events/ never sees a partial file; the rename replaces a
file of the same name, so re-writing a path is idempotent."""

from __future__ import annotations

import os
from pathlib import Path

from producer.config import ConfigError
from producer.sinks.base import SinkError

TMP_DIR = "_tmp"


class LocalSink:
    kind = "local"

    def __init__(self, root: Path | str, option: str = "--root"):
        self.root = Path(root)
        self.location = str(self.root)
        self._option = option
        self._tmp = self.root / TMP_DIR

    def open(self) -> None:
        try:
            self._tmp.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"{self._option}: cannot create {self.root}: {exc.strerror}") from exc
        if not os.access(self.root, os.W_OK | os.X_OK) or not os.access(self._tmp, os.W_OK | os.X_OK):
            raise ConfigError(f"{self._option}: directory {self.root} is not writable")

    def write(self, path: str, payload: bytes) -> None:
        final = self.root / path
        tmp = self._tmp / f"{path.replace('/', '_')}.{os.getpid()}.tmp"
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as f:
                f.write(payload)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, final)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise SinkError(f"cannot write {final}: {exc.strerror or exc}") from exc


class VolumeSink(LocalSink):
    """A Unity Catalog volume, written through its /Volumes FUSE path. The volume itself
    is created by the infra (make deploy): it must exist, sub-folders are created."""

    kind = "volume"

    def __init__(self, volume_path: str, mount_root: Path | str = "/"):
        self.volume_root = Path(mount_root) / Path(*Path(volume_path).parts[1:5])
        super().__init__(Path(mount_root) / volume_path.lstrip("/"), option="--volume-path")
        self.location = volume_path

    def open(self) -> None:
        if not self.volume_root.is_dir():
            raise ConfigError(
                f"--volume-path: volume {self.volume_root} does not exist; run as a Databricks job in a "
                "workspace where the volume is deployed (make deploy), or use --sink local"
            )
        super().open()

"""One Spark Connect server for a pipeline's local updates.

``spark-pipelines run`` starts a Spark Connect server (a JVM, Delta loaded) for every update
and stops it at the end: 10-20 s of start-up each time. Inside ``ConnectServer`` the
updates of one process (demo, tests, bench) share one server instead; each update still
opens its own Spark Connect session. The server owns the pipeline's Derby metastore while
it runs, so only one server (or one standalone ``spark-pipelines``) per state directory.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

SERVER_CLASS = "org.apache.spark.sql.connect.service.SparkConnectServer"
START_TIMEOUT_S = 180.0


class ServerError(RuntimeError):
    """The server did not start; the message carries its log's tail."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


class ConnectServer:
    """``with ConnectServer(spark_home, env, cwd, log_path) as server: server.url``."""

    def __init__(self, spark_home: Path, env: dict[str, str], cwd: Path, log_path: Path) -> None:
        self.spark_home, self.env, self.cwd, self.log_path = spark_home, env, cwd, log_path
        self.port = _free_port()
        self.started_in = 0.0  # seconds from launch to accepting connections
        self.updates = 0  # updates run against it so far
        self._proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"sc://127.0.0.1:{self.port}"

    def __enter__(self) -> ConnectServer:
        began = time.monotonic()
        command = [
            str(self.spark_home / "bin" / "spark-submit"),
            *("--class", SERVER_CLASS, "--name", "clickstream-pipeline"),
            *("--conf", f"spark.connect.grpc.binding.port={self.port}"),
            "spark-internal",
        ]
        with self.log_path.open("w") as log:
            # Its own process group, so stopping it also stops what spark-submit started.
            self._proc = subprocess.Popen(
                command, env=self.env, cwd=self.cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        while not _accepts(self.port):
            if self._proc.poll() is not None or time.monotonic() - began > START_TIMEOUT_S:
                self.__exit__()
                tail = "".join(self.log_path.read_text().splitlines(keepends=True)[-30:])
                raise ServerError(f"the Spark Connect server did not start; log: {self.log_path}\n{tail}")
            time.sleep(0.2)
        self.started_in = time.monotonic() - began
        return self

    def kill(self) -> None:
        """SIGKILL the server and what it started, as a crash would: no shutdown hook runs."""
        if self._proc is not None:
            os.killpg(self._proc.pid, signal.SIGKILL)
            self._proc.wait()
            self._proc = None

    def __exit__(self, *exc: object) -> None:
        if self._proc is None:
            return
        self._proc.terminate()
        try:
            self._proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.kill()  # its whole process group
        self._proc = None

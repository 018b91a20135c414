"""Shared Spark for the pipeline's unit tests: one local classic session per test run."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def spark():
    from pipelines.runner import LocalPipeline

    # With the Delta jars (`make jars`, a prerequisite of `make test`) the same session
    # reads the end-to-end test's tables by path. Small inputs: interpreted, not compiled.
    session = LocalPipeline(codegen=False).spark_session("pipelines-tests")
    yield session
    session.stop()

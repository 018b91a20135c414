"""Clickstream event producer: realistic traffic with injected defects, written as
newline-delimited JSON to a local directory, Azure Blob Storage or a Unity Catalog volume.

Python API::

    from producer import ProducerConfig, run
    summary = run(ProducerConfig(events=100_000, seed=7, root=tmp_path))
"""

from producer.config import AzureSettings, ConfigError, DefectRates, ProducerConfig
from producer.generator import Batch, generate, run_id_for
from producer.runner import RunFailed, build_sink, run
from producer.summary import RunSummary

__all__ = [
    "AzureSettings",
    "Batch",
    "ConfigError",
    "DefectRates",
    "ProducerConfig",
    "RunFailed",
    "RunSummary",
    "build_sink",
    "generate",
    "run",
    "run_id_for",
]

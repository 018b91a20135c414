"""One run: generate, write each file through the sink, keep the summary honest."""

from __future__ import annotations

import time
from collections.abc import Callable

from producer.config import ProducerConfig
from producer.generator import generate, run_id_for
from producer.layout import data_path, summary_path
from producer.sinks import Sink, SinkError
from producer.summary import RunSummary


class RunFailed(Exception):
    """The run stopped early; ``summary`` says what was written before it did."""

    def __init__(self, summary: RunSummary):
        super().__init__(summary.error)
        self.summary = summary


def build_sink(config: ProducerConfig, credential=None, **transport) -> Sink:
    if config.sink == "azure":
        from producer.sinks.azure import AzureBlobSink  # the Azure SDK loads only when used

        return AzureBlobSink(config.azure, credential=credential, **transport)
    from producer.sinks.local import LocalSink, VolumeSink

    if config.sink == "volume":
        return VolumeSink(config.volume_path)
    return LocalSink(config.root)


class Pacer:
    """Holds a run to ``rate`` events per second of wall-clock time."""

    def __init__(self, rate: float | None):
        self.rate = rate
        self.t0 = time.monotonic()

    def __call__(self, done: int) -> None:
        if self.rate is not None:
            ahead = self.t0 + done / self.rate - time.monotonic()
            if ahead > 0:
                time.sleep(ahead)


def run(
    config: ProducerConfig, *, sink: Sink | None = None, progress: Callable[[int], None] | None = None
) -> RunSummary:
    """Produce ``config.events`` event lines (plus user changes) into the sink.

    Returns the summary, also written to ``_runs/<run_id>.json`` in the sink. Raises
    ConfigError for bad input and RunFailed (carrying the summary) if writing fails.
    """
    config.validate()
    start = config.resolved_start()
    run_id = run_id_for(config.seed, start)
    sink = sink or build_sink(config)
    sink.open()
    summary = RunSummary.begin(config, run_id, start, sink.kind, sink.location)
    pacer = Pacer(config.rate)

    def on_tick(done: int) -> None:
        pacer(done)
        if progress is not None:
            progress(done)

    # Tick often enough for slow paced runs to stay smooth.
    tick_every = 4096 if config.rate is None else max(1, min(4096, int(config.rate / 10)))
    batch = path = None
    try:
        for batch in generate(config, start, on_tick, tick_every=tick_every):
            path = data_path(batch.feed, batch.hour_ms, run_id, batch.seq)
            sink.write(path, batch.payload)
            summary.record(batch, path)
        batch = None
    except SinkError as exc:
        summary.fail("failed", str(exc), batch, path)
    except KeyboardInterrupt:
        summary.fail("interrupted", "interrupted by the user", batch, path)
        _write_summary(sink, summary)
        raise
    _write_summary(sink, summary)
    if summary.status != "completed":
        raise RunFailed(summary)
    return summary


def _write_summary(sink: Sink, summary: RunSummary) -> None:
    summary.finish()
    path = summary_path(summary.run_id)
    try:
        summary.summary_path = path
        sink.write(path, summary.to_json())
    except SinkError:
        summary.summary_path = None  # best effort: storage is failing; the CLI still prints it

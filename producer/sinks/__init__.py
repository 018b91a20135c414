"""Where landing files go. Every sink makes a file visible only when it is complete,
and writing the same path twice leaves one file (so retries never duplicate data)."""

from producer.sinks.base import Sink, SinkError

__all__ = ["Sink", "SinkError"]

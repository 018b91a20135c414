"""Where an update's wall time goes: phases, each flow's wait and run, CPU use over time.

The runner stamps every line of ``spark-pipelines`` output as it arrives (SDP's own
timestamps have whole seconds only) and samples the machine's CPU use meanwhile;
``Timeline.report()`` turns both into the table ``make bench-pipeline`` prints.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

# The CLI's own steps, in order: a phase lasts from its line to the next one.
PHASES = (
    ("session", "Creating Spark session"),
    ("graph", "Creating dataflow graph"),
    ("register", "Registering graph elements"),
    ("start run", "Starting run"),
    ("flows", " is QUEUED."),
    ("done", "Run is COMPLETED"),
)
_FLOW = re.compile(r"Flow (?:spark_catalog\.)?(\S+) (?:is|has) (QUEUED|PLANNING|STARTING|RUNNING|COMPLETED|FAILED)")
_SPARK = "▁▂▃▄▅▆▇█"


@dataclass
class Flow:
    name: str
    queued: float
    running: float | None = None
    ended: float | None = None
    state: str = "QUEUED"

    @property
    def wait_s(self) -> float:
        return (self.running or self.queued) - self.queued

    @property
    def run_s(self) -> float:
        return (self.ended or self.running or self.queued) - (self.running or self.queued)


@dataclass
class CpuSampler:
    """Busy share of all CPUs every ``interval`` seconds (Linux /proc/stat; nothing elsewhere)."""

    interval: float = 1.0
    samples: list[tuple[float, float]] = field(default_factory=list)  # (offset, busy 0..1)
    _stop: threading.Event = field(default_factory=threading.Event)
    _origin: float = 0.0

    def start(self, origin: float) -> None:
        self._origin = origin
        threading.Thread(target=self._sample, daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def _sample(self) -> None:
        before = _cpu_times()
        while before and not self._stop.wait(self.interval):
            now = _cpu_times()
            total, idle = now[0] - before[0], now[1] - before[1]
            if total > 0:
                self.samples.append((time.monotonic() - self._origin, 1 - idle / total))
            before = now

    def busy(self, start: float, end: float) -> float | None:
        inside = [b for t, b in self.samples if start < t <= end + self.interval]
        return sum(inside) / len(inside) if inside else None


def _cpu_times() -> tuple[int, int] | None:
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    return sum(fields), fields[3] + fields[4]  # idle + iowait


@dataclass
class Timeline:
    origin: float = field(default_factory=lambda: time.monotonic())
    marks: dict[str, float] = field(default_factory=dict)
    flows: dict[str, Flow] = field(default_factory=dict)
    cpu: CpuSampler = field(default_factory=CpuSampler)

    def __post_init__(self) -> None:
        self.cpu.start(self.origin)

    def record(self, line: str) -> None:
        now = time.monotonic() - self.origin
        for phase, marker in PHASES:
            if marker in line and phase not in self.marks:
                self.marks[phase] = now
        match = _FLOW.search(line)
        if match:
            self._flow_event(match[1], match[2], now)

    def _flow_event(self, name: str, state: str, now: float) -> None:
        flow = self.flows.setdefault(name, Flow(name, queued=now))
        flow.state = state
        if state == "RUNNING":
            flow.running = now
        elif state in ("COMPLETED", "FAILED"):
            flow.ended = now

    def finish(self) -> None:
        self.marks.setdefault("end", time.monotonic() - self.origin)
        self.cpu.stop()

    def phases(self) -> list[tuple[str, float]]:
        """(phase, seconds) in order; 'launch' is the time before the CLI's first step."""
        points = [("launch", 0.0), *[(p, self.marks[p]) for p, _ in PHASES if p in self.marks]]
        end = self.marks.get("end", points[-1][1])
        return [(name, (points[i + 1][1] if i + 1 < len(points) else end) - at) for i, (name, at) in enumerate(points)]

    def report(self) -> str:
        total = self.marks.get("end", 0.0)
        lines = ["  phases: " + ", ".join(f"{p} {s:.1f} s" for p, s in self.phases() if s >= 0.05)]
        lines.append(f"  {'flow':34} {'wait s':>7} {'run s':>7} {'cpu':>5}  state")
        for flow in sorted(self.flows.values(), key=lambda f: (f.running or f.queued, f.name)):
            busy = self.cpu.busy(flow.running or flow.queued, flow.ended or total)
            cpu = f"{busy:5.0%}" if busy is not None else "    -"
            lines.append(f"  {flow.name:34} {flow.wait_s:7.1f} {flow.run_s:7.1f} {cpu}  {flow.state.lower()}")
        if self.cpu.samples:
            mean = sum(b for _, b in self.cpu.samples) / len(self.cpu.samples)
            lines.append(f"  cpu (all cores, {self.cpu.interval:.0f} s samples, mean {mean:.0%}): {self.sparkline()}")
        return "\n".join(lines)

    def sparkline(self, width: int = 60) -> str:
        busy = [b for _, b in self.cpu.samples]
        step = max(1, -(-len(busy) // width))
        chunks = [busy[i : i + step] for i in range(0, len(busy), step)]
        return "".join(_SPARK[min(len(_SPARK) - 1, int(sum(c) / len(c) * len(_SPARK)))] for c in chunks)

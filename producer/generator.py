"""Turns a config into batches of newline-delimited JSON, one batch per landing file.

The loop below is the hot path (>100k events/s on one core): sessions hand back
pre-serialised fragments, an event is a single bytes join, ids are a run-scoped
UUIDv8 prefix plus a counter, and the next defect position is drawn in advance so a
clean event costs no extra random draw.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import orjson

from contract import EVENTS_FEED, SCHEMA_VERSION, USER_CHANGES_FEED
from producer.catalog import PLANS, Catalog, User, cumulative, pick
from producer.config import ProducerConfig
from producer.defects import STILL_VALID, DefectInjector
from producer.sessions import ENDED, PART_TYPE, Session, Shop
from producer.timefmt import IsoMillis, iso

HOUR_MS = 3_600_000
RING = 1024  # recent clean lines kept as sources of duplicates and replays (a power of two)
# Per session draw: a profile change (upsert) or an account deletion.
P_PROFILE_CHANGE, P_DELETE = 0.01, 0.002


@dataclass
class Batch:
    """One landing file: its feed, partition hour, sequence number and content."""

    feed: str
    hour_ms: int
    seq: int
    payload: bytes
    lines: int
    events_by_type: dict[str, int] = field(default_factory=dict)
    defects: dict[str, int] = field(default_factory=dict)
    user_changes_by_op: dict[str, int] = field(default_factory=dict)


def run_id_for(seed: int, start: datetime) -> str:
    """Readable and deterministic: the same seed and start name the same files."""
    return f"{start.astimezone(UTC):%Y%m%dT%H%M%S}{start.microsecond // 1000:03d}Z-s{seed}"


def _uuid8_prefix(run_id: str, namespace: str) -> bytes:
    """First 24 characters of a UUIDv8 (RFC 9562 custom layout); a 12-hex counter completes it."""
    h = hashlib.sha256(f"{namespace}:{run_id}".encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-8{h[12:15]}-{'89ab'[int(h[15], 16) % 4]}{h[16:19]}-".encode()


class UserChanges:
    """The user_changes CDC feed: an upsert when a user first shows up in a run (a
    profile sync), occasional profile changes, and account deletions."""

    def __init__(self, run_id: str, rnd, catalog: Catalog):
        self.rnd = rnd
        self.catalog = catalog
        self.prefix = _uuid8_prefix(run_id, "change")
        self.count = 0
        self.seen: set[str] = set()
        self.lines: list[bytes] = []
        self.by_op: Counter = Counter()

    def on_session(self, user: User, now_ms: int) -> None:
        rnd = self.rnd
        if user.deleted:  # a deleted user coming back has signed up again
            user.deleted = False
            self._emit(user, "upsert", now_ms)
        elif user.id not in self.seen:
            self._emit(user, "upsert", now_ms)
        r = rnd()
        if r < P_DELETE:
            self._emit(user, "delete", now_ms)
            user.deleted = True
        elif r < P_DELETE + P_PROFILE_CHANGE:
            self._mutate(user)
            self._emit(user, "upsert", now_ms)

    def _mutate(self, user: User) -> None:
        r = self.rnd()
        if r < 0.5:
            user.plan = PLANS[(PLANS.index(user.plan) + 1) % len(PLANS)]
        elif r < 0.8:
            user.n += 1000  # new email address
        else:
            user.geo = pick(self.catalog.geo_cum, self.rnd())
        user.refresh_fragment()

    def _emit(self, user: User, op: str, now_ms: int) -> None:
        self.seen.add(user.id)
        self.count += 1
        user_seq = user.changes
        user.changes += 1
        record = {
            "change_id": (self.prefix + b"%012x" % self.count).decode(),
            "user_id": user.id,
            "op": op,
            # Increases per user across runs too: derived from the change time.
            "sequence": now_ms * 1000 + user_seq % 1000,
            "changed_at": iso(now_ms),
            **({"email": None, "country": None, "plan": None} if op == "delete" else user.change_record()),
            "schema_version": SCHEMA_VERSION,
        }
        self.lines.append(orjson.dumps(record))
        self.by_op[op] += 1


def _next_gap(rnd, p: float) -> int:
    """Events until the next defect: geometric with success probability p."""
    if p <= 0:
        return 1 << 62
    if p >= 1:
        return 1
    return int(math.log(1.0 - rnd()) / math.log(1.0 - p)) + 1


class DefectPlan:
    """Where defects go: the gap to the next defective line is drawn in advance
    (geometric), so a clean line costs one decrement; the kind is drawn by weight."""

    def __init__(self, config: ProducerConfig, rnd):
        rates = config.defects.as_dict()
        self.rnd = rnd
        self.p = config.defects.total()
        self.kinds = [k for k, p in rates.items() if p > 0]
        self.cum = cumulative([rates[k] for k in self.kinds]) if self.kinds else []
        injector = DefectInjector(rnd)
        self.funcs = [getattr(injector, k) for k in self.kinds]
        self.ring: list[bytes] = [b""] * RING  # recent clean lines: sources of duplicates and replays
        self.clean = 0

    def gap(self) -> int:
        return _next_gap(self.rnd, self.p)

    def keep(self, line: bytes) -> None:
        self.ring[self.clean & (RING - 1)] = line
        self.clean += 1

    def apply(self, line: bytes, now_ms: int) -> tuple[bytes, str | None]:
        """The defective version of ``line`` and its kind (None: the line stays clean)."""
        idx = pick(self.cum, self.rnd())
        kind = self.kinds[idx]
        if self.clean == 0 and kind in ("duplicate", "replayed_id"):
            self.keep(line)  # nothing sent yet to repeat
            return line, None
        recent = self.ring[int(self.rnd() * min(self.clean, RING))]
        return self.funcs[idx](line, now_ms, recent), kind


class Traffic:
    """The site's traffic for one run: concurrent sessions drawn from the user pool."""

    def __init__(self, config: ProducerConfig, start: datetime):
        self.config = config
        self.run_id = run_id_for(config.seed, start)
        self.rnd = random.Random(f"traffic:{self.run_id}").random
        self.catalog = Catalog(config.seed, config.users)
        self.shop = Shop(self.catalog)
        self.changes = UserChanges(self.run_id, self.rnd, self.catalog)
        self.defects = DefectPlan(config, self.rnd)
        self.event_prefix = _uuid8_prefix(self.run_id, "event")
        self.session_prefix = _uuid8_prefix(self.run_id, "session")
        self.sessions_started = 0
        self.start_ms = int(start.timestamp() * 1000)
        # About 15 s between two events of one session.
        self.concurrency = max(20, min(20_000, int(config.timeline_rate() * 15)))
        self.sessions = [self.new_session(self.start_ms) for _ in range(self.concurrency)]

    def new_session(self, now_ms: int) -> Session:
        rnd, catalog = self.rnd, self.catalog
        self.sessions_started += 1
        user = catalog.users[int(rnd() * len(catalog.users))]
        self.changes.on_session(user, now_ms)
        device = user.device if rnd() < 0.8 else pick(catalog.device_cum, rnd())
        sid = self.session_prefix + b"%012x" % self.sessions_started
        return Session(self.shop, sid, user, catalog.device_fragments[device], rnd, now_ms)

    def batches(self, on_tick: Callable[[int], None] | None, tick_every: int) -> Iterator[Batch]:
        config = self.config
        rnd, sessions, concurrency, plan = self.rnd, self.sessions, self.concurrency, self.defects
        event_prefix, iso_ts, changes = self.event_prefix, IsoMillis(), self.changes
        ring, mask = plan.ring, RING - 1
        step_ms = 1000.0 / config.timeline_rate()
        flush_ms = int(config.flush_seconds * 1000) if config.rate is not None else 1 << 62
        total, epf = config.events, config.events_per_file
        until_defect = plan.gap()
        seq = {EVENTS_FEED: 0, USER_CHANGES_FEED: 0}
        i = 0
        t = float(self.start_ms)
        while i < total:
            # Open a file: its partition hour, and when it must be closed.
            now_ms = int(t)
            hour_ms = now_ms - now_ms % HOUR_MS
            roll_ms = min(hour_ms + HOUR_MS, now_ms + flush_ms)
            file_end = min(total, i + epf)
            next_tick = min(file_end, (i // tick_every + 1) * tick_every)
            buf: list[bytes] = []
            append = buf.append
            types = dict.fromkeys(PART_TYPE, 0)  # a plain dict: faster than a Counter here
            defects: Counter = Counter()
            while True:
                now_ms = int(t)
                if now_ms >= roll_ms:
                    break
                k = int(rnd() * concurrency)
                s = sessions[k]
                etype, props = s.step(rnd, now_ms)
                line = b"".join(
                    (
                        b'{"event_id":"',
                        event_prefix,
                        b"%012x" % i,
                        etype,
                        iso_ts(now_ms),
                        b'",',
                        s.head,
                        s.page_head,
                        s.referrer,
                        s.page_tail,
                        props,
                    )
                )
                if s.stage == ENDED:
                    sessions[k] = self.new_session(now_ms)
                until_defect -= 1
                if until_defect:
                    ring[plan.clean & mask] = line  # plan.keep(line), inlined: once per event
                    plan.clean += 1
                    types[etype] += 1
                else:
                    until_defect = plan.gap()
                    line, kind = plan.apply(line, now_ms)
                    if kind is not None:
                        defects[kind] += 1
                    if kind is None or kind in STILL_VALID:
                        types[etype] += 1
                append(line)
                i += 1
                t += step_ms * 2.0 * rnd()  # uniform gaps around the mean: no lock-step timestamps
                if i >= next_tick:
                    if on_tick is not None:
                        on_tick(i)
                    if i >= file_end:
                        break
                    next_tick = min(file_end, next_tick + tick_every)
            if buf:
                yield Batch(
                    EVENTS_FEED,
                    hour_ms,
                    seq[EVENTS_FEED],
                    b"\n".join(buf) + b"\n",
                    len(buf),
                    {PART_TYPE[k]: v for k, v in types.items() if v},
                    dict(defects),
                )
                seq[EVENTS_FEED] += 1
            if changes.lines:
                yield Batch(
                    USER_CHANGES_FEED,
                    hour_ms,
                    seq[USER_CHANGES_FEED],
                    b"\n".join(changes.lines) + b"\n",
                    len(changes.lines),
                    user_changes_by_op=dict(changes.by_op),
                )
                seq[USER_CHANGES_FEED] += 1
                changes.lines = []
                changes.by_op = Counter()


def generate(
    config: ProducerConfig, start: datetime, on_tick: Callable[[int], None] | None = None, tick_every: int = 4096
) -> Iterator[Batch]:
    """Yield the run's files in order. ``on_tick(lines_so_far)`` is called every
    ``tick_every`` events (progress, pacing)."""
    return Traffic(config, start).batches(on_tick, tick_every)

"""The dealer's observer for the RNG audit: buffer each deal, flush in the database pool.

``deck_dealt`` runs on the reactor thread inside the hand's start, so it only appends to
the current month's :class:`MonthBuffer` (a few microseconds: tests/rng_audit_collection
test_cost measures it); a flush swaps the buffers out and hands them to
``Database.transaction``, whose pool thread encodes and writes them. One flush is in flight
at a time, so chunks are numbered in order and the counters' read-add-write never races.

Loss policy: a crash loses the deals buffered since the last successful flush, at most
``flush_deals`` deals or ``flush_seconds`` of dealing (plus one flush in flight). Chunks
and counters are written in one transaction, so whatever is stored stays self-consistent:
the counters always equal a recount of the stored decks, and the lost deals are simply
absent from both. For a statistical audit of the shuffle this is acceptable: the deals
that are kept are an unselected sample (losing them depends on when the crash happened,
not on the cards), so no statistic is biased, only its sample is slightly smaller. A
failed flush (database down) is not lost: its deals go back in front of the buffer and
the next flush retries them.

Hand ends (``deal_closed``: seats, sample seat, last street) are buffered the same way and
stored apart (``rng_audit_ends``), pointing at their deal's chunk and index: the regulator's
table needs them to count the cards a hand really dealt. A hand that never ends in this
process (cut by a restart, or its end lost in a crash) has no end: the report leaves its
deal out of that table and says how many, and the full-deck battery still counts it.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable, Protocol

from sqlalchemy.engine import Connection
from twisted.internet.defer import Deferred, succeed
from twisted.internet.task import LoopingCall
from twisted.logger import Logger

from games.cards import Card
from games.dealer import DealEnd
from server.rng_audit.buffer import MonthBuffer
from server.rng_audit.codec import month_bounds, split_deal_id, variant_code
from server.rng_audit.store import write_buffers

log = Logger(namespace="croupier.rng_audit")


class Transactions(Protocol):
    def transaction(self, fn: Callable[[Connection], Any]) -> "Deferred[Any]": ...


class Clock(Protocol):
    def seconds(self) -> float: ...

    def callLater(self, delay: float, f: Callable[..., Any], *args: Any) -> Any: ...


#: table id -> the variant name it deals (games.hand.Variant name), None if unknown.
VariantOf = Callable[[str], "str | None"]

#: Hands dealt and not yet ended that are remembered; past it the oldest is forgotten (a
#: hand cut without a restart, e.g. by a table's failure, must not grow this for ever).
OPEN_DEALS_LIMIT = 1 << 16


class AuditCollector:
    def __init__(self, db: Transactions, clock: Clock, variant_of: VariantOf, *,
                 flush_deals: int = 2000, flush_seconds: float = 5.0) -> None:
        self._db = db
        self._clock = clock
        self._variant_of = variant_of
        self.flush_deals = flush_deals
        self.flush_seconds = flush_seconds
        self._buffers: dict[str, MonthBuffer] = {}
        self._current: MonthBuffer | None = None
        self._pending = 0
        self._in_flight: Deferred[Any] | None = None
        self._flush_soon: Any = None
        self._loop: LoopingCall | None = None
        self._open: dict[str, tuple[MonthBuffer, int]] = {}  # deal id -> where its deck is buffered
        self.deals_seen = 0
        self.deals_written = 0
        self.ends_seen = 0
        self.failed_flushes = 0

    # -- the dealer's side -------------------------------------------------------------------

    def deck_dealt(self, deal_id: str, deck: tuple[Card, ...]) -> None:
        now = self._clock.seconds()
        buffer = self._current
        if buffer is None or not buffer.start <= now < buffer.end:
            buffer = self._current = self._month_buffer(now)
        table_id, hand = split_deal_id(deal_id)
        # The Dealer checked 52 distinct cards in 0..51: each fits a byte as is (codec).
        buffer.add(table_id, hand, variant_code(self._variant_of(table_id)), int(now * 1_000_000), bytes(deck))
        if len(self._open) >= OPEN_DEALS_LIMIT:
            del self._open[next(iter(self._open))]
        self._open[deal_id] = (buffer, len(buffer) - 1)
        self.deals_seen += 1
        self._pending += 1
        if self._pending >= self.flush_deals and self._flush_soon is None:
            # Not from inside the deal: the flush starts once the hand's start has returned.
            self._flush_soon = self._clock.callLater(0, self._flush_now)

    def deal_closed(self, deal_id: str, end: DealEnd) -> None:
        opened = self._open.pop(deal_id, None)
        if opened is None:
            return  # dealt before this process started: its deck was not seen here
        deal_buffer, index = opened
        # Stored with its deal's month, wherever the clock is now.
        home = self._buffers.get(deal_buffer.month)
        if home is None:
            home = self._buffers[deal_buffer.month] = MonthBuffer(deal_buffer.month, deal_buffer.start, deal_buffer.end)
        home.add_end(deal_buffer, index, end.seats, end.sample_index, end.street)
        self.ends_seen += 1

    def _month_buffer(self, now: float) -> MonthBuffer:
        month, start, end = month_bounds(now)
        buffer = self._buffers.get(month)
        if buffer is None:
            buffer = self._buffers[month] = MonthBuffer(month, start, end)
        return buffer

    # -- flushing ------------------------------------------------------------------------------

    @property
    def pending(self) -> int:
        """Deals buffered and not yet written (a flush in flight counts until it succeeds)."""
        return self._pending

    def start(self) -> None:
        """Flush every ``flush_seconds`` from now on (the reactor must be the clock)."""
        if self._loop is None and self.flush_seconds > 0:
            self._loop = LoopingCall(self.flush)
            self._loop.clock = self._clock  # type: ignore[assignment]
            self._loop.start(self.flush_seconds, now=False)

    def _flush_now(self) -> None:
        self._flush_soon = None
        self.flush()

    def flush(self) -> "Deferred[int]":
        """Write what is buffered; fires with the deals written by this call (0 if a flush was
        already in flight: that one's end starts the next when enough has piled up)."""
        if self._in_flight is not None or not self._buffers:
            return succeed(0)
        buffers = list(self._buffers.values())
        count = sum(len(b) for b in buffers)
        self._buffers = {}
        self._current = None
        now = datetime.fromtimestamp(self._clock.seconds(), timezone.utc)
        d = self._db.transaction(lambda connection: write_buffers(connection, buffers, now))
        self._in_flight = d
        done: Deferred[int] = Deferred()

        def written(deals: int) -> None:
            self._in_flight = None
            self._pending -= count
            self.deals_written += deals
            done.callback(deals)
            if self._pending >= self.flush_deals:
                self.flush()

        def failed(failure: Any) -> None:
            self._in_flight = None
            log.failure("RNG audit flush failed; {count} deals kept for the next one", failure, count=count)
            self.failed_flushes += 1
            self._put_back(buffers)
            done.callback(0)

        d.addCallbacks(written, failed)
        return done

    def _put_back(self, buffers: list[MonthBuffer]) -> None:
        """Failed deals go back in front of whatever was dealt meanwhile, keeping deal order."""
        later = self._buffers
        for buffer in buffers:
            buffer.chunk = None  # its write was rolled back
        self._buffers = {b.month: b for b in buffers}
        for month, buffer in later.items():
            if month in self._buffers:
                self._buffers[month].absorb(buffer)
            else:
                self._buffers[month] = buffer
        self._current = None

    def stop(self) -> "Deferred[int]":
        """Stop the timer, wait for a flush in flight, then write the rest: fires with the
        deals written meanwhile. Deals after it are buffered but only written by a later
        flush, so call it once dealing is over."""
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        self._loop = None
        if self._flush_soon is not None and self._flush_soon.active():
            self._flush_soon.cancel()
        self._flush_soon = None
        before = self.deals_written
        return self._drain().addCallback(lambda _: self.deals_written - before)

    def _drain(self) -> "Deferred[None]":
        in_flight = self._in_flight
        if in_flight is not None:
            waiting: Deferred[None] = Deferred()
            in_flight.addBoth(lambda result: (waiting.callback(None), result)[1])
            return waiting.addCallback(lambda _: self._drain())
        if not self._buffers:
            return succeed(None)

        failures = self.failed_flushes

        def after(written: int) -> "Deferred[None] | None":
            if self.failed_flushes > failures:
                # No retry loop at shutdown: the log says how many deals are not stored.
                log.error("RNG audit: {count} deals could not be written at stop", count=self._pending)
                return None
            return self._drain()

        return self.flush().addCallback(after)

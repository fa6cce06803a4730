"""What collection costs a deal: deck_dealt alone, and a deck dealt with and without the observer.

Run with ``-s`` to see the figures. The bound asserted is loose (a loaded CI machine), the
point is the order of magnitude: microseconds, against the hundreds a deck's shuffle takes.
"""

from __future__ import annotations

import time
from typing import Callable

from twisted.internet.defer import Deferred, succeed
from twisted.internet.task import Clock

from games.dealer import Dealer
from server.rng_audit.collector import AuditCollector

DEALS = 20_000


class NoDb:
    def transaction(self, fn: Callable[..., object]) -> "Deferred[int]":
        return succeed(0)


def per_call_us(fn: Callable[[], object], count: int = DEALS, rounds: int = 5) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(count):
            fn()
        best = min(best, time.perf_counter() - start)
    return best / count * 1e6


def collector() -> AuditCollector:
    # flush_deals above what is dealt: measure the deal's side, not the (pool thread's) flush.
    return AuditCollector(NoDb(), Clock(), {"t1a2b3c4": "HOLDEM"}.get, flush_deals=10**9, flush_seconds=0)


def test_collection_costs_microseconds_a_deal() -> None:
    audit = collector()
    deck = tuple(Dealer().new_deck("x").draw(52))
    ids = iter([f"t1a2b3c4-{i:012x}" for i in range(DEALS * 5)])
    observe = per_call_us(lambda: audit.deck_dealt(next(ids), deck))

    plain, observed = Dealer(), Dealer(observer=collector())
    bare = per_call_us(lambda: plain.new_deck("t1a2b3c4-000000000000"), 5000)
    with_audit = per_call_us(lambda: observed.new_deck("t1a2b3c4-000000000000"), 5000)
    print(f"\ndeck_dealt: {observe:.2f} us/deal; Dealer.new_deck: {bare:.1f} us without the observer, "
          f"{with_audit:.1f} us with it (+{with_audit - bare:.1f} us, {100 * (with_audit - bare) / bare:.0f}%)")
    assert observe < 50

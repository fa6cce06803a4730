"""The collector on a real database (SQLite, and PostgreSQL when CI provides it) with a simulated clock."""

from __future__ import annotations

import random
from datetime import datetime, timezone

import numpy as np
from sqlalchemy import select
from sqlalchemy.engine import Engine
from twisted.internet.task import Clock

from games.betting import Structure
from games.cards import full_deck, to_str
from games.dealer import DealEnd, Dealer
from games.hand import Hand, Rules, Variant
from server.rng_audit.codec import month_bounds, split_deal_id
from server.rng_audit.collector import AuditCollector
from server.rng_audit.store import month_counters, month_decks, recount
from server.rng_audit.tables import rng_audit_chunks, rng_audit_counters
from tests.rng_audit_collection.support import HeldDb, SyncDb

VARIANTS = {"t1": "HOLDEM", "t2": "OMAHA", "Tab12-3": "HOLDEM"}


class SeededSource:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def deck(self) -> list[int]:
        cards = full_deck()
        self.rng.shuffle(cards)
        return cards


def at(*moment: int) -> float:
    return datetime(*moment, tzinfo=timezone.utc).timestamp()


def collector_at(db: SyncDb, when: float, **settings: float) -> tuple[AuditCollector, Clock]:
    clock = Clock()
    clock.advance(when)
    return AuditCollector(db, clock, VARIANTS.get, **settings), clock  # type: ignore[arg-type]


def deal(collector: AuditCollector, dealer: Dealer, table: str, count: int, clock: Clock | None = None,
         step: float = 0.0) -> list[tuple[str, tuple[int, ...]]]:
    dealt = []
    for i in range(count):
        deck = dealer.new_deck(f"{table}-{i:012x}")
        dealt.append((deck.deal_id, tuple(deck.draw(52))))
        if clock is not None and step:
            clock.advance(step)
    return dealt


def assert_counters_equal_recount(engine: Engine, month: str) -> None:
    with engine.connect() as c:
        stored, kept = month_counters(c, month), recount(month_decks(c, month))
    assert stored.keys() == kept.keys()
    for variant in stored:
        assert stored[variant].deals == kept[variant].deals
        assert np.array_equal(stored[variant].counts, kept[variant].counts), variant


def test_decks_metadata_and_counters_round_trip(engine: Engine) -> None:
    db = SyncDb(engine)
    collector, clock = collector_at(db, at(2026, 3, 10, 12), flush_deals=10_000, flush_seconds=0)
    dealer = Dealer(SeededSource(1), collector)
    dealt = deal(collector, dealer, "t1", 30, clock, 1.5) + deal(collector, dealer, "t2", 20, clock, 0.25)
    dealt += deal(collector, dealer, "Tab12-3", 5) + deal(collector, dealer, "gone", 3)
    assert collector.pending == 58
    assert collector.flush().result == 58 and collector.pending == 0
    with engine.connect() as c:
        month = month_decks(c, "2026-03")
        counters = month_counters(c, "2026-03")
    assert month.decks.shape == (58, 52) and month.decks.dtype == np.uint8
    assert month.deal_ids() == [deal_id for deal_id, _ in dealt]
    assert [tuple(int(x) for x in row) for row in month.decks] == [deck for _, deck in dealt]
    assert month.tables[:31] == ["t1"] * 30 + ["t2"] and month.tables[50:55] == ["Tab12-3"] * 5
    assert list(month.variants) == [1] * 30 + [2] * 20 + [1] * 5 + [0] * 3
    start = int(at(2026, 3, 10, 12) * 1_000_000)
    assert month.times[0] == start and month.times[1] == start + 1_500_000 and month.times[31] == start + 45_250_000
    assert {k: v.deals for k, v in counters.items()} == {"HOLDEM": 35, "OMAHA": 20, "UNKNOWN": 3}
    # Card byte = games.cards integer: byte 51 is the ace of spades, 0 the deuce of clubs.
    assert to_str(51) == "As" and to_str(0) == "2c"
    first_deal = dealt[0][1]
    assert counters["HOLDEM"].counts[first_deal[0], 0] >= 1
    assert counters["HOLDEM"].counts.sum(axis=0).tolist() == [35] * 52  # every position holds one card a deal
    assert counters["HOLDEM"].counts.sum(axis=1).tolist() == [35] * 52  # every card is somewhere
    assert_counters_equal_recount(engine, "2026-03")


def test_counters_blob_is_little_endian_int64(engine: Engine) -> None:
    collector, _ = collector_at(SyncDb(engine), at(2026, 3, 1), flush_seconds=0)
    deal(collector, Dealer(SeededSource(2), collector), "t1", 3)
    collector.flush()
    with engine.connect() as c:
        blob = c.execute(select(rng_audit_counters.c.counts)).scalar_one()
        decks = c.execute(select(rng_audit_chunks.c.decks)).scalar_one()
    assert len(blob) == 52 * 52 * 8 and len(decks) == 3 * 52
    counts = np.frombuffer(blob, dtype="<i8").reshape(52, 52)
    assert counts.sum() == 3 * 52 and set(np.unique(counts)) <= {0, 1, 2, 3}


def test_a_deal_at_the_last_second_of_a_month_belongs_to_that_month(engine: Engine) -> None:
    db = SyncDb(engine)
    collector, clock = collector_at(db, at(2026, 1, 31, 23, 59, 59), flush_seconds=0)
    dealer = Dealer(SeededSource(3), collector)
    deal(collector, dealer, "t1", 1)
    clock.advance(0.999)  # 23:59:59.999
    deal(collector, dealer, "t1", 1)
    clock.advance(0.001)  # 00:00:00.000 on the 1st of February
    deal(collector, dealer, "t2", 1)
    clock.advance(30 * 86400)
    deal(collector, dealer, "t1", 2)
    assert collector.flush().result == 5  # one flush, three months: one chunk each
    with engine.connect() as c:
        chunks = c.execute(select(rng_audit_chunks.c.month, rng_audit_chunks.c.chunk, rng_audit_chunks.c.count)
                           .order_by(rng_audit_chunks.c.month)).all()
        counters = c.execute(select(rng_audit_counters.c.month, rng_audit_counters.c.variant,
                                    rng_audit_counters.c.deals).order_by(rng_audit_counters.c.month)).all()
    assert [tuple(r) for r in chunks] == [("2026-01", 1, 2), ("2026-02", 1, 1), ("2026-03", 1, 2)]
    assert [tuple(r) for r in counters] == [("2026-01", "HOLDEM", 2), ("2026-02", "OMAHA", 1),
                                            ("2026-03", "HOLDEM", 2)]
    for month in ("2026-01", "2026-02", "2026-03"):
        assert_counters_equal_recount(engine, month)


def test_month_bounds_roll_over_the_year() -> None:
    assert month_bounds(at(2026, 12, 31, 23, 59, 59))[0] == "2026-12"
    month, start, end = month_bounds(at(2026, 12, 15))
    assert (month, start, end) == ("2026-12", at(2026, 12, 1), at(2027, 1, 1))
    assert month_bounds(at(2027, 1, 1))[0] == "2027-01"
    assert split_deal_id("T1a2b3c4d-2-0123456789ab") == ("T1a2b3c4d-2", "0123456789ab")


def test_flushes_every_n_deals_and_every_t_seconds_and_counters_add_up(engine: Engine) -> None:
    db = SyncDb(engine)
    collector, clock = collector_at(db, at(2026, 5, 2), flush_deals=10, flush_seconds=3.0)
    collector.start()
    dealer = Dealer(SeededSource(4), collector)
    deal(collector, dealer, "t1", 9)
    clock.advance(0)
    assert db.transactions == 0 and collector.pending == 9
    deal(collector, dealer, "t2", 1)
    assert db.transactions == 0  # not from inside the deal
    clock.advance(0)
    assert db.transactions == 1 and collector.pending == 0
    deal(collector, dealer, "t1", 4)
    clock.advance(2.9)
    assert db.transactions == 1
    clock.advance(0.1)  # the timer: 3 s after start
    assert db.transactions == 2 and collector.pending == 0
    clock.advance(3.0)  # nothing buffered: no empty transaction
    assert db.transactions == 2
    deal(collector, dealer, "t2", 7)
    assert collector.stop().result == 7
    clock.advance(10.0)
    assert db.transactions == 3
    with engine.connect() as c:
        chunks = c.execute(select(rng_audit_chunks.c.chunk, rng_audit_chunks.c.count)
                           .order_by(rng_audit_chunks.c.chunk)).all()
        counters = month_counters(c, "2026-05")
    assert [tuple(r) for r in chunks] == [(1, 10), (2, 4), (3, 7)]
    assert {k: v.deals for k, v in counters.items()} == {"HOLDEM": 13, "OMAHA": 8}
    assert_counters_equal_recount(engine, "2026-05")


def test_a_failed_flush_keeps_its_deals_in_order_for_the_next(engine: Engine) -> None:
    db = SyncDb(engine)
    collector, clock = collector_at(db, at(2026, 6, 30, 23, 59, 58), flush_seconds=0)
    dealer = Dealer(SeededSource(5), collector)
    first = deal(collector, dealer, "t1", 3)
    db.failures = 1
    assert collector.flush().result == 0 and collector.pending == 3
    second = deal(collector, dealer, "t2", 2)
    clock.advance(5)  # July now
    third = deal(collector, dealer, "t1", 1)
    assert collector.flush().result == 6 and collector.pending == 0
    with engine.connect() as c:
        june, july = month_decks(c, "2026-06"), month_decks(c, "2026-07")
    assert june.deal_ids() == [d for d, _ in first + second] and july.deal_ids() == [d for d, _ in third]
    assert june.tables == ["t1"] * 3 + ["t2"] * 2
    assert_counters_equal_recount(engine, "2026-06")
    assert_counters_equal_recount(engine, "2026-07")


def test_stop_waits_for_the_flush_in_flight_then_writes_the_rest(engine: Engine) -> None:
    db = HeldDb(engine)
    collector, clock = collector_at(db, at(2026, 8, 1), flush_deals=5, flush_seconds=0)
    dealer = Dealer(SeededSource(6), collector)
    deal(collector, dealer, "t1", 5)
    clock.advance(0)
    assert len(db.held) == 1
    deal(collector, dealer, "t1", 12)  # dealt while the first flush is in flight
    clock.advance(0)
    assert len(db.held) == 1 and collector.pending == 17
    stopped: list[int] = []
    collector.stop().addCallback(stopped.append)
    assert stopped == []
    db.release()  # the first flush ends; the rest (12) was above flush_deals: written next, then stop ends
    assert stopped == [] and len(db.held) == 1
    db.release()
    assert stopped == [17] and collector.pending == 0
    with engine.connect() as c:
        assert len(month_decks(c, "2026-08").hands) == 17
    assert_counters_equal_recount(engine, "2026-08")


def test_hole_cards_come_from_the_positions_the_collector_stores(engine: Engine) -> None:
    """Positions as games.hand deals them: one card at a time from the seat left of the button."""
    collector, _ = collector_at(SyncDb(engine), at(2026, 4, 4), flush_seconds=0)
    dealer = Dealer(SeededSource(7), collector)
    for variant, table in ((Variant.HOLDEM, "t1"), (Variant.OMAHA, "t2")):
        rules = Rules(variant, Structure.NO_LIMIT, 5, 10)
        hand = Hand(rules, [(1, 1000), (3, 1000), (4, 1000), (6, 1000)], 4, dealer.new_deck(f"{table}-00000000000a"))
        collector.flush()
        with engine.connect() as c:
            stored = month_decks(c, "2026-04").decks[-1]
        dealing_order = [6, 1, 3, 4]  # left of the button (4) first
        for i, seat in enumerate(dealing_order):
            positions = range(i, variant.hole_cards * 4, 4)
            assert hand.hole[seat] == [int(stored[p]) for p in positions]


def test_block_counting_with_interleaved_variants_and_a_failed_flush(engine: Engine) -> None:
    """More deals than a counting block, tables of both variants interleaved, a retry merging buffers."""
    from server.rng_audit.buffer import COUNT_BLOCK

    db = SyncDb(engine)
    collector, clock = collector_at(db, at(2026, 9, 9), flush_deals=10**6, flush_seconds=0)
    dealer = Dealer(SeededSource(8), collector)
    for i in range(COUNT_BLOCK + 50):
        dealer.new_deck(f"{'t1' if i % 3 else 't2'}-{i:012x}")
    db.failures = 1
    assert collector.flush().result == 0
    for i in range(2 * COUNT_BLOCK + 7):
        dealer.new_deck(f"{'t2' if i % 5 else 't1'}-{i:012x}")
    assert collector.flush().result == 3 * COUNT_BLOCK + 57
    with engine.connect() as c:
        assert len(month_decks(c, "2026-09").hands) == 3 * COUNT_BLOCK + 57
    assert_counters_equal_recount(engine, "2026-09")


def stored_ends(engine: Engine, month: str) -> dict[str, DealEnd]:
    with engine.connect() as c:
        stored = month_decks(c, month)
    return {d: DealEnd(int(n), int(k), int(s)) for d, n, k, s in
            zip(stored.deal_ids(), stored.seats, stored.sample_index, stored.streets) if n}


def test_a_hand_end_finds_its_deal_whatever_the_flushes_did_meanwhile(engine: Engine) -> None:
    """Ends come before the deal's flush, while it is in flight, after it, after a failed one
    (the deal's buffer merged into an earlier one) and in the next month."""
    db = HeldDb(engine)
    collector, clock = collector_at(db, at(2026, 10, 31, 23, 59), flush_deals=10**6, flush_seconds=0)
    dealer = Dealer(SeededSource(9), collector)
    count = iter(range(100))

    def deal_more(n: int) -> list[str]:
        return [dealer.new_deck(f"t1-{next(count):012x}").deal_id for _ in range(n)]

    ids = deal_more(4)
    expected = {ids[0]: DealEnd(2, 1, 3)}
    collector.deal_closed(ids[0], expected[ids[0]])  # same buffer, not yet flushed
    collector.flush()  # in flight: ids[0..3]
    ids += deal_more(3)  # ids[4..6] in a new buffer
    expected[ids[1]] = DealEnd(6, 5, 0)
    collector.deal_closed(ids[1], expected[ids[1]])  # its deal's flush is in flight
    db.release()  # the first flush is written
    expected[ids[2]] = DealEnd(3, 0, 2)
    collector.deal_closed(ids[2], expected[ids[2]])  # its deal is stored
    db.failures = 0
    collector.flush()  # in flight: ids[4..6] and two ends
    ids += deal_more(2)  # ids[7..8]
    expected[ids[5]] = DealEnd(9, 8, 1)
    collector.deal_closed(ids[5], expected[ids[5]])
    held_fn, held_d = db.held.pop(0)
    held_d.errback(RuntimeError("database unavailable"))  # the second flush fails: ids[7..8] merged behind 4..6
    expected[ids[8]] = DealEnd(2, 0, 1)
    collector.deal_closed(ids[8], expected[ids[8]])  # its buffer was merged into the failed one
    clock.advance(120)  # November now: ends still go with their October deals
    expected[ids[6]] = DealEnd(4, 2, 3)
    collector.deal_closed(ids[6], expected[ids[6]])
    collector.deal_closed(ids[6], DealEnd(2, 0, 0))  # a second end for one deal is ignored
    collector.deal_closed("t1-unknown", DealEnd(2, 0, 0))  # dealt before this process started
    collector.flush()
    db.release()
    assert collector.pending == 0 and collector.ends_seen == 6
    assert stored_ends(engine, "2026-10") == expected
    with engine.connect() as c:
        assert month_decks(c, "2026-10").deal_ids() == ids
        assert month_decks(c, "2026-11").deal_ids() == []


def test_a_hands_dealing_order_and_board_make_its_end(engine: Engine) -> None:
    collector, _ = collector_at(SyncDb(engine), at(2026, 4, 4), flush_seconds=0)
    dealer = Dealer(SeededSource(10), collector)
    rules = Rules(Variant.HOLDEM, Structure.NO_LIMIT, 5, 10)
    hand = Hand(rules, [(1, 1000), (3, 1000), (4, 1000), (6, 1000)], 4, dealer.new_deck("t1-00000000000b"))
    assert hand.dealing_order == (6, 1, 3, 4)
    dealer.close_deal("t1-00000000000b", hand.dealing_order, 4)
    collector.flush()
    assert stored_ends(engine, "2026-04") == {"t1-00000000000b": DealEnd(4, 1, 2)}

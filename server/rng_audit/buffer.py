"""One month's deals not yet written: appended on the reactor thread, read once by a flush.

A deal is a few appends to compact arrays (about a microsecond). The month's card x
position counts per variant are brought up to date every ``COUNT_BLOCK`` deals by one
``np.bincount`` over the block: a numpy call per deal would cost ~4 us of fixed overhead,
the block costs ~0.1 us a deal. The counts are computed from the very bytes that will be
stored, and completed by :meth:`count_pending` at flush time, so a flushed chunk and its
counter increments always agree. Encoding for the database (JSON, byte strings) waits for
the flush, which runs on a pool thread. Once a buffer is handed to a flush the collector
never touches it again, so the pool thread reads it without locks.

A hand's end (``games.dealer.DealEnd``: seats, sample seat, last street) usually comes
after its deal has been flushed, so it is kept apart, in the buffer of the deal's month,
naming its deal by (buffer, index). The deal's chunk number is only known once that buffer
is written (``chunk``, set by ``store.write_buffers`` before it writes the ends of the
same flush); a buffer merged into an earlier one after a failed flush says where its deals
went (``moved``), so :meth:`resolve` always finds the deal's stored place.
"""

from __future__ import annotations

from array import array

import numpy as np
import numpy.typing as npt

from games.cards import DECK_SIZE

#: Column index of each position: flat index of (card, position) is card * 52 + position.
POSITIONS = np.arange(DECK_SIZE, dtype=np.intp)
#: Deals counted at once on the reactor: bounds the occasional pause (~20 us) and the lag.
COUNT_BLOCK = 128

Counts = npt.NDArray[np.int64]


def empty_counts() -> Counts:
    return np.zeros((DECK_SIZE, DECK_SIZE), dtype=np.int64)


class MonthBuffer:
    def __init__(self, month: str, start: float, end: float) -> None:
        self.month = month
        self.start = start  # [start, end): epoch seconds of the month, UTC
        self.end = end
        self.decks = bytearray()
        self.variants = bytearray()
        self.table_index = array("H")
        self.tables: list[str] = []
        self._table_numbers: dict[str, int] = {}
        self.times = array("q")  # microseconds since the epoch
        self.hands: list[str] = []
        self.counts: dict[int, Counts] = {}  # variant code -> counts[card, position]
        self.deals: dict[int, int] = {}  # variant code -> deals counted
        self._counted = 0  # deals already in self.counts
        self.chunk: int | None = None  # this buffer's chunk number, once written
        self.moved: tuple[MonthBuffer, int] | None = None  # merged into (buffer, at this offset)
        self.end_refs: list[tuple[MonthBuffer, int]] = []  # the deal of each end: (its buffer, index)
        self.end_layouts = bytearray()  # 3 bytes an end: seats, sample index, last street

    def __len__(self) -> int:
        return len(self.variants)

    def add(self, table_id: str, hand: str, variant: int, micros: int, deck: bytes) -> None:
        self.decks += deck
        self.variants.append(variant)
        number = self._table_numbers.get(table_id)
        if number is None:
            number = self._table_numbers[table_id] = len(self.tables)
            self.tables.append(table_id)
        self.table_index.append(number)
        self.times.append(micros)
        self.hands.append(hand)
        if len(self.variants) - self._counted >= COUNT_BLOCK:
            self.count_pending()

    def add_end(self, deal_buffer: "MonthBuffer", index: int, seats: int, sample_index: int, street: int) -> None:
        self.end_refs.append((deal_buffer, index))
        self.end_layouts += bytes((seats, sample_index, street))

    @property
    def ends(self) -> int:
        return len(self.end_refs)

    @staticmethod
    def resolve(buffer: "MonthBuffer", index: int) -> tuple[int, int]:
        """(chunk, index in the chunk) of a deal named by (buffer, index); the buffer (or the one
        it was merged into) must have been written."""
        while buffer.moved is not None:
            buffer, offset = buffer.moved
            index += offset
        if buffer.chunk is None:
            raise RuntimeError(f"RNG audit: the deal {index} of a {buffer.month} buffer is not written yet")
        return buffer.chunk, index

    def count_pending(self) -> None:
        """Add the deals not yet counted to the counts."""
        first, last = self._counted, len(self.variants)
        if first == last:
            return
        # Copies (slices of the bytearrays), not views: a view would stop the buffer growing.
        block = np.frombuffer(self.decks[first * DECK_SIZE:], dtype=np.uint8).reshape(-1, DECK_SIZE)
        variants = np.frombuffer(self.variants[first:], dtype=np.uint8)
        codes = np.unique(variants).tolist()
        for code in codes:
            chosen = block if len(codes) == 1 else block[variants == code]
            flat = chosen.astype(np.intp) * DECK_SIZE + POSITIONS
            added = np.bincount(flat.ravel(), minlength=DECK_SIZE * DECK_SIZE).reshape(DECK_SIZE, DECK_SIZE)
            if code in self.counts:
                self.counts[code] += added
                self.deals[code] += len(chosen)
            else:
                self.counts[code] = added.astype(np.int64)
                self.deals[code] = len(chosen)
        self._counted = last

    def absorb(self, later: "MonthBuffer") -> None:
        """Append a later buffer of the same month (a failed flush is retried with what came after)."""
        assert later.month == self.month
        self.count_pending()
        later.count_pending()
        later.moved = (self, len(self))
        self.end_refs.extend(later.end_refs)
        self.end_layouts += later.end_layouts
        for i in range(len(later)):
            table_id = later.tables[later.table_index[i]]
            number = self._table_numbers.get(table_id)
            if number is None:
                number = self._table_numbers[table_id] = len(self.tables)
                self.tables.append(table_id)
            self.table_index.append(number)
        self.decks += later.decks
        self.variants += later.variants
        self.times.extend(later.times)
        self.hands.extend(later.hands)
        for variant, counts in later.counts.items():
            if variant in self.counts:
                self.counts[variant] += counts
                self.deals[variant] += later.deals[variant]
            else:
                self.counts[variant] = counts.copy()
                self.deals[variant] = later.deals[variant]
        self._counted = len(self)

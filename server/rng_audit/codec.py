"""How one deal is written down for the audit.

Card byte: a card is stored as its ``games.cards`` integer, ``rank_index * 4 + suit_index``
(rank 0 the deuce .. 12 the ace; suits clubs, diamonds, hearts, spades): byte 0 is the
deuce of clubs (2c), 1 is 2d, 4 is 3c, 51 is the ace of spades (As). A deal is the 52
bytes ``deck[0] .. deck[51]``: byte ``i`` is the card at position ``i`` of the shuffled
deck, position 0 dealt first. The whole permutation is kept, cards never dealt included,
since the shuffle produced all of it and the audit tests the shuffle.

What positions mean in a hand (games.hand): hole cards first, one at a time starting
left of the button (position ``i`` goes to the ``i mod n``-th seat of that order), then
burn, flop (3), burn, turn, burn, river; the rest of the deck is not dealt.

Variant code per deal (one byte): 0 unknown (a table the rooms no longer know), then the
codes below. Codes are part of the stored format: never renumber, only append.
"""

from __future__ import annotations

from datetime import datetime, timezone

from games.cards import DECK_SIZE

DEAL_BYTES = DECK_SIZE

UNKNOWN_VARIANT = "UNKNOWN"
#: variant name (games.hand.Variant member name) -> stored code.
VARIANT_CODES: dict[str, int] = {UNKNOWN_VARIANT: 0, "HOLDEM": 1, "OMAHA": 2}
VARIANT_NAMES: dict[int, str] = {code: name for name, code in VARIANT_CODES.items()}


def variant_code(name: str | None) -> int:
    return VARIANT_CODES.get(name or UNKNOWN_VARIANT, 0)


def variant_name(code: int) -> str:
    return VARIANT_NAMES.get(code, UNKNOWN_VARIANT)


def split_deal_id(deal_id: str) -> tuple[str, str]:
    """``"<table_id>-<hand suffix>"`` (runtime._start_hand) to (table id, suffix).

    The table id itself may hold dashes (tournament tables are ``T<hex>-<number>``): only
    the last dash separates the suffix."""
    table_id, _, suffix = deal_id.rpartition("-")
    return table_id, suffix


def month_bounds(seconds: float) -> tuple[str, float, float]:
    """The UTC month holding ``seconds`` (epoch): its key ``YYYY-MM`` and [start, end) in epoch
    seconds, so the collector compares two floats per deal instead of formatting a date."""
    moment = datetime.fromtimestamp(seconds, timezone.utc)
    start = datetime(moment.year, moment.month, 1, tzinfo=timezone.utc)
    end = datetime(moment.year + moment.month // 12, moment.month % 12 + 1, 1, tzinfo=timezone.utc)
    return f"{moment.year:04d}-{moment.month:02d}", start.timestamp(), end.timestamp()

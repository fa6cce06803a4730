"""Deliberately broken shufflers: TEST FIXTURES for ``croupier rng-audit selftest``.

Never use any of these to deal. Each one reproduces a classic shuffling fault so that the
audit battery can be shown to flag it. They take the ordered deck ``list(range(52))`` and
return a new order (signature ``f(cards: list) -> list``, same as ``games.dealer.fisher_yates``).
Fixtures may use ``random``/``secrets`` freely; the production dealer never does this.

* :func:`modulo_biased_byte`   Fisher-Yates with ``j = byte % (i + 1)`` from one random byte
  (256 is not a multiple of ``i + 1``: low indices are favoured, up to 5/256 vs 4/256).
* :func:`swap_with_any`        for every position ``i``, swap with ``j`` uniform on 0..51 (the
  "naive" shuffle: 52**52 equally likely paths onto 52! orders, not a multiple). This is
  the bug actually published about PlanetPoker's 1999 shuffler (``random(1..52)``).
* :func:`sort_by_small_key`    stable sort by 8-bit random keys: ties (P = 1/256 per pair)
  keep the original order, so card ``c`` is followed by ``c + 1`` too often.
* :func:`never_last_slot`      Fisher-Yates with ``j`` uniform on 0..i-1 instead of 0..i
  (Sattolo's algorithm): the card at ``i`` is never left in place, so the result is always
  one 52-cycle and no card is ever at its original position.
* :func:`reseed_16bit`         a fresh ``random.Random`` seeded from 16 bits every deal: only
  65,536 distinct decks, so repeats appear after a few hundred deals (birthday bound).
"""

from __future__ import annotations

import random
import secrets
from typing import Callable

_SYS = random.SystemRandom()


def modulo_biased_byte(cards: list) -> list:
    cards = list(cards)
    raw = secrets.token_bytes(len(cards))
    for i in range(len(cards) - 1, 0, -1):
        j = raw[i] % (i + 1)
        cards[i], cards[j] = cards[j], cards[i]
    return cards


def swap_with_any(cards: list) -> list:
    cards = list(cards)
    n = len(cards)
    for i in range(n):
        j = _SYS.randrange(n)
        cards[i], cards[j] = cards[j], cards[i]
    return cards


def sort_by_small_key(cards: list) -> list:
    keys = secrets.token_bytes(len(cards))  # 8-bit keys; Python's sort is stable
    order = sorted(range(len(cards)), key=keys.__getitem__)
    return [cards[k] for k in order]


def never_last_slot(cards: list) -> list:
    cards = list(cards)
    for i in range(len(cards) - 1, 0, -1):
        j = _SYS.randrange(i)  # 0..i-1: the bug; correct is 0..i
        cards[i], cards[j] = cards[j], cards[i]
    return cards


def reseed_16bit(cards: list) -> list:
    cards = list(cards)
    random.Random(secrets.randbits(16)).shuffle(cards)
    return cards


#: name -> shuffler, in the order the selftest reports them.
BROKEN: dict[str, Callable[[list], list]] = {
    "modulo_biased_byte": modulo_biased_byte,
    "swap_with_any": swap_with_any,
    "sort_by_small_key": sort_by_small_key,
    "never_last_slot": never_last_slot,
    "reseed_16bit": reseed_16bit,
}


def not_a_permutation(cards: list) -> list:
    """Fixture for the CLI's input check: drops a card and duplicates another."""
    cards = list(cards)
    cards[-1] = cards[0]
    return cards


# ---------------------------------------------------------------------------------------
# what the power calculation needs: each fault's exact card x position table, if any
# ---------------------------------------------------------------------------------------


def _uniform(lo: int, hi: int, n: int = 52):
    import numpy as np

    q = np.zeros(n)
    q[lo:hi] = 1.0 / (hi - lo)
    return q


def _modulo(i: int, n: int = 52):
    import numpy as np

    q = np.zeros(n)
    np.add.at(q, np.arange(256) % (i + 1), 1.0 / 256)
    return q


def swap_steps(name: str) -> list | None:
    """``(i, q)`` steps of a swap shuffle (for ``battery.swap_shuffle_matrix``), or None."""
    n = 52
    if name == "modulo_biased_byte":
        return [(i, _modulo(i)) for i in range(n - 1, 0, -1)]
    if name == "swap_with_any":
        return [(i, _uniform(0, n)) for i in range(n)]
    if name == "never_last_slot":
        return [(i, _uniform(0, i)) for i in range(n - 1, 0, -1)]
    return None


#: Distinct decks a shuffler can produce, when that is what gives it away.
DISTINCT_DECKS = {"reseed_16bit": 1 << 16}

#: No closed-form prediction: the fault shows in the serial test (ties keep ascending runs,
#: block boundaries descend) and its noncentrality was measured, not derived: with the
#: 9-test battery at alpha = 0.01 it was flagged 19/20 times at 2,000 deals, 20/20 at 5,000.
MEASURED_DEALS = {"sort_by_small_key": 5000}

"""The only source of chance in a tournament: an injected ``randbelow``.

Seat draws (initial seating, a new table's seat, the first button) go through a
:class:`Chooser`. Production passes the ``secrets`` module itself (the OS CSPRNG), which
has exactly this method; tests pass a seeded wrapper so their draws repeat. Nothing here
keeps a default: a caller that forgets the chooser gets an error, not a weak generator.
"""

from __future__ import annotations

from typing import Protocol, Sequence, TypeVar

T = TypeVar("T")


class Chooser(Protocol):
    def randbelow(self, n: int) -> int:
        """A uniform integer in ``0..n-1``."""


def shuffled(items: Sequence[T], chooser: Chooser) -> list[T]:
    """A uniformly random permutation (Fisher-Yates), one ``randbelow`` per position."""
    out = list(items)
    for i in range(len(out) - 1, 0, -1):
        j = chooser.randbelow(i + 1)
        out[i], out[j] = out[j], out[i]
    return out


def pick(items: Sequence[T], chooser: Chooser) -> T:
    if not items:
        raise ValueError("nothing to pick from")
    return items[chooser.randbelow(len(items))]

"""Payout tables by field size, and the prize amounts to the cent.

A table is data: bands of field sizes (entrants, late ones included; rebuys do not make
new entrants), each a list of tiers "so many places at so many basis points each" (a
basis point is 1/100 of a percent; a band's shares add up to 10 000). Shares never grow
down the places.

Rounding, the one rule: each place gets the floor of ``pool * share / 10000`` cents, then
the cents left over (fewer than the number of places paid) go one each to the highest
places, first place first. The amounts add up to the prize pool exactly and stay in
order.

Default table (``DEFAULT_PAYOUTS``), roughly the online habit of paying 15 to 20 % of
the field (percentages):

==========  ======  ============================================================
entrants    paid    shares
==========  ======  ============================================================
2-4         1       100 (winner takes all)
5-6         2       65 / 35
7-9         3       50 / 30 / 20
10-18       4       40 / 30 / 20 / 10
19-27       5       36 / 24 / 17 / 13 / 10
28-50       7       30 / 20 / 14.5 / 11 / 9.5 / 8 / 7
51-100      10      27 / 17.5 / 12.5 / 10 / 8 / 7 / 5.5 / 4.5 / 4 / 4
101-200     20      25 / 16 / 11.5 / 9 / 7 / 5.75 / 4.75 / 4 / 3.5 / 3, 11th-20th 1.05
201-500     40      22 / 14 / 10 / 8 / 6.5 / 5.25 / 4.25 / 3.5 / 3 / 2.5,
                    11th-20th 0.9, 21st-30th 0.65, 31st-40th 0.55
501 and up  80      20 / 12.5 / 9 / 7 / 5.75 / 4.75 / 3.75 / 3 / 2.5 / 2.25,
                    11th-20th 0.85, 21st-40th 0.5, 41st-60th 0.3, 61st-80th 0.25
==========  ======  ============================================================
"""

from __future__ import annotations

from dataclasses import dataclass

from games.tournament.errors import TournamentError

BASIS = 10_000


@dataclass(frozen=True)
class Tier:
    places: int
    share: int  # basis points of the prize pool, for each of these places


@dataclass(frozen=True)
class PayoutBand:
    min_field: int
    max_field: int | None  # None: and above
    tiers: tuple[Tier, ...]

    def __post_init__(self) -> None:
        if any(t.places <= 0 or t.share <= 0 for t in self.tiers):
            raise TournamentError("a tier pays a positive share to at least one place")
        if sum(t.places * t.share for t in self.tiers) != BASIS:
            raise TournamentError(f"band from {self.min_field}: the shares add up to {BASIS}")
        if any(b.share > a.share for a, b in zip(self.tiers, self.tiers[1:])):
            raise TournamentError(f"band from {self.min_field}: a lower place never gets more")
        if self.places_paid > self.min_field:
            raise TournamentError(f"band from {self.min_field}: more places paid than players")
        if self.max_field is not None and self.max_field < self.min_field:
            raise TournamentError("a band's field sizes run upwards")

    @property
    def places_paid(self) -> int:
        return sum(t.places for t in self.tiers)

    def shares(self) -> tuple[int, ...]:
        return tuple(t.share for t in self.tiers for _ in range(t.places))


@dataclass(frozen=True)
class PayoutTable:
    bands: tuple[PayoutBand, ...]

    def __post_init__(self) -> None:
        if not self.bands or self.bands[0].min_field != 2:
            raise TournamentError("the first band starts at 2 players")
        for a, b in zip(self.bands, self.bands[1:]):
            if a.max_field is None or b.min_field != a.max_field + 1:
                raise TournamentError(f"bands leave no gap and do not overlap (at {b.min_field})")
        if self.bands[-1].max_field is not None:
            raise TournamentError("the last band has no upper bound")

    def band(self, field: int) -> PayoutBand:
        if field < 2:
            raise TournamentError("a tournament has at least 2 entrants")
        return next(b for b in self.bands if b.max_field is None or field <= b.max_field)

    def places_paid(self, field: int) -> int:
        return self.band(field).places_paid

    def amounts(self, prize_pool: int, field: int) -> tuple[int, ...]:
        """Cents for each paid place, first place first; they add up to ``prize_pool``."""
        if prize_pool < 0:
            raise TournamentError("a prize pool is never negative")
        shares = self.band(field).shares()
        amounts = [prize_pool * share // BASIS for share in shares]
        left = prize_pool - sum(amounts)  # fewer than len(shares): each floor lost under a cent
        for place in range(left):
            amounts[place] += 1
        return tuple(amounts)


def _band(low: int, high: int | None, *tiers: tuple[int, int]) -> PayoutBand:
    return PayoutBand(low, high, tuple(Tier(places, share) for places, share in tiers))


def _singles(*shares: int) -> tuple[tuple[int, int], ...]:
    return tuple((1, share) for share in shares)


DEFAULT_PAYOUTS = PayoutTable((
    _band(2, 4, (1, 10_000)),
    _band(5, 6, *_singles(6500, 3500)),
    _band(7, 9, *_singles(5000, 3000, 2000)),
    _band(10, 18, *_singles(4000, 3000, 2000, 1000)),
    _band(19, 27, *_singles(3600, 2400, 1700, 1300, 1000)),
    _band(28, 50, *_singles(3000, 2000, 1450, 1100, 950, 800, 700)),
    _band(51, 100, *_singles(2700, 1750, 1250, 1000, 800, 700, 550, 450), (2, 400)),
    _band(101, 200, *_singles(2500, 1600, 1150, 900, 700, 575, 475, 400, 350, 300), (10, 105)),
    _band(201, 500, *_singles(2200, 1400, 1000, 800, 650, 525, 425, 350, 300, 250),
          (10, 90), (10, 65), (10, 55)),
    _band(501, None, *_singles(2000, 1250, 900, 700, 575, 475, 375, 300, 250, 225),
          (10, 85), (20, 50), (20, 30), (20, 25)),
))

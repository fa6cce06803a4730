"""What a slip puts in its PASPMISE records, as plain data for the server to map.

frontal.builders.pasp builds the XML from ``SportsBet(combinations=(Combination(combi,
lines=(BetLine(..., prognostics=(Prognostic(parts, cote),), banque),), x, mise_base),))``.
games/ knows nothing of fixtures' names and codes, nor of frontal: this module gives, per
PASPMISE, the PaSp list with their Combi, X, MiseBase and line count, and for each LigSp
the slip's leg index (and the server's ``ref``), its Banque flag and its prognoses with the
Cote to show. The server fills Renc, Tech, Sport, PronoSp... from its own records of the
legs and prognoses.

Rules followed (annex 1.3.4.a.1):

- singles: one PASPMISE each, one PaSp ``S`` with one LigSp and one PronoSp;
- C, XY, named bets: one PaSp; X only for XY; LigSp in slip order, bankers included and
  flagged ``Banque`` (so Y, read from the LigSp count as the annex says, is the count
  without the ``Banque`` ones);
- a permed named bet: one PaSp per named bet drawn (a YANKEE permed over 5: five PaSp
  ``YANKEE``), as the annex lets a PASPMISE list several PaSp for a system that is not one
  of its formulas;
- CUSTOM: one PaSp per listed combination;
- each-way: the annex has no each-way; the win part's PaSp, then the same PaSp again for the
  place part (``part`` PLACE), whose Cote is the place odds 1 + (odds - 1) x terms. The
  server maps a place prognosis to the nomenclature's place result type;
- ``Mise`` (the bet's total) = sum of MiseBase x the lines of each PaSp.

Limits of the annex's XSD refused here (``SlipRefused("annex_limit")``): PaSp 1..64 per
PASPMISE, LigSp 1..64 per PaSp, PronoSp 1..64 per LigSp, X 1..64.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from math import comb

from games.betslip.closed_form import line_count
from games.betslip.errors import SlipRefused
from games.betslip.odds import cote
from games.betslip.stakes import Pricing, price
from games.betslip.structure import Component
from games.betslip.types import Slip

ANNEX_MAX = 64


class Part(str, Enum):
    WIN = "win"
    PLACE = "place"


@dataclass(frozen=True)
class PaspPrognosis:
    """One PronoSp and its Cote."""

    choice: int  # index in the leg's prognoses
    ref: str | None
    odds: Fraction  # exact decimal odds of this part
    cote: Decimal  # what the Cote element shows
    cote_exact: bool  # False: rounded to 0.01 for display (8/13 -> 1.62)


@dataclass(frozen=True)
class PaspLine:
    """One LigSp."""

    leg: int
    ref: str | None
    prognoses: tuple[PaspPrognosis, ...]
    banque: bool


@dataclass(frozen=True)
class PaspCombination:
    """One PaSp."""

    combi: str
    x: int | None
    lines: tuple[PaspLine, ...]
    mise_base: Decimal
    combinations: int  # its lines: MiseBase x combinations is what it stakes
    part: Part


@dataclass(frozen=True)
class PaspBet:
    """One PASPMISE."""

    combinations: tuple[PaspCombination, ...]
    lines: int
    mise: Decimal


def _pieces(component: Component) -> list[Component]:
    """A permed component as the named bets it is made of (one PaSp each)."""
    if component.group is None:
        return [component]
    return [Component(component.combi, group, component.bankers, component.sizes) for group in component.groups()]


def check_annex_limits(slip: Slip, pricing: Pricing | None = None) -> None:
    pricing = price(slip) if pricing is None else pricing
    parts = 2 if slip.each_way is not None else 1
    for bet in pricing.bets:
        pasp = parts * sum(comb(len(c.legs), c.group) if c.group is not None else 1 for c in bet.components)
        if pasp > ANNEX_MAX:
            raise SlipRefused("annex_limit", f"{pasp} combinations (PaSp) in one PASPMISE, the annex allows "
                                             f"{ANNEX_MAX}")
        for component in bet.components:
            ligsp = (component.group or len(component.legs)) + len(component.bankers)
            if ligsp > ANNEX_MAX:
                raise SlipRefused("annex_limit", f"{ligsp} legs (LigSp) in one combination, the annex allows "
                                                 f"{ANNEX_MAX}")
            if component.x is not None and component.x > ANNEX_MAX:
                raise SlipRefused("annex_limit", f"X = {component.x}, the annex allows 1 to {ANNEX_MAX}")
    for i, leg in enumerate(slip.legs):
        if len(leg.choices) > ANNEX_MAX:
            raise SlipRefused("annex_limit", f"legs[{i}] has {len(leg.choices)} prognoses (PronoSp), the annex "
                                             f"allows {ANNEX_MAX}")


def paspmise_bets(slip: Slip) -> tuple[PaspBet, ...]:
    pricing = price(slip)
    check_annex_limits(slip, pricing)
    parts = [Part.WIN] if slip.each_way is None else [Part.WIN, Part.PLACE]
    records = []
    for k, bet in enumerate(pricing.bets):
        combos = []
        for part in parts:
            for component in bet.components:
                for piece in _pieces(component):
                    combos.append(PaspCombination(piece.combi.value, piece.x, _lines(slip, piece, part),
                                                  pricing.line_stake, line_count(piece, slip), part))
        records.append(PaspBet(tuple(combos), pricing.bet_lines[k], pricing.bet_stake(k)))
    return tuple(records)


def _lines(slip: Slip, component: Component, part: Part) -> tuple[PaspLine, ...]:
    lines = []
    for i in sorted((*component.legs, *component.bankers)):
        leg = slip.legs[i]
        wanted = range(len(leg.choices)) if component.choice is None else [component.choice]
        prognoses = []
        for c in wanted:
            odds = leg.choices[c].odds
            if part is Part.PLACE:
                odds = 1 + (odds - 1) * slip.place_fraction(i)
            shown, exact = cote(odds)
            prognoses.append(PaspPrognosis(c, leg.choices[c].ref, odds, shown, exact))
        lines.append(PaspLine(i, leg.ref, tuple(prognoses), leg.banker))
    return tuple(lines)

"""A history's table for the engine: its rules, seats, button and blinds, or why the engine
cannot deal it."""

from __future__ import annotations

from dataclasses import dataclass

from games.betting import Structure
from games.hand import Blinds, Rules
from games.phh.codes import EXTENSION_CODES, GAMES, STANDARD_CODES
from games.phh.model import PhhHand, player_label
from games.phh.outcome import Outcome, _Stop


@dataclass(frozen=True)
class _Table:
    rules: Rules
    seats: tuple[tuple[int, int], ...]  # (seat, stack) in table order
    seat_of: tuple[int, ...]  # PHH player index -> engine seat
    button: int
    blinds: Blinds

    def label(self, seat: int) -> str:
        return player_label(self.seat_of.index(seat))


def _table(phh: PhhHand) -> _Table:
    game = GAMES.get(phh.variant)
    if game is None:
        raise _Stop(Outcome.UNSUPPORTED, f"variant {phh.variant!r}: the engine deals {', '.join(STANDARD_CODES)} "
                                         f"(and Croupier's {', '.join(EXTENSION_CODES)})")
    variant, structure = game
    count = phh.player_count
    if count < 2:
        raise _Stop(Outcome.UNSUPPORTED, "a hand needs two players or more")
    unknown = [player_label(i) for i, stack in enumerate(phh.starting_stacks) if stack is None]
    if unknown:
        raise _Stop(Outcome.UNSUPPORTED, f"unknown starting stack (inf) for {', '.join(unknown)}")
    forced = phh.blinds_or_straddles
    if forced is None:
        raise _Stop(Outcome.INVALID, "no blinds_or_straddles")
    small, big = forced[0], forced[1]  # heads-up too: the standard reverses who posts them
    small_player, big_player = (1, 0) if count == 2 else (0, 1)
    if big == 0:
        raise _Stop(Outcome.UNSUPPORTED, "no big blind: the engine's hands have one")
    straddles = [(k, amount) for k, amount in enumerate(forced) if k >= 2 and amount > 0]
    level = big
    for k, amount in straddles:
        if amount <= level:
            raise _Stop(Outcome.UNSUPPORTED, f"the straddle of {player_label(k)} ({phh.format_chips(amount)}) "
                                             f"does not raise the bet above {phh.format_chips(level)}")
        level = amount
    _check_bet_sizes(phh, structure, big, bool(straddles))
    ante, big_blind_ante = _antes(phh)
    seat_of = _seat_numbers(phh)
    rules = Rules(variant, structure, small, big, ante=ante, big_blind_ante=big_blind_ante)
    blinds = Blinds(seat_of[small_player] if small else None, seat_of[big_player],
                    tuple((seat_of[k], amount) for k, amount in straddles))
    table_order = sorted(range(count), key=lambda i: seat_of[i])
    stacks = tuple((seat_of[i], int(phh.starting_stacks[i] or 0)) for i in table_order)
    return _Table(rules, stacks, seat_of, seat_of[count - 1], blinds)


def _check_bet_sizes(phh: PhhHand, structure: Structure, big: int, straddled: bool) -> None:
    if structure is Structure.FIXED_LIMIT:
        if straddled:
            raise _Stop(Outcome.UNSUPPORTED, "straddles in fixed limit")
        if phh.small_bet != big or phh.big_bet != 2 * big:
            raise _Stop(Outcome.UNSUPPORTED, f"small_bet {_opt(phh, phh.small_bet)} and big_bet "
                                             f"{_opt(phh, phh.big_bet)}: the engine's fixed-limit bets are the "
                                             f"big blind ({phh.format_chips(big)}), then twice it")
    elif phh.min_bet != big:
        raise _Stop(Outcome.UNSUPPORTED, f"min_bet {_opt(phh, phh.min_bet)} is not the big blind "
                                         f"({phh.format_chips(big)}): the engine's minimum bet is the big blind")


def _opt(phh: PhhHand, chips: int | None) -> str:
    return "missing" if chips is None else phh.format_chips(chips)


def _antes(phh: PhhHand) -> tuple[int, bool]:
    """(ante, big_blind_ante) for the engine's Rules."""
    antes = phh.antes
    if len(set(antes)) == 1:
        return antes[0], False
    if all(amount == 0 for k, amount in enumerate(antes) if k != 1):
        return antes[1], True
    raise _Stop(Outcome.UNSUPPORTED, "antes " + "[" + ", ".join(map(phh.format_chips, antes)) + "]: the engine "
                                     "takes the same ante from everyone or a big-blind ante")


def _seat_numbers(phh: PhhHand) -> tuple[int, ...]:
    """The file's seat numbers when they go round the table from p1, so that the engine's
    hand carries the table's seats; else 1 to N. (Either way the engine meets the players in
    the same order round the table, so nothing else changes.)"""
    seats = phh.seats
    count = phh.player_count
    if seats is not None and len(set(seats)) == count:
        descents = sum(1 for i in range(count) if seats[i] > seats[(i + 1) % count])
        if descents == 1:
            return seats
    return tuple(range(1, count + 1))

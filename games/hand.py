"""One hand of Hold'em or Omaha, from the blinds to the chips pushed.

The table's side (seating, timers, traces) lives elsewhere; this is the referee: it posts
the blinds, deals from the dealer's deck, runs the four betting rounds, deals the board,
runs out the cards when betting is over (everyone but one all-in), evaluates the showdown
and settles the pots.

Positions: the button is given; with three players or more the next two seats post the
small and big blinds and the seat after the big blind acts first pre-flop. Heads-up, the
button posts the small blind and acts first pre-flop, the other seat acts first after.
After the flop the first seat after the button still in the hand acts first. A player
short of a blind posts what they have (all-in). Fixed limit: small bet = big blind on the
first two rounds, big bet = twice that on the last two. Antes, straddles and the
moving/dead button policy belong to the table and arrive with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Sequence

from games.betting import Action, BettingRound, Decision, SeatState, Structure
from games.cards import Card
from games.dealer import Deck
from games.evaluator import evaluate, evaluate_omaha
from games.pots import RakeRule, Settlement, settle

STREETS = ("preflop", "flop", "turn", "river")
BOARD_CARDS = (0, 3, 1, 1)


class Variant(Enum):
    HOLDEM = 2
    OMAHA = 4

    @property
    def hole_cards(self) -> int:
        return self.value


@dataclass(frozen=True)
class Rules:
    variant: Variant
    structure: Structure
    small_blind: int
    big_blind: int
    max_bets: int = 4
    rake: RakeRule = RakeRule()

    def bet_unit(self, street: int) -> int:
        return self.big_blind if street < 2 else 2 * self.big_blind


@dataclass
class Result:
    final_stacks: dict[int, int]
    settlement: Settlement
    showdown: bool
    values: dict[int, int] = field(default_factory=dict)


class HandError(ValueError):
    pass


class Hand:
    def __init__(self, rules: Rules, seats: Sequence[tuple[int, int]], button: int, deck: Deck) -> None:
        """``seats``: (seat, stack) in table order, players with chips only; ``button`` is one of them."""
        if not 2 <= len(seats) <= 10:
            raise HandError("a hand needs 2 to 10 players")
        if any(stack <= 0 for _, stack in seats):
            raise HandError("every player dealt in has chips")
        order = [seat for seat, _ in seats]
        if button not in order:
            raise HandError(f"the button seat {button} is not dealt in")
        self.rules = rules
        self.order = order
        self.button = button
        self.stacks = dict(seats)
        self.contributed = {seat: 0 for seat in order}
        self.folded: set[int] = set()
        self.deck = deck
        self.board: list[Card] = []
        self.street = 0
        self.history: list[tuple[int, Decision]] = []  # (street, decision)
        self.result: Result | None = None

        if len(order) == 2:
            self.small_blind_seat = button
            self.big_blind_seat = self._after(button)
        else:
            self.small_blind_seat = self._after(button)
            self.big_blind_seat = self._after(self.small_blind_seat)
        first_hole = self._after(button)
        start = order.index(first_hole)
        dealing_order = order[start:] + order[:start]
        self.hole: dict[int, list[Card]] = {seat: [] for seat in order}
        for _ in range(rules.variant.hole_cards):  # one card at a time, left of the button first
            for seat in dealing_order:
                self.hole[seat].extend(deck.draw(1))
        blinds = {self.small_blind_seat: rules.small_blind, self.big_blind_seat: rules.big_blind}
        first = self.small_blind_seat if len(order) == 2 else self._after(self.big_blind_seat)
        self._round = self._new_round(first, blinds)
        if self._round.complete:  # the blinds put everyone who could act all-in
            self._close_round()

    def _after(self, seat: int) -> int:
        return self.order[(self.order.index(seat) + 1) % len(self.order)]

    def _new_round(self, first: int, posted: dict[int, int] | None = None) -> BettingRound:
        states = []
        for seat in self.order:
            state = SeatState(seat, self.stacks[seat], folded=seat in self.folded)
            blind = min((posted or {}).get(seat, 0), state.stack)
            state.stack -= blind
            state.bet = blind
            states.append(state)
        unit = self.rules.bet_unit(self.street)
        fixed = self.rules.structure is Structure.FIXED_LIMIT
        return BettingRound(self.rules.structure, states, first, big_blind=unit if fixed else self.rules.big_blind,
                            pot=sum(self.contributed.values()), bet_unit=unit,
                            max_bets=self.rules.max_bets, opening_bets=1 if self.street == 0 else 0)

    @property
    def turn(self) -> int | None:
        return None if self.result is not None else self._round.turn

    @property
    def betting(self) -> BettingRound:
        return self._round

    def act(self, seat: int, action: Action, raise_to: int | None = None) -> Decision:
        if self.result is not None:
            raise HandError("the hand is over")
        decision = self._round.act(seat, action, raise_to)
        self.history.append((self.street, decision))
        if decision.action is Action.FOLD:
            self.folded.add(seat)
        if self._round.complete:
            self._close_round()
        return decision

    def _close_round(self) -> None:
        for state in self._round.seats:
            self.contributed[state.seat] += state.bet
            self.stacks[state.seat] = state.stack
        live = [s for s in self.order if s not in self.folded]
        if len(live) == 1:
            self._finish(live, showdown=False)
            return
        with_chips = [s for s in live if self.stacks[s] > 0]
        while self.street < 3:
            self.street += 1
            self.deck.burn()
            self.board.extend(self.deck.draw(BOARD_CARDS[self.street]))
            if len(with_chips) >= 2:
                first = next(s for s in self._seats_after_button() if s in with_chips)
                self._round = self._new_round(first)
                if not self._round.complete:
                    return
                for state in self._round.seats:  # nothing to bet (e.g. all but one all-in)
                    self.contributed[state.seat] += state.bet
        self._finish(live, showdown=True)

    def _seats_after_button(self) -> list[int]:
        start = self.order.index(self._after(self.button))
        return self.order[start:] + self.order[:start]

    def _finish(self, live: list[int], showdown: bool) -> None:
        values: dict[int, int] = {}
        if showdown:
            for seat in live:
                if self.rules.variant is Variant.OMAHA:
                    values[seat] = evaluate_omaha(self.hole[seat], self.board)
                else:
                    values[seat] = evaluate([*self.hole[seat], *self.board])
        settlement = settle(self.contributed, live, values if showdown else None, button=self.button,
                            seat_count=max(self.order) + 1,
                            rake=self.rules.rake, saw_flop=self.street >= 1)
        final = dict(self.stacks)
        for seat, amount in settlement.returned.items():
            final[seat] += amount
        for seat, amount in settlement.winnings.items():
            final[seat] += amount
        self.result = Result(final, settlement, showdown, values)

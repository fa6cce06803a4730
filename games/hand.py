"""One hand of Hold'em or Omaha, from the forced bets to the chips pushed.

The table's side (seating, timers, traces) lives elsewhere; this is the referee: it takes
the forced bets the table decided (:class:`Blinds`, see ``games.button`` for the policy),
posts them, deals from the dealer's deck, runs the four betting rounds, deals the board,
runs out the cards when betting is over (everyone but one all-in), shows down in the
card room's order and settles the pots. Everything that happens is appended to
``Hand.log``, which is what the per-seat views (``games.hand_views``) are built from.

Positions: the button is given; with three players or more the next two seats post the
small and big blinds and the seat after the big blind acts first pre-flop. Heads-up, the
button posts the small blind and acts first pre-flop, the other seat acts first after.
After the flop the first seat after the button still in the hand acts first. Fixed
limit: small bet = big blind on the first two rounds, big bet = twice that after.

Forced bets, in posting order: antes (each player's ante is a contribution like any bet,
so a player all-in on the ante still contests a main pot of antes), small blind, big
blind, the big-blind ante (posted by the big blind for the whole table after the blind
when short, as the tournament directors' rule has it, and dead money: nobody "calls" it),
straddles (live blinds raising the bet, the straddler keeping the option; the seat after
the last straddler acts first and a raise must add at least the largest straddle),
live posts of new or returning players (count towards their call, keep the option) and
dead posts (a missed small blind: straight into the pot). A player short of a forced bet
posts what they have and is all-in.

A player whose clock runs out, or who is disconnected when it is their turn, folds
(annex 1.3.5.e): :meth:`Hand.time_out`. Muck rights: a beaten hand is mucked unseen; a
player who finished the hand unseen (mucked, or won uncontested) may still show it:
:meth:`Hand.show`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Sequence, Union

from games.betting import Action, BettingRound, Decision, IllegalAction, SeatState, Structure
from games.cards import Card
from games.dealer import Deck
from games.evaluator import best_five, best_omaha_five, evaluate, evaluate_omaha
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
    ante: int = 0  # per player, or the big blind's single ante when big_blind_ante
    big_blind_ante: bool = False

    def bet_unit(self, street: int) -> int:
        return self.big_blind if street < 2 else 2 * self.big_blind


class PostKind(Enum):
    ANTE = "ante"
    SMALL_BLIND = "small_blind"
    BIG_BLIND = "big_blind"
    BIG_BLIND_ANTE = "big_blind_ante"
    STRADDLE = "straddle"
    LIVE = "live"  # a new or returning player's big blind out of position
    DEAD = "dead"  # a missed small blind


@dataclass(frozen=True)
class Blinds:
    """Who posts what before the cards. ``small_blind`` None: a dead small blind (nobody)."""

    small_blind: int | None
    big_blind: int
    straddles: tuple[tuple[int, int], ...] = ()  # (seat, amount to) in posting order
    live: tuple[tuple[int, int], ...] = ()  # (seat, amount)
    dead: tuple[tuple[int, int], ...] = ()  # (seat, amount)

    @staticmethod
    def standard(order: Sequence[int], button: int) -> Blinds:
        """Heads-up the button posts the small blind; otherwise the next two seats post."""
        after = {seat: order[(i + 1) % len(order)] for i, seat in enumerate(order)}
        small = button if len(order) == 2 else after[button]
        return Blinds(small, after[small])


@dataclass(frozen=True)
class Posted:
    seat: int
    kind: PostKind
    amount: int  # what was posted (less than asked when the player was short)


@dataclass(frozen=True)
class HoleDealt:
    seat: int
    cards: tuple[Card, ...]


@dataclass(frozen=True)
class BoardDealt:
    street: int
    cards: tuple[Card, ...]


@dataclass(frozen=True)
class Acted:
    street: int
    order: int  # from 1 within the street (MiseOrdre)
    decision: Decision
    bet_before: int  # the bet to call before this decision (0: nobody had bet this street)
    timed_out: bool = False


@dataclass(frozen=True)
class Shown:
    seat: int
    cards: tuple[Card, ...]
    best_five: tuple[Card, ...]


@dataclass(frozen=True)
class Mucked:
    seat: int


@dataclass(frozen=True)
class Settled:
    result: "Result"


Event = Union[Posted, HoleDealt, BoardDealt, Acted, Shown, Mucked, Settled]


@dataclass
class Result:
    final_stacks: dict[int, int]
    settlement: Settlement
    showdown: bool
    values: dict[int, int] = field(default_factory=dict)
    collected: dict[int, int] = field(default_factory=dict)  # pots won plus uncalled chips returned


class HandError(ValueError):
    pass


class Hand:
    def __init__(self, rules: Rules, seats: Sequence[tuple[int, int]], button: int, deck: Deck,
                 blinds: Blinds | None = None) -> None:
        """``seats``: (seat, stack) in table order, players with chips only; ``button`` is one of them."""
        if not 2 <= len(seats) <= 10:
            raise HandError("a hand needs 2 to 10 players")
        if any(stack <= 0 for _, stack in seats):
            raise HandError("every player dealt in has chips")
        order = [seat for seat, _ in seats]
        if len(set(order)) != len(order):
            raise HandError("a seat is dealt in once")
        if button not in order:
            raise HandError(f"the button seat {button} is not dealt in")
        blinds = blinds if blinds is not None else Blinds.standard(order, button)
        _check_blinds(blinds, order, rules)
        self.rules = rules
        self.order = order
        self.button = button
        self.blinds = blinds
        self.starting_stacks = dict(seats)
        self.stacks = dict(seats)
        self.contributed = {seat: 0 for seat in order}
        self.dead_money = {seat: 0 for seat in order}
        self.folded: set[int] = set()
        self.deck = deck
        self.board: list[Card] = []
        self.street = 0
        self.history: list[tuple[int, Decision]] = []  # (street, decision)
        self.log: list[Event] = []
        self.result: Result | None = None
        self.small_blind_seat = blinds.small_blind
        self.big_blind_seat = blinds.big_blind

        bets = self._post_forced_bets(blinds)
        first_hole = self._after(button)
        start = order.index(first_hole)
        dealing_order = order[start:] + order[:start]
        self.dealing_order = tuple(dealing_order)
        # One card at a time, left of the button first: card i of the deal goes to seat i mod n.
        dealt = deck.draw(rules.variant.hole_cards * len(order))
        self.hole: dict[int, list[Card]] = {seat: dealt[i::len(order)] for i, seat in enumerate(dealing_order)}
        self.hole = {seat: self.hole[seat] for seat in order}
        for seat in order:
            self.log.append(HoleDealt(seat, tuple(self.hole[seat])))
        last_forced = blinds.straddles[-1][0] if blinds.straddles else blinds.big_blind
        min_raise = max([rules.big_blind, *(amount for _, amount in blinds.straddles)])
        self._round = self._new_round(self._after(last_forced), bets, min_raise)
        self._orders = 0
        self.ran_out = False  # the board was dealt with no betting possible: hands face up
        if self._round.complete:  # the forced bets put everyone who could act all-in
            self._close_round()

    def _post(self, seat: int, kind: PostKind, asked: int) -> int:
        amount = min(asked, self.stacks[seat])
        if amount <= 0:
            return 0
        self.stacks[seat] -= amount
        self.log.append(Posted(seat, kind, amount))
        return amount

    def _post_forced_bets(self, blinds: Blinds) -> dict[int, int]:
        """Antes and dead chips go in now; the live blinds are returned as the first round's bets."""
        rules = self.rules
        bets: dict[int, int] = {}
        if rules.ante and not rules.big_blind_ante:
            for seat in self.order:
                self.contributed[seat] += self._post(seat, PostKind.ANTE, rules.ante)
        if blinds.small_blind is not None:
            bets[blinds.small_blind] = self._post(blinds.small_blind, PostKind.SMALL_BLIND, rules.small_blind)
        bets[blinds.big_blind] = self._post(blinds.big_blind, PostKind.BIG_BLIND, rules.big_blind)
        if rules.ante and rules.big_blind_ante:
            self.dead_money[blinds.big_blind] += self._post(blinds.big_blind, PostKind.BIG_BLIND_ANTE, rules.ante)
        for seat, amount in blinds.straddles:
            bets[seat] = self._post(seat, PostKind.STRADDLE, amount)
        for seat, amount in blinds.live:
            bets[seat] = self._post(seat, PostKind.LIVE, amount)
        for seat, amount in blinds.dead:
            self.dead_money[seat] += self._post(seat, PostKind.DEAD, amount)
        return bets

    def show(self, seat: int) -> Shown:
        """After the hand, a player still in it whose cards were not shown may show them."""
        if self.result is None:
            raise HandError("cards are shown voluntarily once the hand is over")
        if seat not in self.order or seat in self.folded:
            raise HandError(f"seat {seat} is not among the players who finished the hand")
        if any(isinstance(e, Shown) and e.seat == seat for e in self.log):
            raise HandError(f"seat {seat} has already shown")
        five = self._best(seat)[1] if len(self.board) == 5 else ()
        shown = Shown(seat, tuple(self.hole[seat]), five)
        self.log.append(shown)
        return shown

    def _after(self, seat: int) -> int:
        return self.order[(self.order.index(seat) + 1) % len(self.order)]

    def _new_round(self, first: int, posted: dict[int, int] | None = None, min_raise: int | None = None) -> BettingRound:
        states = []
        for seat in self.order:
            state = SeatState(seat, self.stacks[seat], folded=seat in self.folded)
            state.bet = (posted or {}).get(seat, 0)  # already taken from the stack when posted
            states.append(state)
        unit = self.rules.bet_unit(self.street)
        fixed = self.rules.structure is Structure.FIXED_LIMIT
        pot = sum(self.contributed.values()) + sum(self.dead_money.values())
        return BettingRound(self.rules.structure, states, first,
                            big_blind=unit if fixed else (min_raise or self.rules.big_blind),
                            pot=pot, bet_unit=unit, max_bets=self.rules.max_bets,
                            opening_bets=1 if self.street == 0 else 0)

    @property
    def turn(self) -> int | None:
        return None if self.result is not None else self._round.turn

    @property
    def betting(self) -> BettingRound:
        return self._round

    def act(self, seat: int, action: Action, raise_to: int | None = None) -> Decision:
        return self._act(seat, action, raise_to, timed_out=False)

    def time_out(self, seat: int) -> Decision:
        """The seat to act ran out of time or is disconnected: it folds (annex 1.3.5.e)."""
        if self.result is None and self._round.turn != seat:
            raise IllegalAction(f"not seat {seat}'s turn: seat {self._round.turn} acts")
        return self._act(seat, Action.FOLD, None, timed_out=True)

    def _act(self, seat: int, action: Action, raise_to: int | None, timed_out: bool) -> Decision:
        if self.result is not None:
            raise HandError("the hand is over")
        bet_before = self._round.current
        decision = self._round.act(seat, action, raise_to)
        self._orders += 1
        self.history.append((self.street, decision))
        self.log.append(Acted(self.street, self._orders, decision, bet_before, timed_out))
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
            self._orders = 0
            self.deck.burn()
            cards = self.deck.draw(BOARD_CARDS[self.street])
            self.board.extend(cards)
            self.log.append(BoardDealt(self.street, tuple(cards)))
            self.ran_out = len(with_chips) < 2
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

    def _best(self, seat: int) -> tuple[int, tuple[Card, ...]]:
        if self.rules.variant is Variant.OMAHA:
            return best_omaha_five(self.hole[seat], self.board)
        return best_five([*self.hole[seat], *self.board])

    def _value(self, seat: int) -> int:
        if self.rules.variant is Variant.OMAHA:
            return evaluate_omaha(self.hole[seat], self.board)
        return evaluate([*self.hole[seat], *self.board])

    def _showdown_order(self, live: list[int]) -> list[int]:
        """The last player to bet or raise on the river shows first, else the first left of the button."""
        river = [d for street, d in self.history if street == 3 and d.action is Action.RAISE]
        ring = self._seats_after_button()
        if river and river[-1].seat in live:
            start = ring.index(river[-1].seat)
            ring = ring[start:] + ring[:start]
        return [s for s in ring if s in live]

    def _finish(self, live: list[int], showdown: bool) -> None:
        values = {seat: self._value(seat) for seat in live} if showdown else {}
        settlement = settle(self.contributed, live, values if showdown else None, button=self.button,
                            seat_count=max(self.order) + 1, rake=self.rules.rake, saw_flop=self.street >= 1,
                            dead=self.dead_money)
        if showdown:
            self._show(live, values, settlement)
        final = dict(self.stacks)
        collected: dict[int, int] = {}
        for source in (settlement.returned, settlement.winnings):
            for seat, amount in source.items():
                final[seat] += amount
                collected[seat] = collected.get(seat, 0) + amount
        self.result = Result(final, settlement, showdown, values, collected)
        self.log.append(Settled(self.result))

    def _show(self, live: list[int], values: dict[int, int], settlement: Settlement) -> None:
        """Showdown: a player shows to claim a pot or when at least as good as what was shown;
        others muck. When the betting ended before the river (all-in), every hand is face up."""
        winners = {seat for pot_winners in settlement.winners for seat in pot_winners}
        best_shown: int | None = None
        for seat in self._showdown_order(live):
            if self.ran_out or best_shown is None or values[seat] >= best_shown or seat in winners:
                _, five = self._best(seat)
                self.log.append(Shown(seat, tuple(self.hole[seat]), five))
                best_shown = values[seat] if best_shown is None else max(best_shown, values[seat])
            else:
                self.log.append(Mucked(seat))


def _check_blinds(blinds: Blinds, order: Sequence[int], rules: Rules) -> None:
    dealt = set(order)
    named = [blinds.big_blind, *(s for s, _ in blinds.straddles), *(s for s, _ in blinds.live)]
    if blinds.small_blind is not None:
        named.append(blinds.small_blind)
    if not set(named) <= dealt or not {s for s, _ in blinds.dead} <= dealt:
        raise HandError("a forced bet names a seat that is not dealt in")
    if len(set(named)) != len(named):
        raise HandError("a seat posts at most one live blind")
    if blinds.small_blind == blinds.big_blind:
        raise HandError("the small and big blinds are two seats")
    if blinds.straddles and rules.structure is Structure.FIXED_LIMIT:
        raise HandError("no straddle in fixed limit")
    level = rules.big_blind
    for seat, amount in blinds.straddles:
        if amount <= level:
            raise HandError(f"the straddle of seat {seat} ({amount}) must raise the bet above {level}")
        level = amount
    if any(amount <= 0 for _, amount in (*blinds.live, *blinds.dead)):
        raise HandError("a post is a positive amount")

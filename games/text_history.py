"""A finished hand as a PokerStars-style text hand history, the form players and their
tools (trackers, replayers) read.

Built from ``Hand.log`` only. The caller gives what the referee does not know: the hand's
number, its date (``games`` has no clock), player names, the table. ``viewer`` chooses
whose hole cards appear: one seat (what that player may see again: their own cards, and
others' only when shown down) or, with ``None``, every seat (an audit's view).

Sections, as PokerStars writes them: a header (hand, game, blinds, date), the table and
the button, the seats with their stacks, the forced bets, ``*** HOLE CARDS ***``, each
street's decisions (``folds``, ``checks``, ``calls X``, ``bets X``, ``raises X to Y``,
``and is all-in``), the uncalled bet returned, ``*** SHOW DOWN ***`` (hands shown or
mucked, pots collected) and ``*** SUMMARY ***`` (pot and side pots, rake, board, what
became of each seat). A raise reads "raises <increment over the bet> to <round total>".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Mapping, Sequence

from games.betting import Action, Structure
from games.cards import Card, to_str
from games.evaluator import (FLUSH, FULL_HOUSE, HIGH_CARD, PAIR, QUADS, STRAIGHT, STRAIGHT_FLUSH, TRIPS, TWO_PAIR,
                             category_of, evaluate)
from games.hand import Acted, BoardDealt, Hand, Mucked, Posted, PostKind, Settled, Shown, Variant
from games.pots import Settlement

STREET_NAMES = ("Flop", "Turn", "River")
_RANK_NAMES = ("Deuce", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Jack", "Queen", "King",
               "Ace")
_PLURALS = ("Deuces", "Threes", "Fours", "Fives", "Sixes", "Sevens", "Eights", "Nines", "Tens", "Jacks", "Queens",
            "Kings", "Aces")
_STRUCTURE_NAMES = {Structure.NO_LIMIT: "No Limit", Structure.POT_LIMIT: "Pot Limit", Structure.FIXED_LIMIT: "Limit"}
_POSTS = {PostKind.ANTE: "posts the ante", PostKind.SMALL_BLIND: "posts small blind",
          PostKind.BIG_BLIND: "posts big blind", PostKind.BIG_BLIND_ANTE: "posts the ante",
          PostKind.STRADDLE: "posts straddle", PostKind.LIVE: "posts a live big blind",
          PostKind.DEAD: "posts a dead small blind"}


class Money:
    """Chips as the history shows them: ``unit`` is one chip's value (0.01: cents), after
    ``symbol``; whole amounts without decimals, as PokerStars writes them."""

    def __init__(self, unit: Decimal | int = 1, symbol: str = "") -> None:
        self.unit = Decimal(unit)
        self.symbol = symbol
        self.places = max(0, -int(self.unit.normalize().as_tuple().exponent))

    def __call__(self, chips: int) -> str:
        value = self.unit * chips
        text = str(int(value)) if value == value.to_integral_value() else f"{value:.{self.places}f}"
        return self.symbol + text


def cards_text(cards: Sequence[Card]) -> str:
    return "[" + " ".join(map(to_str, cards)) + "]"


def describe(value: int) -> str:
    """A hand value in PokerStars' words: "a pair of Nines", "a full house, Kings full of Nines"."""
    category = category_of(value)
    ranks = [value >> shift & 0xF for shift in (16, 12, 8, 4, 0)]
    first, second = ranks[0], ranks[1]
    if category == HIGH_CARD:
        return f"high card {_RANK_NAMES[first]}"
    if category == PAIR:
        return f"a pair of {_PLURALS[first]}"
    if category == TWO_PAIR:
        return f"two pair, {_PLURALS[first]} and {_PLURALS[second]}"
    if category == TRIPS:
        return f"three of a kind, {_PLURALS[first]}"
    if category in (STRAIGHT, STRAIGHT_FLUSH):
        low = 12 if first == 3 else first - 4  # the wheel runs from the ace to the five
        if category == STRAIGHT_FLUSH and first == 12:
            return "a Royal Flush"
        kind = "a straight" if category == STRAIGHT else "a straight flush"
        return f"{kind}, {_RANK_NAMES[low]} to {_RANK_NAMES[first]}"
    if category == FLUSH:
        return f"a flush, {_RANK_NAMES[first]} high"
    if category == FULL_HOUSE:
        return f"a full house, {_PLURALS[first]} full of {_PLURALS[second]}"
    if category == QUADS:
        return f"four of a kind, {_PLURALS[first]}"
    raise ValueError(f"not a hand value: {value}")


def _game(hand: Hand, money: Money) -> str:
    rules = hand.rules
    name = "Hold'em" if rules.variant is Variant.HOLDEM else "Omaha"
    if rules.structure is Structure.FIXED_LIMIT:  # limit games are named by their bets
        stakes = f"{money(rules.bet_unit(0))}/{money(rules.bet_unit(2))}"
    else:
        stakes = f"{money(rules.small_blind)}/{money(rules.big_blind)}"
    if rules.ante:
        stakes += f", {'big blind ante' if rules.big_blind_ante else 'ante'} {money(rules.ante)}"
    return f"{name} {_STRUCTURE_NAMES[rules.structure]} ({stakes})"


def _pot_names(settlement: Settlement) -> list[str]:
    if len(settlement.pots) == 1:
        return ["pot"]
    return ["main pot", *(f"side pot-{k}" for k in range(1, len(settlement.pots)))]


def _shares(settlement: Settlement) -> list[list[tuple[int, int]]]:
    """Each pot's (seat, chips) as the settlement paid it: odd chips to the first winners."""
    shares = []
    for pot, winners in zip(settlement.pots, settlement.winners):
        share, odd = divmod(pot.amount, len(winners))
        shares.append([(seat, share + (1 if k < odd else 0)) for k, seat in enumerate(winners)])
    return shares


class _Writer:
    def __init__(self, hand: Hand, names: Mapping[int, str], viewer: int | None, money: Money) -> None:
        assert hand.result is not None
        self.hand = hand
        self.result = hand.result
        self.names = names
        self.viewer = viewer
        self.money = money
        self.lines: list[str] = []
        # Cards shown at the showdown or, by a player who finished unseen, after the hand.
        self.shown = {e.seat: e for e in hand.log if isinstance(e, Shown)}
        self.settled_at = next(i for i, e in enumerate(hand.log) if isinstance(e, Settled))

    def name(self, seat: int) -> str:
        return self.names.get(seat, f"Player{seat}")

    def sees(self, seat: int) -> bool:
        return self.viewer is None or self.viewer == seat

    def dealing_order(self) -> list[int]:
        order = self.hand.order
        start = (order.index(self.hand.button) + 1) % len(order)
        return order[start:] + order[:start]

    def seats(self) -> None:
        hand = self.hand
        for seat in hand.order:
            self.lines.append(f"Seat {seat}: {self.name(seat)} ({self.money(hand.starting_stacks[seat])} in chips)")

    def posts(self) -> None:
        stacks = dict(self.hand.starting_stacks)
        for event in self.hand.log:
            if isinstance(event, Posted):
                stacks[event.seat] -= event.amount
                all_in = " and is all-in" if stacks[event.seat] == 0 else ""
                self.lines.append(f"{self.name(event.seat)}: {_POSTS[event.kind]} {self.money(event.amount)}{all_in}")

    def hole_cards(self) -> None:
        self.lines.append("*** HOLE CARDS ***")
        for seat in self.dealing_order():
            if self.sees(seat):
                self.lines.append(f"Dealt to {self.name(seat)} {cards_text(self.hand.hole[seat])}")

    def decision(self, event: Acted) -> None:
        decision, name, money = event.decision, self.name(event.decision.seat), self.money
        if decision.action is Action.FOLD:
            if event.timed_out:
                self.lines.append(f"{name} has timed out")
            self.lines.append(f"{name}: folds")
            return
        if decision.action is Action.CHECK:
            text = "checks"
        elif decision.action is Action.CALL:
            text = f"calls {money(decision.added)}"
        elif event.bet_before == 0:
            text = f"bets {money(decision.bet_to)}"
        else:
            text = f"raises {money(decision.bet_to - event.bet_before)} to {money(decision.bet_to)}"
        self.lines.append(f"{name}: {text}" + (" and is all-in" if decision.all_in else ""))

    def street(self, event: BoardDealt, board: list[Card]) -> None:
        title = STREET_NAMES[event.street - 1].upper()
        before = f"{cards_text(board)} " if board else ""
        self.lines.append(f"*** {title} *** {before}{cards_text(event.cards)}")

    def returned(self) -> None:
        for seat, chips in self.result.settlement.returned.items():
            self.lines.append(f"Uncalled bet ({self.money(chips)}) returned to {self.name(seat)}")

    def play(self) -> None:
        log = self.hand.log
        last_decision = max((i for i, e in enumerate(log) if isinstance(e, Acted)), default=None)
        if last_decision is None:  # the forced bets ended the betting
            self.returned()
        board: list[Card] = []
        for i, event in enumerate(log):
            if isinstance(event, Acted):
                self.decision(event)
            elif isinstance(event, BoardDealt):
                self.street(event, board)
                board.extend(event.cards)
            if i == last_decision:
                self.returned()

    def showdown(self) -> None:
        names = _pot_names(self.result.settlement)
        log = self.hand.log
        if self.result.showdown:
            self.lines.append("*** SHOW DOWN ***")
            for event in log[:self.settled_at]:
                if isinstance(event, Shown):
                    self.lines.append(f"{self.name(event.seat)}: shows {cards_text(event.cards)}{self.words(event)}")
                elif isinstance(event, Mucked):
                    self.lines.append(f"{self.name(event.seat)}: mucks hand")
        for pot_name, shares in zip(names, _shares(self.result.settlement)):
            for seat, chips in shares:
                self.lines.append(f"{self.name(seat)} collected {self.money(chips)} from {pot_name}")
        for event in log[self.settled_at:]:
            if isinstance(event, Shown):  # shown by choice once the hand was over
                self.lines.append(f"{self.name(event.seat)}: shows {cards_text(event.cards)}{self.words(event)}")
        if not self.result.showdown:
            winner = next(s for s in self.hand.order if s not in self.hand.folded)
            if winner not in self.shown:
                self.lines.append(f"{self.name(winner)}: doesn't show hand")

    @staticmethod
    def words(event: Shown, form: str = " ({})") -> str:
        """The hand in words, when it was shown with a full board."""
        return form.format(describe(evaluate(event.best_five))) if len(event.best_five) == 5 else ""

    def summary(self) -> None:
        settlement, money = self.result.settlement, self.money
        self.lines.append("*** SUMMARY ***")
        total = sum(pot.amount for pot in settlement.pots) + settlement.rake
        pots = ""
        if len(settlement.pots) > 1:
            pots = " " + " ".join(f"{name[0].upper()}{name[1:]} {money(pot.amount)}."
                                  for name, pot in zip(_pot_names(settlement), settlement.pots))
        self.lines.append(f"Total pot {money(total)}{pots} | Rake {money(settlement.rake)}")
        if self.hand.board:
            self.lines.append(f"Board {cards_text(self.hand.board)}")
        for seat in self.hand.order:
            self.lines.append(f"Seat {seat}: {self.name(seat)}{self.roles(seat)} {self.fate(seat)}")

    def roles(self, seat: int) -> str:
        hand = self.hand
        roles = [("button", hand.button), ("small blind", hand.small_blind_seat), ("big blind", hand.big_blind_seat)]
        return "".join(f" ({role})" for role, holder in roles if holder == seat)

    def fate(self, seat: int) -> str:
        won = self.result.settlement.winnings.get(seat, 0)
        folds = [e for e in self.hand.log if isinstance(e, Acted) and e.decision.seat == seat
                 and e.decision.action is Action.FOLD]
        if folds:
            street = folds[0].street
            if street == 0:
                # PokerStars' "didn't bet": no blind and no chip put in by choice (antes do not count).
                put_in = sum(e.amount for e in self.hand.log if isinstance(e, Posted) and e.seat == seat
                             and e.kind not in (PostKind.ANTE, PostKind.BIG_BLIND_ANTE)) + sum(
                    e.decision.added for e in self.hand.log if isinstance(e, Acted) and e.decision.seat == seat)
                return "folded before Flop" + (" (didn't bet)" if put_in == 0 else "")
            return f"folded on the {STREET_NAMES[street - 1]}"
        if seat in self.shown:
            event = self.shown[seat]
            how = self.words(event, " with {}")
            if won:
                return f"showed {cards_text(event.cards)} and won ({self.money(won)}){how}"
            return f"showed {cards_text(event.cards)} and lost{how}"
        if self.result.showdown:
            return "mucked" + (f" {cards_text(self.hand.hole[seat])}" if self.sees(seat) else "")
        return f"collected ({self.money(won)})"


def text_history(hand: Hand, *, hand_id: str | int, when: dt.datetime, names: Mapping[int, str] | None = None,
                 viewer: int | None = None, table: str = "Croupier", room: str = "Croupier",
                 seat_count: int | None = None, unit: Decimal | int = 1, symbol: str = "",
                 currency: str | None = None) -> str:
    """The history of a finished hand; ``viewer`` None shows every seat's hole cards."""
    if hand.result is None:
        raise ValueError("the hand is not over")
    if viewer is not None and viewer not in hand.order:
        raise ValueError(f"seat {viewer} was not dealt in")
    money = Money(unit, symbol)
    writer = _Writer(hand, names or {}, viewer, money)
    zone = f" {when.tzname()}" if when.tzinfo is not None else ""
    game = _game(hand, money)
    if currency:
        game = game[:-1] + f" {currency})"
    writer.lines.append(f"{room} Hand #{hand_id}: {game} - {when:%Y/%m/%d %H:%M:%S}{zone}")
    size = f" {seat_count}-max" if seat_count else ""
    writer.lines.append(f"Table '{table}'{size} Seat #{hand.button} is the button")
    writer.seats()
    writer.posts()
    writer.hole_cards()
    writer.play()
    writer.showdown()
    writer.summary()
    return "\n".join(writer.lines) + "\n"

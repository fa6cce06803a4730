"""A running tournament: tables, stacks, busts, moves, and at the end the prizes.

The server drives it, one call per event, passing the time of each (``now``):

- :meth:`Tournament.start_hand` when a table is ready: it refuses during a break, with
  fewer than two players with chips, or while hand-for-hand play waits for other
  tables; otherwise it fixes the hand's level (a level change takes effect at the next
  hand), the button (moving button) and who is dealt in with what;
- :meth:`Tournament.finish_hand` with the hand engine's final stacks: it records busts
  (or seats awaiting a rebuy), closes hand-for-hand rounds, breaks and balances tables,
  and says when the tournament is over;
- :meth:`rebuy`, :meth:`add_on`, :meth:`decline_rebuy`, :meth:`register_late`,
  :meth:`refresh` (the clock moved: a rebuy period ended, late registration closed),
  :meth:`cancel`.

Hand-paced levels count the most hands started at any one table, so every table plays
the same level and a level never goes back (for a sit-and-go: the table's hand count).
The field (entrants) is final once late registration is over; finishing places count
from the winner, so they are known for busted players once the field is final.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum
from typing import Mapping, Sequence

from games.tournament.balancing import Move, TableView, plan
from games.tournament.cancellation import CancellationSettlement, CancelPolicy, chip_split, refund_all
from games.tournament.chooser import Chooser, pick
from games.tournament.errors import TournamentError
from games.tournament.hand_for_hand import HandForHand, due
from games.tournament.ledger import Ledger, Purchase, PurchaseKind
from games.tournament.payouts import DEFAULT_PAYOUTS, PayoutTable
from games.tournament.places import Award, Bust, Finish, awards, finishes
from games.tournament.rebuys import AddOnRule, RebuyRule
from games.tournament.registration import RegistrationRules
from games.tournament.seating import first_seating, next_positions, worst_seat
from games.tournament.structure import BlindLevel, Schedule


@dataclass(frozen=True)
class TournamentRules:
    registration: RegistrationRules
    schedule: Schedule
    max_seats: int = 9
    payouts: PayoutTable = DEFAULT_PAYOUTS
    rebuy: RebuyRule | None = None
    add_on: AddOnRule | None = None

    def __post_init__(self) -> None:
        if not 2 <= self.max_seats <= 10:
            raise TournamentError("a table seats 2 to 10 players")


class Standing(Enum):
    IN = "in"
    AWAITING_REBUY = "awaiting_rebuy"  # busted in the rebuy period, seat kept until they decide
    OUT = "out"


class Phase(Enum):
    RUNNING = "running"
    FINISHED = "finished"
    CANCELLED = "cancelled"


@dataclass
class PlayerState:
    player: str
    stack: int
    table: int | None
    seat: int | None
    standing: Standing = Standing.IN
    rebuys: int = 0
    added_on: bool = False
    pending_bust: Bust | None = None  # awaiting a rebuy: how they went out, if they do


@dataclass
class RunningHand:
    players: dict[int, str]  # seat -> player dealt in
    starting: dict[int, int]  # seat -> chips at the start
    level_index: int
    in_round: bool  # started as part of a hand-for-hand round


@dataclass
class TableState:
    table: int
    seats: dict[int, str]  # seat -> player, everyone seated (awaiting a rebuy included)
    last_button: int | None
    hands: int = 0
    hand: RunningHand | None = None
    last_hand_level: int | None = None


@dataclass(frozen=True)
class HandStart:
    """What the server needs to build the hand: ``Hand(level.rules(...), dealt, button,
    deck, Blinds.standard([seat for seat, _ in dealt], button))``."""

    table: int
    level_number: int  # from 1
    level: BlindLevel
    button: int
    dealt: tuple[tuple[int, int], ...]  # (seat, stack) in seat order
    players: dict[int, str]  # seat -> player


@dataclass(frozen=True)
class Outcome:
    busted: tuple[Bust, ...] = ()  # out for good, in the order recorded
    awaiting_rebuy: tuple[str, ...] = ()  # out of chips, may still rebuy
    moves: tuple[Move, ...] = ()
    broken: tuple[int, ...] = ()  # tables closed
    final_table: bool = False  # the last break just left one table
    hand_for_hand: bool = False  # hand-for-hand play is on
    finished: bool = False

    def then(self, later: Outcome) -> Outcome:
        return Outcome(self.busted + later.busted, self.awaiting_rebuy + later.awaiting_rebuy,
                       self.moves + later.moves, self.broken + later.broken,
                       self.final_table or later.final_table, later.hand_for_hand, later.finished)


@dataclass(frozen=True)
class LateEntry:
    purchase: Purchase
    table: int
    seat: int
    outcome: Outcome


@dataclass
class _Bookkeeping:
    groups: list[tuple[Bust, ...]] = field(default_factory=list)  # bust groups, in order
    round_busts: list[Bust] = field(default_factory=list)  # this hand-for-hand round's
    hands_high: int = 0
    next_table: int = 1


class Tournament:
    def __init__(self, rules: TournamentRules, entries: Sequence[Purchase], started_at: datetime,
                 chooser: Chooser) -> None:
        """``entries``: the buy-ins from ``Registration.decide``; seats are drawn with ``chooser``."""
        players = [e.player for e in entries]
        if any(e.kind is not PurchaseKind.BUY_IN for e in entries) or len(set(players)) != len(players):
            raise TournamentError("one buy-in per entrant")
        if not 2 <= len(players) <= rules.registration.max_players:
            raise TournamentError(f"2 to {rules.registration.max_players} entrants")
        self.rules = rules
        self.started_at = started_at
        self.chooser = chooser
        self.phase = Phase.RUNNING
        self.ledger = Ledger(entries)
        self.hand_for_hand = HandForHand()
        self._books = _Bookkeeping()
        chips = rules.registration.entry.chips
        self.players: dict[str, PlayerState] = {}
        self.tables: dict[int, TableState] = {}
        for seated in first_seating(players, rules.max_seats, chooser):
            self.tables[seated.table] = TableState(seated.table, dict(seated.seats), seated.last_button)
            for seat, player in seated.seats.items():
                self.players[player] = PlayerState(player, chips, seated.table, seat)
        self._books.next_table = max(self.tables) + 1
        self.winner: str | None = None

    # -- the clock ---------------------------------------------------------------------------------

    def elapsed(self, now: datetime) -> float:
        return (now - self.started_at).total_seconds()

    def level_index(self, now: datetime) -> int:
        return self.rules.schedule.level_index(self.elapsed(now), self._books.hands_high)

    def level(self, now: datetime) -> BlindLevel:
        return self.rules.schedule.levels[self.level_index(now)]

    def on_break(self, now: datetime) -> bool:
        return self.rules.schedule.on_break(self.elapsed(now))

    # -- the field ---------------------------------------------------------------------------------

    @property
    def entrants(self) -> int:
        return len(self.ledger.players)

    @property
    def prize_pool(self) -> int:
        return self.ledger.prize_pool

    @property
    def remaining(self) -> int:
        return sum(1 for p in self.players.values() if p.standing is not Standing.OUT)

    @property
    def places_paid(self) -> int:
        return self.rules.payouts.places_paid(self.entrants)

    def late_registration_open(self, now: datetime) -> bool:
        return (self.phase is Phase.RUNNING and not self.hand_for_hand.on
                and self.entrants < self.rules.registration.max_players
                and self.rules.registration.late_registration_open(self.level_index(now)))

    def field_final(self, now: datetime) -> bool:
        return not self.late_registration_open(now)

    def seating(self) -> dict[int, dict[int, str]]:
        return {number: dict(sorted(t.seats.items())) for number, t in sorted(self.tables.items())}

    def _playing(self) -> set[int]:
        return {number for number, t in self.tables.items() if t.hand is not None}

    def _dealable(self, table: TableState) -> dict[int, str]:
        return {seat: player for seat, player in sorted(table.seats.items())
                if self.players[player].standing is Standing.IN and self.players[player].stack > 0}

    # -- hands -------------------------------------------------------------------------------------

    def why_not_start(self, table: int, now: datetime) -> str | None:
        if self.phase is not Phase.RUNNING:
            return f"the tournament is {self.phase.value}"
        if table not in self.tables:
            return f"no table {table}"
        state = self.tables[table]
        if state.hand is not None:
            return "a hand is running at this table"
        if self.on_break(now):
            return "on a break"
        if len(self._dealable(state)) < 2:
            return "fewer than two players with chips"
        self._hand_for_hand_check(now)
        if not self.hand_for_hand.may_start(table, self._playing()):
            return "hand-for-hand: waiting for the other tables"
        return None

    def start_hand(self, table: int, now: datetime) -> HandStart:
        reason = self.why_not_start(table, now)
        if reason is not None:
            raise TournamentError(reason)
        state = self.tables[table]
        dealt = self._dealable(state)
        positions = next_positions(dealt, state.last_button)
        assert positions is not None
        level_index = self.level_index(now)  # counts the hands started before this one
        state.last_button = positions.button
        state.hands += 1
        self._books.hands_high = max(self._books.hands_high, state.hands)
        in_round = self.hand_for_hand.start(table)
        starting = {seat: self.players[player].stack for seat, player in dealt.items()}
        state.hand = RunningHand(dict(dealt), starting, level_index, in_round)
        state.last_hand_level = level_index
        return HandStart(table, level_index + 1, self.rules.schedule.levels[level_index], positions.button,
                         tuple(starting.items()), dict(dealt))

    def finish_hand(self, table: int, final_stacks: Mapping[int, int], now: datetime) -> Outcome:
        """``final_stacks``: seat -> chips after the hand (``Hand.result.final_stacks``)."""
        state = self.tables.get(table)
        if state is None or state.hand is None:
            raise TournamentError(f"no hand running at table {table}")
        hand = state.hand
        if set(final_stacks) != set(hand.players):
            raise TournamentError("final stacks are given for exactly the seats dealt in")
        if any(chips < 0 for chips in final_stacks.values()):
            raise TournamentError("a stack is never negative")
        if sum(final_stacks.values()) != sum(hand.starting.values()):
            raise TournamentError("a tournament hand neither creates nor destroys chips")
        state.hand = None
        level_index = self.level_index(now)
        busted: list[Bust] = []
        awaiting: list[str] = []
        for seat, player in sorted(hand.players.items()):
            p = self.players[player]
            p.stack = final_stacks[seat]
            if p.stack:
                continue
            bust = Bust(player, hand.starting[seat], table, seat)
            if self.rules.rebuy is not None and self.rules.rebuy.may_still_rebuy(level_index, p.rebuys):
                p.standing, p.pending_bust = Standing.AWAITING_REBUY, bust
                awaiting.append(player)
            else:
                self._out(p)
                busted.append(bust)
        self._record(busted, in_round=hand.in_round)
        return Outcome(busted=tuple(busted), awaiting_rebuy=tuple(awaiting)).then(self._settle(now))

    def refresh(self, now: datetime) -> Outcome:
        """The clock moved: end an expired rebuy period, start hand-for-hand play, move players."""
        if self.phase is not Phase.RUNNING:
            return Outcome(finished=self.phase is Phase.FINISHED)
        return self._settle(now)

    # -- rebuys, add-on, late entries --------------------------------------------------------------

    def rebuy(self, player: str, now: datetime) -> Purchase:
        rule = self.rules.rebuy
        p = self._player(player)
        if rule is None:
            raise TournamentError("no rebuys in this tournament")
        self._between_hands(p)
        reason = rule.refusal(self.level_index(now), p.stack, p.rebuys)
        if reason is not None:
            raise TournamentError(reason)
        purchase = self.ledger.add(Purchase.of(player, PurchaseKind.REBUY, rule.cost))
        p.stack += purchase.chips
        p.rebuys += 1
        p.standing, p.pending_bust = Standing.IN, None
        return purchase

    def revert(self, purchase: Purchase, before: PlayerState) -> None:
        """Undo a rebuy or add-on whose payment failed, ``before`` being :meth:`snapshot` taken
        just ahead of it. The caller keeps the player out of hands in between."""
        p = self.players[purchase.player]
        if purchase.kind is PurchaseKind.BUY_IN or p.stack < purchase.chips:
            raise TournamentError("only a rebuy or an add-on whose chips are still there is reverted")
        self.ledger.remove(purchase)
        p.stack, p.rebuys, p.added_on = before.stack, before.rebuys, before.added_on
        p.standing, p.pending_bust = before.standing, before.pending_bust

    def snapshot(self, player: str) -> PlayerState:
        return replace(self.players[player])

    def decline_rebuy(self, player: str, now: datetime) -> Outcome:
        p = self._player(player)
        if p.standing is not Standing.AWAITING_REBUY or p.pending_bust is None:
            raise TournamentError(f"{player} is not awaiting a rebuy")
        bust = p.pending_bust
        self._out(p)
        self._record([bust], in_round=False)
        return Outcome(busted=(bust,)).then(self._settle(now))

    def add_on(self, player: str, now: datetime) -> Purchase:
        rule = self.rules.add_on
        p = self._player(player)
        if rule is None:
            raise TournamentError("no add-on in this tournament")
        if p.standing is not Standing.IN:
            raise TournamentError("the add-on is for players with chips (rebuy first)")
        self._between_hands(p)
        assert p.table is not None
        reason = rule.refusal(self.level_index(now), self.tables[p.table].last_hand_level, p.added_on)
        if reason is not None:
            raise TournamentError(reason)
        purchase = self.ledger.add(Purchase.of(player, PurchaseKind.ADD_ON, rule.cost))
        p.stack += purchase.chips
        p.added_on = True
        return purchase

    def register_late(self, player: str, now: datetime) -> LateEntry:
        """A late entry: seated at the table with the fewest players, in its worst seat, or
        at a new table (random seat) when every table is full; balancing then fills it."""
        if not self.late_registration_open(now):
            raise TournamentError("late registration is closed")
        if player in self.ledger.players:
            raise TournamentError(f"{player} has already entered")
        purchase = self.ledger.add(Purchase.of(player, PurchaseKind.BUY_IN, self.rules.registration.entry))
        max_seats = self.rules.max_seats
        open_tables = [t for t in self.tables.values() if len(t.seats) < max_seats]
        if open_tables:
            table = min(open_tables, key=lambda t: (len(t.seats), t.table))
            seat = worst_seat(table.seats, table.last_button, max_seats)
        else:
            table = TableState(self._books.next_table, {}, None)
            self._books.next_table += 1
            self.tables[table.table] = table
            seat = pick(range(1, max_seats + 1), self.chooser)
        table.seats[seat] = player
        self.players[player] = PlayerState(player, purchase.chips, table.table, seat)
        outcome = self._settle(now)
        p = self.players[player]
        assert p.table is not None and p.seat is not None
        return LateEntry(purchase, p.table, p.seat, outcome)

    # -- the end -----------------------------------------------------------------------------------

    def standings(self) -> list[Finish]:
        """Places of the players out (and the winner), best first; only once the field is final:
        call after the tournament is over, or when late registration has closed."""
        placed = finishes(self._books.groups, max(self.remaining, 1))
        if self.winner is not None:
            placed.insert(0, Finish(self.winner, 1, 1))
        return placed

    def payouts(self) -> tuple[Award, ...]:
        """The prizes (POGAIN: position, player, cents), adding up to the prize pool."""
        if self.phase is not Phase.FINISHED:
            raise TournamentError("the prizes are known when one player remains")
        amounts = self.rules.payouts.amounts(self.prize_pool, self.entrants)
        return tuple(awards(amounts, self.standings()))

    def cancel(self, now: datetime, policy: CancelPolicy) -> CancellationSettlement:
        """The operator stops the tournament (see ``games.tournament.cancellation``)."""
        if self.phase is not Phase.RUNNING:
            raise TournamentError(f"the tournament is {self.phase.value}")
        self.phase = Phase.CANCELLED
        for state in self.tables.values():
            state.hand = None  # void: stacks are those from before it
        if policy is CancelPolicy.REFUND:
            return refund_all(self.ledger.refunds())
        self._seal_round()
        seated = sorted((p.table or 0, p.seat or 0, name) for name, p in self.players.items()
                        if p.standing is not Standing.OUT)
        still_in = [(name, self.players[name].stack) for _, _, name in seated]  # odd cents: table, seat
        amounts = self.rules.payouts.amounts(self.prize_pool, self.entrants)
        return chip_split(self.prize_pool, amounts, finishes(self._books.groups, len(still_in)), still_in)

    # -- inside ------------------------------------------------------------------------------------

    def _player(self, player: str) -> PlayerState:
        if self.phase is not Phase.RUNNING:
            raise TournamentError(f"the tournament is {self.phase.value}")
        p = self.players.get(player)
        if p is None or p.standing is Standing.OUT:
            raise TournamentError(f"{player} is not in the tournament")
        return p

    def _between_hands(self, p: PlayerState) -> None:
        assert p.table is not None
        hand = self.tables[p.table].hand
        if hand is not None and p.seat in hand.players:
            raise TournamentError("chips are added between hands: wait for the end of this one")

    def _out(self, p: PlayerState) -> None:
        assert p.table is not None and p.seat is not None
        del self.tables[p.table].seats[p.seat]
        p.standing, p.pending_bust, p.table, p.seat = Standing.OUT, None, None, None

    def _record(self, busted: Sequence[Bust], in_round: bool) -> None:
        if in_round:
            self._books.round_busts.extend(busted)
        elif busted:
            self._books.groups.append(tuple(busted))

    def _seal_round(self) -> None:
        if self._books.round_busts:
            self._books.groups.append(tuple(self._books.round_busts))
            self._books.round_busts = []

    def _expire_rebuys(self, now: datetime) -> list[Bust]:
        rule = self.rules.rebuy
        if rule is None or rule.in_period(self.level_index(now)):
            return []
        expired = []
        for p in self.players.values():
            if p.standing is Standing.AWAITING_REBUY and p.pending_bust is not None:
                expired.append(p.pending_bust)
                self._out(p)
        self._record(expired, in_round=False)
        return expired

    def _hand_for_hand_check(self, now: datetime) -> None:
        """Close a finished round, end hand-for-hand once the bubble burst, or begin it."""
        h4h = self.hand_for_hand
        can_deal = {n for n, t in self.tables.items() if len(self._dealable(t)) >= 2}
        if h4h.round_over(self._playing(), can_deal):
            self._seal_round()
            h4h.next_round()
        if h4h.on and not h4h.dealt and self.remaining <= self.places_paid:
            h4h.on = False
        elif not h4h.on and due(self.remaining, self.places_paid, self.field_final(now)):
            h4h.on = True
            h4h.next_round()

    def _settle(self, now: datetime) -> Outcome:
        expired = tuple(self._expire_rebuys(now))
        self._hand_for_hand_check(now)
        awaiting = any(p.standing is Standing.AWAITING_REBUY for p in self.players.values())
        if self.remaining == 1 and not awaiting:
            self._seal_round()
            self.winner = next(n for n, p in self.players.items() if p.standing is Standing.IN)
            self.phase = Phase.FINISHED
            return Outcome(busted=expired, finished=True)
        playing = self._playing()
        if self.hand_for_hand.on and playing:
            return Outcome(busted=expired, hand_for_hand=True)  # tables move between rounds only
        tables_before = len(self.tables)
        views = [TableView(n, dict(t.seats), t.last_button, idle=t.hand is None) for n, t in self.tables.items()]
        result = plan(views, self.rules.max_seats)
        for view in result.tables:
            self.tables[view.table].seats = view.seats
        for number in result.broken:
            del self.tables[number]
        for move in result.moves:
            p = self.players[move.player]
            p.table, p.seat = move.to_table, move.to_seat
        final_table = tables_before > 1 and len(self.tables) == 1
        return Outcome(busted=expired, moves=result.moves, broken=result.broken, final_table=final_table,
                       hand_for_hand=self.hand_for_hand.on)

"""One betting round: whose turn, what is legal, what each action does.

No-limit, pot-limit and fixed-limit, with chips as integers. The rules a referee applies:

- a player acts when it is their turn: they have not acted since the last full raise, or
  someone has bet more than they have;
- checking needs nothing to call; calling puts in what is missing, or the whole stack;
- a raise must add at least the last full raise (the big blind for the round's first
  bet); going all-in for less is allowed, but such a short all-in does not reopen the
  betting: players who had already called or raised may then only call or fold, until
  the bet has grown by a full raise since they acted (short all-ins add up); a player who
  only checked may raise any bet;
- pot limit: a raise may reach the current bet plus the pot after calling;
- fixed limit: bets and raises are one betting unit each, at most ``max_bets`` per round
  (the opening bet, or the big blind pre-flop, counting as the first; a short all-in
  counts too); the limit rooms' half-bet rule: an all-in of at least half a bet counts
  as a full bet or raise and reopens the betting, a smaller one does not;
- blinds and antes are posted before the round (``bets``): posting is not acting, so the
  big blind keeps its option to raise when everybody calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Sequence


class Structure(Enum):
    NO_LIMIT = "NL"
    POT_LIMIT = "PL"
    FIXED_LIMIT = "FL"


class Action(Enum):
    FOLD = "fold"
    CHECK = "check"
    CALL = "call"
    RAISE = "raise"  # a bet or a raise, to a total for the round ("raise to")


class IllegalAction(ValueError):
    """Refused, with the reason; the round is unchanged."""


@dataclass
class SeatState:
    seat: int
    stack: int  # chips behind
    bet: int = 0  # chips put in this round
    folded: bool = False

    @property
    def all_in(self) -> bool:
        return self.stack == 0 and not self.folded


@dataclass(frozen=True)
class Legal:
    seat: int
    can_check: bool
    call: int  # chips a call adds (0 when checking is possible)
    min_raise_to: int | None  # None: no raise possible
    max_raise_to: int | None


@dataclass(frozen=True)
class Decision:
    seat: int
    action: Action
    added: int  # chips this action put in
    bet_to: int  # the seat's total for the round afterwards
    all_in: bool


class BettingRound:
    def __init__(self, structure: Structure, seats: Sequence[SeatState], first_to_act: int, *, big_blind: int,
                 pot: int = 0, bet_unit: int | None = None, max_bets: int = 4, opening_bets: int = 0) -> None:
        """``seats`` in table order with blinds already in ``bet``; ``pot``: chips from the
        previous rounds; ``opening_bets``: bets already counted towards the fixed-limit cap
        (1 pre-flop, for the big blind)."""
        if len({s.seat for s in seats}) != len(seats) or len(seats) < 2:
            raise ValueError("a round needs two or more distinct seats")
        self.structure = structure
        self.seats = list(seats)
        self._by_seat = {s.seat: s for s in self.seats}
        self.big_blind = big_blind
        self.pot = pot
        self.bet_unit = bet_unit if bet_unit is not None else big_blind
        self.max_bets = max_bets
        self.bets_made = opening_bets
        self.full_raises = 0  # bets and raises of at least a full raise this round
        self.current = max(s.bet for s in self.seats)
        self.last_raise = big_blind  # the size a raise must add at least
        self._acted: set[int] = set()  # acted since the last full raise
        # The bet each seat last called or raised to (None after a check): a seat may raise
        # again once the bet has grown by a full raise since, short all-ins adding up.
        self._answered: dict[int, int | None] = {}
        self.history: list[Decision] = []
        self._legal: Legal | None = None
        if first_to_act not in self._by_seat:
            raise ValueError(f"seat {first_to_act} is not in the round")
        self._turn: int | None = self._next_after(first_to_act, include_start=True)

    # -- state -----------------------------------------------------------------------------------

    def _in_hand(self) -> list[SeatState]:
        return [s for s in self.seats if not s.folded]

    def _needs_to_act(self, s: SeatState) -> bool:
        return not s.folded and s.stack > 0 and (s.seat not in self._acted or s.bet < self.current)

    def _next_after(self, seat: int, include_start: bool = False) -> int | None:
        in_hand = self._in_hand()
        if len(in_hand) < 2:
            return None
        with_chips = sum(1 for o in in_hand if o.stack > 0)
        index = next(i for i, s in enumerate(self.seats) if s.seat == seat)
        order = self.seats[index:] + self.seats[:index] if include_start else self.seats[index + 1:] + self.seats[:index + 1]
        for s in order:
            if self._needs_to_act(s):
                # A lone player with chips facing no bet has nobody to bet against
                # (s needs to act, so s has chips: the others with chips number one less).
                if with_chips == 1 and s.bet >= self.current:
                    return None
                return s.seat
        return None

    @property
    def turn(self) -> int | None:
        """The seat to act, or None when the round is over."""
        return self._turn

    @property
    def complete(self) -> bool:
        return self._turn is None

    def legal(self) -> Legal:
        if self._turn is None:
            raise IllegalAction("the betting round is over")
        if self._legal is None or self._legal.seat != self._turn:  # asked again before acting: same answer
            s = self._by_seat[self._turn]
            call = min(self.current - s.bet, s.stack)
            can_check = s.bet >= self.current
            min_to, max_to = self._raise_bounds(s)
            self._legal = Legal(s.seat, can_check, 0 if can_check else call, min_to, max_to)
        return self._legal

    def _raise_bounds(self, s: SeatState) -> tuple[int | None, int | None]:
        everything = s.bet + s.stack
        # A raise needs someone who could put in more than the current bet to answer it.
        answerable = [o for o in self._in_hand() if o is not s and o.stack > 0 and o.bet + o.stack > self.current]
        answered = self._answered.get(s.seat)
        reopened = answered is None or self._is_full(self.current - answered)
        if everything <= self.current or not reopened or not answerable:
            return None, None  # cannot add to the bet, betting not reopened, or nobody to raise
        if self.structure is Structure.FIXED_LIMIT:
            if self.bets_made >= self.max_bets:
                return None, None
            target = self.current + self.bet_unit
            return min(target, everything), min(target, everything)
        minimum = self.current + self.last_raise
        if self.structure is Structure.POT_LIMIT:
            on_table = sum(o.bet for o in self.seats)
            maximum = self.current + self.pot + on_table + (self.current - s.bet)
        else:
            maximum = everything
        maximum = min(maximum, everything)
        return min(minimum, everything), maximum

    def _is_full(self, increment: int) -> bool:
        """Whether a raise by ``increment`` (or short all-ins adding up to it) reopens the betting.

        Fixed limit follows the limit rooms' half-bet rule: an all-in of at least half a bet
        counts as a full bet or raise."""
        if self.structure is Structure.FIXED_LIMIT:
            return 2 * increment >= self.bet_unit
        return increment >= self.last_raise

    # -- actions ---------------------------------------------------------------------------------

    def act(self, seat: int, action: Action, raise_to: int | None = None) -> Decision:
        if self._turn is None:
            raise IllegalAction("the betting round is over")
        if seat not in self._by_seat:
            raise IllegalAction(f"seat {seat} is not in this hand")
        s = self._by_seat[seat]
        if s.folded:
            raise IllegalAction(f"seat {seat} has folded")
        if seat != self._turn:
            raise IllegalAction(f"not seat {seat}'s turn: seat {self._turn} acts")
        legal = self.legal()
        if action is not Action.RAISE and raise_to is not None:
            raise IllegalAction(f"{action.value} takes no amount")
        if action is Action.FOLD:
            s.folded = True
            added = 0
        elif action is Action.CHECK:
            if not legal.can_check:
                raise IllegalAction(f"cannot check facing a bet: {legal.call} to call")
            added = 0
        elif action is Action.CALL:
            if legal.can_check:
                raise IllegalAction("nothing to call: check or bet")
            added = legal.call
        else:
            if raise_to is None:
                raise IllegalAction("a raise needs the total to raise to")
            if legal.min_raise_to is None or legal.max_raise_to is None:
                raise IllegalAction("raising is not allowed here (betting not reopened, cap reached or no chips)")
            all_in_to = s.bet + s.stack
            if raise_to > legal.max_raise_to:
                raise IllegalAction(f"raise to {raise_to} is above the maximum {legal.max_raise_to}")
            if raise_to < legal.min_raise_to and raise_to != all_in_to:
                raise IllegalAction(f"raise to {raise_to} is below the minimum {legal.min_raise_to}")
            if raise_to <= self.current:
                raise IllegalAction(f"raise to {raise_to} does not exceed the current bet {self.current}")
            increment = raise_to - self.current
            added = raise_to - s.bet
            full = self._is_full(increment)
            if full:
                self.full_raises += 1
                self.last_raise = max(self.last_raise, increment) if self.structure is not Structure.FIXED_LIMIT \
                    else self.bet_unit
                self._acted = set()
            self.bets_made += 1  # every bet or raise counts towards the fixed-limit cap, short ones too
            self.current = raise_to
        s.stack -= added
        s.bet += added
        self._acted.add(seat)
        if action is not Action.FOLD:
            self._answered[seat] = None if action is Action.CHECK else self.current
        decision = Decision(seat, action, added, s.bet, s.stack == 0 and not s.folded)
        self.history.append(decision)
        self._legal = None
        self._turn = self._next_after(seat)
        return decision

    def uncalled_excess(self) -> tuple[int, int] | None:
        """After the round: the seat whose bet nobody matched, and by how much."""
        bets = sorted(((s.bet, s.seat) for s in self.seats), reverse=True)
        if len(bets) > 1 and bets[0][0] > bets[1][0]:
            return bets[0][1], bets[0][0] - bets[1][0]
        return None

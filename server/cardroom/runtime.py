"""One cash table in play: seats, the hand loop, the action clock, and what each seat is told.

The engine (games.hand) referees the hand; this adds the table's time and people. It
talks to the outside through a :class:`TableListener` (money, persistence, traces) and
sends every player only what their seat may see: their own hole cards, public actions
and board, and other players' cards once shown down. Every message for a hand carries
the hand's id so a client can tell hands apart.

Clock: each decision has ``decision_seconds``; a warning goes out when a third is left;
when it runs out the seat folds (annex 1.3.5.e), connected or not. A player disconnected
at the end of a hand sits out; one who has not come back after ``absent_seconds`` is
stood up and paid back by the listener.

Time bank (optional, ``time_bank_seconds`` > 0): each seat holds a bank, full when it sits
down, topped up by ``time_bank_refill_seconds`` for every hand it is dealt (never above
``time_bank_seconds``). When a decision's clock runs out and the bank is not empty, the seat
gets the whole bank as extra time instead of folding; what it does not use stays for later
decisions, and it folds when the bank runs out. A disconnected or sitting-out seat never
draws on its bank: its clock folds it at once, and a player who drops while on the bank
folds then; a dropped connection never holds the table up longer than one decision.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Protocol

from games.betting import Action, IllegalAction
from games.button import SeatStatus, plan_hand, sit_back_in
from games.cards import to_str
from games.dealer import Dealer
from games.hand import Acted, Blinds, BoardDealt, Hand, HandError, Mucked, Posted, Rules, Settled, Shown
from games.hand_views import SeatView, seat_view


@dataclass(frozen=True)
class TableConfig:
    table_id: str
    name: str
    rules: Rules
    seats: int
    buy_in_min: int  # cents
    buy_in_max: int
    decision_seconds: float = 20.0
    between_hands_seconds: float = 2.0
    absent_seconds: float = 120.0
    time_bank_seconds: float = 0.0  # 0: no time bank
    time_bank_refill_seconds: float = 0.0  # added per hand dealt, capped at time_bank_seconds

    @property
    def has_time_bank(self) -> bool:
        return self.time_bank_seconds > 0


@dataclass
class Seated:
    player_id: str
    seat: int
    stack: int
    tech: str  # the registration (POINSCRIT) this seat belongs to
    status: SeatStatus
    connected: bool = True
    leaving: bool = False
    absent_since: float | None = None
    auto_sat_out: bool = False  # sat out by a disconnection, not by choice: back when reconnected
    pending_chips: int = 0  # bought during a hand: joins the stack when it ends
    time_bank: float = 0.0  # seconds of extra thinking time left


@dataclass
class BankRun:
    """A seat thinking on its time bank: what it was given and since when, to charge it on acting."""

    seated: Seated
    started: float
    granted: float


@dataclass(frozen=True)
class DealPlan:
    """The next hand: who has the button, who is dealt in (seat order), the forced bets, the rules."""

    button: int
    dealt_in: tuple[int, ...]
    blinds: Blinds
    rules: Rules


@dataclass(frozen=True)
class FinishedHand:
    id_partie: str
    hand: Hand
    times: list[datetime]
    players: dict[int, Seated]  # the seats dealt in, as they were at the start
    views: dict[int, SeatView] = field(default_factory=dict)


class TableListener(Protocol):
    def send(self, player_id: str, message: dict[str, Any]) -> None: ...

    def hand_started(self, table: "TableRuntime", id_partie: str, hand: Hand) -> None: ...

    def hand_finished(self, table: "TableRuntime", finished: FinishedHand) -> Any: ...

    def stand_up(self, table: "TableRuntime", seated: Seated, reason: str) -> Any: ...


class Scheduler(Protocol):
    def callLater(self, delay: float, f: Callable[..., Any], *args: Any) -> Any: ...

    def seconds(self) -> float: ...


class TableError(ValueError):
    """A player's table request refused with a reason; nothing changed."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


ACTIONS = {"fold": Action.FOLD, "check": Action.CHECK, "call": Action.CALL, "raise": Action.RAISE}


class TableRuntime:
    def __init__(self, config: TableConfig, listener: TableListener, scheduler: Scheduler,
                 dealer: Dealer | None = None, button: int | None = None) -> None:
        self.config = config
        self.listener = listener
        self.scheduler = scheduler
        self.dealer = dealer if dealer is not None else Dealer()
        self.seated: dict[int, Seated] = {}
        self.button = button
        self.hand: Hand | None = None
        self.id_partie: str | None = None
        self.hands_played = 0
        self.closing = False
        self._in_hand: dict[int, Seated] = {}
        self._times: list[datetime] = []
        self._clock: Any = None
        self._warning: Any = None
        self._bank_run: BankRun | None = None
        self._next_hand: Any = None
        self._finishing = False
        self._last_hand_seats: set[int] = set()
        self._sent = 0

    # -- seating (the service has moved the money and written the traces) ---------------------

    def free_seats(self) -> list[int]:
        return [s for s in range(1, self.config.seats + 1) if s not in self.seated]

    def seat_of(self, player_id: str) -> Seated | None:
        return next((s for s in self.seated.values() if s.player_id == player_id), None)

    def check_can_sit(self, player_id: str, seat: int | None) -> int:
        if self.closing:
            raise TableError("table_closed", "this table is closing")
        if self.seat_of(player_id) is not None:
            raise TableError("already_seated", "you already sit at this table")
        free = self.free_seats()
        if not free:
            raise TableError("table_full", "no free seat at this table")
        if seat is None:
            return free[0]
        if seat not in free:
            raise TableError("seat_taken", f"seat {seat} is not free (free: {free})")
        return seat

    def sit(self, player_id: str, seat: int, stack: int, tech: str, post_now: bool = False,
            time_bank: float | None = None) -> Seated:
        """``time_bank``: the bank the player brings (a tournament move); a full one if None."""
        self.check_can_sit(player_id, seat)
        # A newcomer waits for the big blind unless they post at once; at an empty table
        # (no hand played yet) everybody is simply dealt in.
        first_hands = self.hands_played == 0 and self.hand is None
        status = SeatStatus(seat) if first_hands else SeatStatus(seat, waiting=True, post_now=post_now)
        full = self.config.time_bank_seconds
        seated = Seated(player_id, seat, stack, tech, status,
                        time_bank=full if time_bank is None else min(max(time_bank, 0.0), full))
        self.seated[seat] = seated
        self._broadcast({"event": "seated", "seat": seat, "player_id": player_id, "stack": stack})
        self._schedule_next_hand()
        return seated

    def add_chips(self, player_id: str, amount: int) -> Seated:
        """Chips bought (the money is already in the table's escrow); during a hand the seat
        plays, they join the stack when the hand ends."""
        seated = self._seated(player_id)
        if self.in_hand(player_id):
            seated.pending_chips += amount
            return seated
        busted = seated.stack == 0
        seated.stack += amount
        if busted and seated.status.sitting_out and not seated.leaving:
            seated.status = sit_back_in(seated.status)  # back in; owes the blinds it missed while busted
            self._schedule_next_hand()
        self._broadcast({"event": "stack", "seat": seated.seat, "stack": seated.stack})
        return seated

    def check_top_up(self, player_id: str, amount: int) -> Seated:
        seated = self._seated(player_id)
        if seated.leaving:
            raise TableError("not_seated", "you are leaving this table")
        if seated.stack + seated.pending_chips + amount > self.config.buy_in_max:
            raise TableError("above_maximum", f"a stack may hold at most {self.config.buy_in_max} cents")
        return seated

    def in_hand(self, player_id: str) -> bool:
        seated = self.seat_of(player_id)
        return self.hand is not None and seated is not None and seated.seat in self._in_hand

    def mark_leaving(self, player_id: str) -> Seated:
        """No more hands for this seat; stood up now if between hands, else after this hand."""
        seated = self._seated(player_id)
        seated.leaving = True
        return seated

    def remove(self, player_id: str) -> Seated:
        """Free the seat (not during a hand it plays); the listener pays the stack back."""
        seated = self._seated(player_id)
        if self.in_hand(player_id) or (self._finishing and seated.seat in self._last_hand_seats):
            raise TableError("in_hand", "you are in a hand: you will leave when it ends")
        del self.seated[seated.seat]
        self._broadcast({"event": "left", "seat": seated.seat, "player_id": seated.player_id})
        self.listener.send(seated.player_id, {"type": "table", "table_id": self.config.table_id, "event": "left",
                                              "seat": seated.seat, "player_id": seated.player_id})
        return seated

    def sit_out(self, player_id: str) -> None:
        seated = self._seated(player_id)
        seated.status = SeatStatus(seated.seat, sitting_out=True, owes_small=seated.status.owes_small,
                                   owes_big=seated.status.owes_big)
        self._broadcast({"event": "sitting_out", "seat": seated.seat})

    def sit_in(self, player_id: str, post_now: bool = False) -> None:
        seated = self._seated(player_id)
        seated.absent_since = None
        if seated.status.sitting_out:
            seated.status = sit_back_in(seated.status, post_now)
        elif seated.status.waiting and post_now:
            seated.status = SeatStatus(seated.seat, waiting=True, owes_small=seated.status.owes_small,
                                       owes_big=seated.status.owes_big, post_now=True)
        self._broadcast({"event": "sitting_in", "seat": seated.seat})
        self._schedule_next_hand()

    def connected(self, player_id: str, is_connected: bool) -> None:
        seated = self.seat_of(player_id)
        if seated is None:
            return
        seated.connected = is_connected
        if is_connected:
            seated.absent_since = None
            if seated.auto_sat_out and seated.status.sitting_out:
                seated.auto_sat_out = False
                seated.status = sit_back_in(seated.status)
                self._schedule_next_hand()
            self.send_state(player_id)
        else:
            self._stop_bank_of(seated)

    def _stop_bank_of(self, seated: Seated) -> None:
        """A player thinking on their bank dropped: nobody is left to think, the seat folds now
        and keeps what it did not use (the bank never holds the table for an absent player)."""
        run, hand = self._bank_run, self.hand
        if run is None or run.seated is not seated or hand is None or hand.turn != seated.seat:
            return
        self._cancel_clock()
        hand.time_out(seated.seat)
        self._after_change()

    def _seated(self, player_id: str) -> Seated:
        seated = self.seat_of(player_id)
        if seated is None:
            raise TableError("not_seated", "you do not sit at this table")
        return seated

    # -- the hand loop ------------------------------------------------------------------------------

    def _schedule_next_hand(self, delay: float | None = None) -> None:
        if self.hand is not None or self._next_hand is not None or self.closing or self._finishing:
            return
        self._next_hand = self.scheduler.callLater(
            self.config.between_hands_seconds if delay is None else delay, self._start_hand)

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.scheduler.seconds(), timezone.utc)

    def _stamp(self) -> None:
        now = self._now()
        while len(self._times) < len(self.hand.log if self.hand is not None else ()):
            self._times.append(now)

    def _start_hand(self) -> None:
        self._next_hand = None
        if self.hand is not None or self.closing:
            return
        plan = self._plan()
        if plan is None:
            return
        self.button = plan.button
        self.id_partie = f"{self.config.table_id}-{secrets.token_hex(6)}"
        self._in_hand = {seat: self.seated[seat] for seat in plan.dealt_in}
        self._refill_banks()
        deck = self.dealer.new_deck(self.id_partie)
        self.hand = Hand(plan.rules, [(seat, self.seated[seat].stack) for seat in plan.dealt_in], plan.button, deck,
                         plan.blinds)
        self._times = []
        self._stamp()
        self.listener.hand_started(self, self.id_partie, self.hand)
        for seat, seated in self._in_hand.items():
            self.listener.send(seated.player_id, self._hand_message(seat))
        self._sent = len(self.hand.log)
        self._after_change()

    def _refill_banks(self) -> None:
        refill, full = self.config.time_bank_refill_seconds, self.config.time_bank_seconds
        if refill <= 0:
            return
        for seated in self._in_hand.values():
            seated.time_bank = min(full, seated.time_bank + refill)

    def _plan(self) -> DealPlan | None:
        """The cash table's policy: absent players sit out, then games.button places the blinds.
        A tournament table overrides this: the tournament decides who is dealt in."""
        self._stand_up_absent()
        now = self.scheduler.seconds()
        for seated in self.seated.values():
            if not seated.connected and not seated.status.sitting_out:
                self._sit_out_absent(seated, now)
        statuses = [s.status if s.stack > 0 and not s.leaving else SeatStatus(s.seat, sitting_out=True)
                    for s in sorted(self.seated.values(), key=lambda s: s.seat)]
        rules = self.config.rules
        plan = plan_hand(statuses, self.button, small_blind=rules.small_blind, big_blind=rules.big_blind)
        if plan is None:
            return None
        for status in plan.seats:
            self.seated[status.seat].status = status
        return DealPlan(plan.button, plan.dealt_in, plan.blinds, rules)

    def _hand_message(self, seat: int | None) -> dict[str, Any]:
        hand = self.hand
        assert hand is not None
        posts = [{"seat": e.seat, "kind": e.kind.value, "amount": e.amount} for e in hand.log if isinstance(e, Posted)]
        message: dict[str, Any] = {
            "type": "table", "event": "hand_started", "table_id": self.config.table_id, "hand_id": self.id_partie,
            "button": hand.button, "players": [{"seat": s, "player_id": self._in_hand[s].player_id,
                                                "stack": hand.starting_stacks[s], **self._bank_field(self._in_hand[s])}
                                               for s in hand.order],
            "posts": posts,
        }
        if seat is not None:
            message["seat"] = seat
            message["hole_cards"] = [to_str(c) for c in hand.hole[seat]]
        return message

    def act(self, player_id: str, action_name: str, amount: int | None) -> None:
        hand = self.hand
        seated = self.seat_of(player_id)
        if hand is None or seated is None or seated.seat not in self._in_hand:
            raise TableError("not_in_hand", "you are not in a hand at this table")
        action = ACTIONS[action_name]
        try:
            hand.act(seated.seat, action, amount)
        except (IllegalAction, HandError) as exc:
            raise TableError("illegal_action", str(exc)) from None
        self._after_change()

    def _on_clock(self, id_partie: str, seat: int) -> None:
        self._clock = None
        hand = self.hand
        if hand is None or self.id_partie != id_partie or hand.turn != seat:
            return
        if self._may_use_bank(self._in_hand[seat]):
            self._start_bank(id_partie, seat)
            return
        hand.time_out(seat)
        self._after_change()

    @staticmethod
    def _may_use_bank(seated: Seated) -> bool:
        # Nobody is there to think: spending the bank would only hold the table up.
        return seated.time_bank > 0 and seated.connected and not seated.status.sitting_out

    def _start_bank(self, id_partie: str, seat: int) -> None:
        seated = self._in_hand[seat]
        now = self.scheduler.seconds()
        self._bank_run = BankRun(seated, now, seated.time_bank)
        self._broadcast({"event": "time_bank", "hand_id": id_partie, "seat": seat,
                         "seconds": round(seated.time_bank, 1), "deadline": now + seated.time_bank})
        self._clock = self.scheduler.callLater(seated.time_bank, self._on_bank_out, id_partie, seat)

    def _on_bank_out(self, id_partie: str, seat: int) -> None:
        self._clock = None
        run, self._bank_run = self._bank_run, None
        hand = self.hand
        if run is None or hand is None or self.id_partie != id_partie or hand.turn != seat:
            return
        # Zeroed outright: charging the elapsed time could leave a float crumb and a second grant.
        run.seated.time_bank = 0.0
        hand.time_out(seat)
        self._after_change()

    def _settle_bank(self) -> None:
        """The seat acted (or the hand stopped) on its bank: what it did not use stays for later."""
        run, self._bank_run = self._bank_run, None
        if run is None:
            return
        used = self.scheduler.seconds() - run.started
        run.seated.time_bank = round(max(0.0, run.granted - used), 3)

    def _bank_field(self, seated: Seated) -> dict[str, float]:
        """A seat's bank for the clients; nothing at a table without one, so their messages do not change."""
        return {"time_bank": round(self._bank_left(seated), 1)} if self.config.has_time_bank else {}

    def _bank_left(self, seated: Seated) -> float:
        run = self._bank_run
        if run is not None and run.seated is seated:  # thinking on it now: not charged until it acts
            return max(0.0, run.granted - (self.scheduler.seconds() - run.started))
        return seated.time_bank

    def _on_warning(self, id_partie: str, seat: int) -> None:
        self._warning = None
        if self.hand is not None and self.id_partie == id_partie and self.hand.turn == seat:
            self.listener.send(self._in_hand[seat].player_id, {
                "type": "table", "event": "clock_warning", "table_id": self.config.table_id,
                "hand_id": id_partie, "seconds_left": round(self.config.decision_seconds / 3, 1)})

    def _cancel_clock(self) -> None:
        self._settle_bank()
        for name in ("_clock", "_warning"):
            call = getattr(self, name)
            if call is not None and call.active():
                call.cancel()
            setattr(self, name, None)

    def _after_change(self) -> None:
        hand = self.hand
        assert hand is not None
        self._stamp()
        self._cancel_clock()
        for event in hand.log[self._sent:]:
            self._publish(event)
        self._sent = len(hand.log)
        if hand.result is not None:
            self._finish()
            return
        seat = hand.turn
        assert seat is not None
        legal = hand.betting.legal()
        deadline = self.scheduler.seconds() + self.config.decision_seconds
        self._broadcast({"event": "turn", "hand_id": self.id_partie, "seat": seat, "deadline": deadline,
                         **self._bank_field(self._in_hand[seat])})
        self.listener.send(self._in_hand[seat].player_id, {
            "type": "table", "event": "your_turn", "table_id": self.config.table_id, "hand_id": self.id_partie,
            "seat": seat, "can_check": legal.can_check, "call": legal.call, "min_raise_to": legal.min_raise_to,
            "max_raise_to": legal.max_raise_to, "deadline": deadline})
        self._clock = self.scheduler.callLater(self.config.decision_seconds, self._on_clock, self.id_partie, seat)
        self._warning = self.scheduler.callLater(self.config.decision_seconds * 2 / 3, self._on_warning,
                                                 self.id_partie, seat)

    def _publish(self, event: Any) -> None:
        """One log event to the seats: public facts only (hole cards went privately)."""
        base = {"hand_id": self.id_partie}
        if isinstance(event, Acted):
            d = event.decision
            self._broadcast({**base, "event": "acted", "seat": d.seat, "action": d.action.value, "added": d.added,
                             "bet_to": d.bet_to, "all_in": d.all_in, "timed_out": event.timed_out})
        elif isinstance(event, BoardDealt):
            self._broadcast({**base, "event": "board", "street": event.street,
                             "cards": [to_str(c) for c in event.cards]})
        elif isinstance(event, Shown):
            self._broadcast({**base, "event": "shown", "seat": event.seat, "cards": [to_str(c) for c in event.cards],
                             "best_five": [to_str(c) for c in event.best_five]})
        elif isinstance(event, Mucked):
            self._broadcast({**base, "event": "mucked", "seat": event.seat})
        elif isinstance(event, Settled):
            result = event.result
            self._broadcast({**base, "event": "hand_result", "collected": {str(k): v for k, v in
                                                                             result.collected.items()},
                             "stacks": {str(k): v for k, v in result.final_stacks.items()},
                             "rake": result.settlement.rake})

    def _broadcast(self, data: dict[str, Any]) -> None:
        message = {"type": "table", "table_id": self.config.table_id, **data}
        for seated in list(self.seated.values()):
            self.listener.send(seated.player_id, message)

    def _finish(self) -> None:
        hand = self.hand
        assert hand is not None and hand.result is not None and self.id_partie is not None
        for seat, stack in hand.result.final_stacks.items():
            seated = self._in_hand[seat]
            seated.stack = stack + seated.pending_chips
            seated.pending_chips = 0
        self.dealer.close_deal(self.id_partie, hand.dealing_order, len(hand.board))
        finished = FinishedHand(self.id_partie, hand, list(self._times), dict(self._in_hand),
                                {seat: seat_view(hand, seat) for seat in self._in_hand})
        self.hand = None
        self.hands_played += 1
        self._in_hand = {}
        now = self.scheduler.seconds()
        for seated in self.seated.values():
            if not seated.connected and not seated.status.sitting_out:
                self._sit_out_absent(seated, now)
        self._finishing = True
        self._last_hand_seats = set(finished.players)
        done = self.listener.hand_finished(self, finished)
        if hasattr(done, "addBoth"):
            done.addBoth(self._finished)
        else:
            self._finished(None)

    def _sit_out_absent(self, seated: Seated, now: float) -> None:
        seated.status = SeatStatus(seated.seat, sitting_out=True, owes_small=seated.status.owes_small,
                                   owes_big=seated.status.owes_big)
        seated.absent_since = now
        seated.auto_sat_out = True
        self._broadcast({"event": "sitting_out", "seat": seated.seat, "reason": "disconnected"})
        # Checked on a timer too: a table with no hand to start would never look again.
        self.scheduler.callLater(self.config.absent_seconds, self._absent_timer, seated)

    def _absent_timer(self, seated: Seated) -> None:
        if self.seated.get(seated.seat) is seated and not self.in_hand(seated.player_id) and not (
                self._finishing and seated.seat in self._last_hand_seats):
            self._stand_up_absent()

    def _finished(self, result: Any) -> Any:
        self._finishing = False
        self._last_hand_seats = set()
        for seated in [s for s in self.seated.values() if s.leaving or s.stack == 0 and not s.connected]:
            self._stand_up(seated, "left" if seated.leaving else "busted")
        self._schedule_next_hand()
        return result

    def _stand_up_absent(self) -> None:
        now = self.scheduler.seconds()
        for seated in list(self.seated.values()):
            if seated.absent_since is not None and now - seated.absent_since >= self.config.absent_seconds:
                self._stand_up(seated, "absent")

    def _stand_up(self, seated: Seated, reason: str) -> None:
        self.remove(seated.player_id)
        self.listener.stand_up(self, seated, reason)

    def send_state(self, player_id: str) -> None:
        """A (re)connected player gets the table as their seat sees it."""
        seated = self.seat_of(player_id)
        hand = self.hand
        state: dict[str, Any] = {
            "type": "table", "event": "state", "table_id": self.config.table_id, "button": self.button,
            "seats": [{"seat": s.seat, "player_id": s.player_id, "stack": s.stack,
                       "sitting_out": s.status.sitting_out, **self._bank_field(s)}
                      for s in sorted(self.seated.values(), key=lambda s: s.seat)],
        }
        if hand is not None:
            state["hand_id"] = self.id_partie
            state["board"] = [to_str(c) for c in hand.board]
            state["turn"] = hand.turn
            if seated is not None and seated.seat in self._in_hand:
                state["hole_cards"] = [to_str(c) for c in hand.hole[seated.seat]]
        self.listener.send(player_id, state)

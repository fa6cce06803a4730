"""A poker-playing bot on the protocol client: acknowledges its notices, acts when asked.

Its decisions are a client's strategy, drawn from the ``random.Random`` it is given (tests
seed it); the game's randomness is the server's dealer. It keeps every message it
received, so tests can check what a seat was told.
"""

from __future__ import annotations

import random
from typing import Any, Callable

from twisted.internet import reactor
from twisted.internet.defer import Deferred, succeed
from twisted.internet.task import deferLater

from client.bot import BotProtocol


class PokerBot:
    def __init__(self, rng: random.Random, *, fold: float = 0.1, raise_: float = 0.25, all_in: float = 0.05,
                 act: bool = True, top_up_below: int = 0, top_up_to: int = 0, top_ups: int = 0,
                 rebuys: int = 0, past_rebuys: str = "decline", add_on: bool = False) -> None:
        self.rng = rng
        self.fold = fold
        self.raise_ = raise_
        self.all_in = all_in
        self.acting = act  # False: never act (the clock folds it), to test time-outs
        self.top_up_below = top_up_below  # top the stack up to top_up_to when it falls below, top_ups times
        self.top_up_to = top_up_to
        self.top_ups = top_ups
        self.rebuys = rebuys  # tournament: rebuys to take when offered; then decline, or "ignore" (let it lapse)
        self.past_rebuys = past_rebuys
        self.add_on = add_on  # tournament: try the add-on after each hand until it is taken or closed
        self.tournament_id: str | None = None
        self.seat: int | None = None
        self._top_up: dict[str, Any] | None = None
        self.protocol: BotProtocol | None = None
        self.received: list[dict[str, Any]] = []
        self.notices: list[dict[str, Any]] = []
        self.errors: list[dict[str, Any]] = []
        self.replies: list[tuple[str, dict[str, Any]]] = []  # to the requests the bot makes on its own
        self._acks: Deferred[Any] = succeed(None)

    def on_message(self, message: dict[str, Any]) -> None:
        self.received.append(message)
        if message.get("type") == "notice":
            self.notices.append(message)
            self._acks.addBoth(lambda _: self._ack(message["notice_id"]))
            if message.get("kind") == "POPARTIE" and self._top_up is not None:
                fields, self._top_up = self._top_up, None
                self._acks.addBoth(lambda _: self._request("table_top_up", fields))
        elif message.get("type") == "tournament":
            self._on_tournament(message)
        elif message.get("type") == "table" and message.get("event") == "hand_started" and "seat" in message:
            self.seat = message["seat"]
        elif message.get("type") == "table" and message.get("event") == "hand_result" and self.seat is not None:
            stack = message["stacks"].get(str(self.seat))
            if stack is not None and stack < self.top_up_below and self.top_ups > 0:
                self.top_ups -= 1
                # After the hand's summary notice (pushed right after the result): the server
                # refuses anything while a notice waits for its acknowledgement.
                self._top_up = {"table_id": message["table_id"], "amount_cents": self.top_up_to - stack}
            if self.add_on and self.tournament_id is not None and stack:
                self._try_add_on()
        elif message.get("type") == "table" and message.get("event") == "your_turn" and self.acting:
            # Acting waits for the acknowledgements: the server refuses anything while one is pending.
            self._acks.addBoth(lambda _: self._act(message))

    def _on_tournament(self, message: dict[str, Any]) -> None:
        if message.get("event") in ("started", "moved"):
            self.tournament_id = message["tournament_id"]
        elif message.get("event") == "rebuy_offered":
            if self.rebuys > 0:
                self.rebuys -= 1
                self.send_after_acks("tournament_rebuy", tournament_id=message["tournament_id"]).addCallback(
                    self._keep, "tournament_rebuy", late_ok=True)
            elif self.past_rebuys == "decline":
                self._decline(message["tournament_id"], tries=0)

    def _decline(self, tournament_id: str, tries: int) -> None:
        def answered(reply: dict[str, Any]) -> None:
            if reply.get("code") == "retry" and tries < 50:  # someone's purchase is being paid: soon
                deferLater(reactor, 0.2, self._decline, tournament_id, tries + 1)
                return
            self._keep(reply, "tournament_decline_rebuy", late_ok=True)

        self.send_after_acks("tournament_decline_rebuy", tournament_id=tournament_id).addCallback(answered)

    def _try_add_on(self) -> None:
        def answered(reply: dict[str, Any]) -> None:
            self.replies.append(("tournament_add_on", reply))
            message = reply.get("message", "")
            # Taken, too late, or the tournament already over (its last hand's result can set this off).
            if (reply.get("type") == "result" or "closed" in message or "one add-on" in message
                    or reply.get("code") == "unknown_tournament"):
                self.add_on = False
            elif reply.get("code") not in ("purchase_refused", "retry"):
                self.errors.append(reply)

        assert self.tournament_id is not None
        self.send_after_acks("tournament_add_on", tournament_id=self.tournament_id).addCallback(answered)

    def _keep(self, reply: dict[str, Any], kind: str, late_ok: bool = False) -> None:
        self.replies.append((kind, reply))
        if late_ok and reply.get("code") == "unknown_tournament":
            return  # an answer to an offer that lapsed as the tournament ended: nothing happened
        self._check(reply)

    def send_after_acks(self, kind: str, **fields: Any) -> Deferred[dict[str, Any]]:
        """A request of the player's own, sent once every notice received so far is acknowledged."""
        done: Deferred[dict[str, Any]] = Deferred()

        def send(tries: int) -> Deferred[Any]:
            assert self.protocol is not None

            def answered(reply: dict[str, Any]) -> None:
                if reply.get("code") == "notices_pending" and tries < 50:
                    self._after_next_notice(lambda: send(tries + 1))
                else:
                    done.callback(reply)

            return self.protocol.request(kind, **fields).addCallback(answered)

        self._acks.addBoth(lambda _: send(0))
        return done

    def _after_next_notice(self, again: Callable[[], Any]) -> None:
        """Refused for a notice not received yet (written just before): go again behind its
        acknowledgement, which joins the chain when it arrives, after a short wait."""
        self._acks.addBoth(lambda _: deferLater(reactor, 0.01, again))

    def _ack(self, notice_id: int) -> Deferred[Any]:
        assert self.protocol is not None
        return self.protocol.request("ack", notice_id=notice_id).addCallback(self._check)

    def _request(self, kind: str, fields: dict[str, Any]) -> Deferred[Any]:
        assert self.protocol is not None

        def keep(reply: dict[str, Any]) -> None:
            self.replies.append((kind, reply))
            self._check(reply)

        return self.protocol.request(kind, **fields).addCallback(keep)

    def _check(self, reply: dict[str, Any]) -> None:
        if reply.get("type") == "error":
            self.errors.append(reply)

    def _act(self, turn: dict[str, Any]) -> Deferred[Any] | None:
        assert self.protocol is not None
        if self.protocol.state != BotProtocol.STATE_OPEN:
            return None
        action, amount = self.decide(turn)
        fields: dict[str, Any] = {"table_id": turn["table_id"], "action": action}
        if amount is not None:
            fields["amount"] = amount
        return self.protocol.request("table_act", **fields).addCallback(self._acted, turn)

    def _acted(self, reply: dict[str, Any], turn: dict[str, Any]) -> None:
        if reply.get("code") == "notices_pending" and turn.get("_retries", 0) < 50:
            turn["_retries"] = turn.get("_retries", 0) + 1
            self._after_next_notice(lambda: self._act(turn))
            return
        self._check(reply)

    def decide(self, turn: dict[str, Any]) -> tuple[str, int | None]:
        pick = self.rng.random()
        low, high = turn.get("min_raise_to"), turn.get("max_raise_to")
        if not turn["can_check"] and pick < self.fold:
            return "fold", None
        if low is not None and high is not None and pick > 1 - self.raise_:
            if self.rng.random() < self.all_in:
                return "raise", high
            return "raise", min(high, low + self.rng.randint(0, low))
        return ("check" if turn["can_check"] else "call"), None

    def table_events(self, event: str) -> list[dict[str, Any]]:
        return [m for m in self.received if m.get("type") == "table" and m.get("event") == event]

"""The optional time bank: a table's runtime on a simulated clock (no network, no database),
then the settings' checks and a tournament's banks (the driver's harness, SQLite)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from twisted.internet.task import Clock

from games.betting import Structure
from games.hand import Rules, Variant
from games.tournament.balancing import Move, Reason
from games.tournament.tournament import Outcome
from server.cardroom.runtime import FinishedHand, Seated, TableConfig, TableRuntime
from server.cardroom.service import OperatorInputError, parse_table_request
from server.cardroom.tournament_spec import SpecError, TournamentSpec, parse_tournament_request
from tests.cardroom.test_tournament_driver import CREATED, play, running_tournament

DECISION = 10.0
BETWEEN = 1.0  # the first hand starts at 1.0 s of the simulated clock
RULES = Rules(Variant.HOLDEM, Structure.NO_LIMIT, 1, 2)


class Listener:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def send(self, player_id: str, message: dict[str, Any]) -> None:
        self.sent.append((player_id, message))

    def hand_started(self, table: TableRuntime, id_partie: str, hand: Any) -> None:
        pass

    def hand_finished(self, table: TableRuntime, finished: FinishedHand) -> None:
        return None  # nothing to write: the next hand follows at once

    def stand_up(self, table: TableRuntime, seated: Seated, reason: str) -> None:
        pass

    def events(self, name: str, to: str = "bob") -> list[dict[str, Any]]:
        return [m for player, m in self.sent if player == to and m.get("event") == name]


def heads_up(bank: float = 0.0, refill: float = 0.0) -> tuple[Clock, Listener, TableRuntime]:
    """ann (seat 1) and bob (seat 2) with the first hand dealt."""
    clock, listener = Clock(), Listener()
    config = TableConfig("t1", "Bank", RULES, 6, 100, 1000, decision_seconds=DECISION, between_hands_seconds=BETWEEN,
                         absent_seconds=600.0, time_bank_seconds=bank, time_bank_refill_seconds=refill)
    runtime = TableRuntime(config, listener, clock)
    runtime.sit("ann", 1, 500, "Rann")
    runtime.sit("bob", 2, 500, "Rbob")
    clock.advance(BETWEEN)
    assert runtime.hand is not None
    return clock, listener, runtime


def to_act(runtime: TableRuntime) -> Seated:
    assert runtime.hand is not None and runtime.hand.turn is not None
    return runtime.seated[runtime.hand.turn]


def answer_until(runtime: TableRuntime, seated: Seated) -> None:
    """The other seat checks or calls until ``seated`` is to act again."""
    while to_act(runtime) is not seated:
        assert runtime.hand is not None
        runtime.act(to_act(runtime).player_id, "check" if runtime.hand.betting.legal().can_check else "call", None)


def timed_out(listener: Listener) -> list[dict[str, Any]]:
    return [m for m in listener.events("acted") if m["timed_out"]]


def test_without_a_bank_the_clock_folds_as_before_and_messages_do_not_change() -> None:
    clock, listener, runtime = heads_up()
    seated = to_act(runtime)
    clock.advance(DECISION)
    assert [(m["seat"], m["action"]) for m in timed_out(listener)] == [(seated.seat, "fold")]
    runtime.send_state("bob")
    assert not listener.events("time_bank")
    assert not any("time_bank" in json.dumps(m) for _, m in listener.sent)
    assert set(listener.events("state")[-1]["seats"][0]) == {"seat", "player_id", "stack", "sitting_out"}


def test_the_bank_is_granted_when_the_clock_runs_out_then_the_seat_folds_when_it_is_spent() -> None:
    clock, listener, runtime = heads_up(bank=30)
    seated = to_act(runtime)
    clock.advance(DECISION)
    expired = BETWEEN + DECISION
    assert [{k: m[k] for k in ("hand_id", "seat", "seconds", "deadline")} for m in listener.events("time_bank")] == [
        {"hand_id": runtime.id_partie, "seat": seated.seat, "seconds": 30, "deadline": expired + 30}]
    clock.advance(29.9)
    assert to_act(runtime) is seated and not timed_out(listener)
    clock.advance(0.1)
    assert [(m["seat"], m["action"]) for m in timed_out(listener)] == [(seated.seat, "fold")]
    assert seated.time_bank == 0


def test_what_the_seat_does_not_use_stays_in_its_bank() -> None:
    clock, listener, runtime = heads_up(bank=30)
    seated = to_act(runtime)
    clock.advance(DECISION)
    clock.advance(12)  # 12 s into the bank (one advance would fire the clock at its end, not on time)
    runtime.act(seated.player_id, "call", None)
    assert seated.time_bank == 18 and not timed_out(listener)
    answer_until(runtime, seated)
    assert listener.events("turn")[-1]["time_bank"] == 18  # clients are told the bank of the seat to act
    clock.advance(DECISION)
    assert listener.events("time_bank")[-1]["seconds"] == 18
    clock.advance(5)
    runtime.send_state("bob")
    banks = {s["seat"]: s["time_bank"] for s in listener.events("state")[-1]["seats"]}
    assert banks == {seated.seat: 13, 3 - seated.seat: 30}  # live while it is being spent


def test_each_hand_dealt_refills_the_bank_up_to_its_size() -> None:
    clock, listener, runtime = heads_up(bank=30, refill=5)
    seated = to_act(runtime)
    clock.advance(DECISION)
    clock.advance(12)
    runtime.act(seated.player_id, "fold", None)
    assert seated.time_bank == 18
    banks = []
    for _ in range(3):
        clock.advance(BETWEEN)  # the next hand is dealt: +5
        banks.append(seated.time_bank)
        started = listener.events("hand_started")[-1]
        assert {p["seat"]: p["time_bank"] for p in started["players"]} == {seated.seat: seated.time_bank,
                                                                            3 - seated.seat: 30}
        runtime.act(to_act(runtime).player_id, "fold", None)
    assert banks == [23, 28, 30]


@pytest.mark.parametrize("gone", ["disconnected", "sitting out"])
def test_a_player_who_is_not_there_folds_when_the_clock_runs_out_and_keeps_the_bank(gone: str) -> None:
    clock, listener, runtime = heads_up(bank=30)
    seated = to_act(runtime)
    if gone == "disconnected":
        runtime.connected(seated.player_id, False)
    else:
        runtime.sit_out(seated.player_id)
    clock.advance(DECISION)
    assert [(m["seat"], m["action"]) for m in timed_out(listener)] == [(seated.seat, "fold")]
    assert not listener.events("time_bank") and seated.time_bank == 30


def test_a_player_who_drops_while_on_the_bank_folds_then_and_keeps_the_rest() -> None:
    clock, listener, runtime = heads_up(bank=30)
    seated = to_act(runtime)
    clock.advance(DECISION)
    assert listener.events("time_bank") and not timed_out(listener)
    clock.advance(10)
    runtime.connected(seated.player_id, False)
    assert [(m["seat"], m["action"]) for m in timed_out(listener)] == [(seated.seat, "fold")]
    assert seated.time_bank == 20


def test_a_bank_brought_to_the_table_is_kept_never_above_its_size() -> None:
    clock, listener = Clock(), Listener()
    runtime = TableRuntime(TableConfig("t1", "Bank", RULES, 6, 100, 1000, time_bank_seconds=30), listener, clock)
    assert runtime.sit("ann", 1, 500, "Rann", time_bank=7.5).time_bank == 7.5
    assert runtime.sit("bob", 2, 500, "Rbob", time_bank=45).time_bank == 30
    assert runtime.sit("cid", 3, 500, "Rcid").time_bank == 30


# -- the settings ------------------------------------------------------------------------------------

TABLE = {"name": "Bank", "small_blind_cents": 1, "big_blind_cents": 2}


def test_a_cash_table_has_no_bank_unless_asked_and_its_settings_are_checked() -> None:
    fields = parse_table_request(TABLE)
    assert (fields["time_bank_seconds"], fields["time_bank_refill_seconds"]) == (0, 0)
    fields = parse_table_request({**TABLE, "time_bank_seconds": 60, "time_bank_refill_seconds": 5})
    assert (fields["time_bank_seconds"], fields["time_bank_refill_seconds"]) == (60, 5)
    for bad, field in [({"time_bank_seconds": 601}, "time_bank_seconds"), ({"time_bank_seconds": -1},
                       "time_bank_seconds"), ({"time_bank_seconds": True}, "time_bank_seconds"),
                       ({"time_bank_seconds": "30"}, "time_bank_seconds"),
                       ({"time_bank_seconds": 30, "time_bank_refill_seconds": 31}, "time_bank_refill_seconds"),
                       ({"time_bank_refill_seconds": 5}, "time_bank_refill_seconds")]:
        with pytest.raises(OperatorInputError, match=f"^{field}:"):
            parse_table_request({**TABLE, **bad})


SNG = {"name": "SNG", "players": 6, "buy_in_cents": 500, "starting_chips": 1500,
       "levels": [{"small_blind": 10, "big_blind": 20}], "level_hands": 10}


def test_a_tournament_bank_is_checked_stored_and_shown() -> None:
    spec = parse_tournament_request({**SNG, "time_bank_seconds": 60, "time_bank_refill_seconds": 5}, CREATED)
    assert TournamentSpec.from_json(spec.to_json()) == spec
    assert (spec.public()["time_bank_seconds"], spec.public()["time_bank_refill_seconds"]) == (60, 5)
    stored_before = {k: v for k, v in json.loads(spec.to_json()).items() if not k.startswith("time_bank")}
    old = TournamentSpec.from_json(json.dumps(stored_before))
    assert (old.time_bank_seconds, old.time_bank_refill_seconds) == (0, 0)
    for bad, field in [({"time_bank_seconds": 600.5}, "time_bank_seconds"),
                       ({"time_bank_seconds": 10, "time_bank_refill_seconds": 11}, "time_bank_refill_seconds")]:
        with pytest.raises(SpecError, match=f"^{field}:"):
            parse_tournament_request({**SNG, **bad}, CREATED)


# -- tournaments ---------------------------------------------------------------------------------------

def test_a_tournament_player_carries_their_bank_when_moved(tmp_path: Path) -> None:
    host, running, ids = running_tournament(tmp_path, ["ann", "bob", "cid", "dan"], seats=3, time_bank_seconds=20,
                                            time_bank_refill_seconds=2)
    assert len(running.tables) == 2
    assert all(t.config.time_bank_seconds == 20 and t.config.time_bank_refill_seconds == 2
               for t in running.tables.values())
    assert all(s.time_bank == 20 for t in running.tables.values() for s in t.seated.values())
    source, target = running.tables[1], running.tables[2]
    seated = next(iter(source.seated.values()))
    seated.time_bank = 7.5
    # A balancing move as the tournament would report it between hands (no hand dealt yet).
    running._apply(Outcome(moves=(Move(seated.player_id, 1, seated.seat, 2, target.free_seats()[0],
                                       Reason.BALANCE),)))
    moved = target.seat_of(seated.player_id)
    assert moved is not None and moved.time_bank == 7.5 and source.seat_of(seated.player_id) is None


def test_a_tournament_player_who_never_acts_spends_the_bank_once(tmp_path: Path) -> None:
    host, running, ids = running_tournament(tmp_path, ["ann", "bob", "cid"], time_bank_seconds=20)
    absent = ids["cid"]
    play(host, running, {ids["ann"], ids["bob"]}, limit=300)
    grants = [m for _, player, m in host.messages if player == absent and m.get("event") == "time_bank"]
    theirs = [m for _, player, m in host.messages if player == absent and m.get("event") == "acted"
              and m["timed_out"]]
    # Connected, so the bank is theirs to use: once, whole, and never again (no refill).
    assert [m["seconds"] for m in grants] == [20] and len(theirs) > 1

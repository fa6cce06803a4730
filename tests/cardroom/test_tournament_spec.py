"""The operator's tournament definition: checked field by field, stored and read back, and the
rules it gives the tournament core."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from games.tournament.payouts import DEFAULT_PAYOUTS
from games.tournament.registration import Format
from games.tournament.structure import Pace
from server.cardroom.tournament_spec import SpecError, TournamentSpec, custom_payouts, parse_tournament_request

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=timezone.utc)
SNG = {"name": "SNG", "players": 6, "buy_in_cents": 500, "fee_cents": 50, "starting_chips": 1500,
       "levels": [{"small_blind": 10, "big_blind": 20}, {"small_blind": 20, "big_blind": 40, "ante": 5}],
       "level_hands": 10}


def test_a_sit_and_go_gives_the_cores_rules_and_survives_storage() -> None:
    spec = parse_tournament_request(SNG, NOW)
    assert TournamentSpec.from_json(spec.to_json()) == spec
    rules = spec.rules(NOW)
    assert rules.registration.format is Format.SIT_AND_GO
    assert rules.registration.min_players == rules.registration.max_players == 6
    assert (rules.registration.entry.price, rules.registration.entry.fee, rules.registration.entry.chips) == (500, 50,
                                                                                                              1500)
    assert rules.schedule.pace is Pace.HANDS and rules.schedule.length == 10
    assert rules.schedule.levels[1].ante == 5 and rules.max_seats == 9 and rules.payouts is DEFAULT_PAYOUTS
    assert spec.public()["payouts_for_max_field"] == [65, 35]


def test_rebuys_and_the_add_on_reach_the_core_and_survive_storage() -> None:
    spec = parse_tournament_request({**SNG, "rebuy": {"buy_in_cents": 500, "fee_cents": 50, "chips": 1500,
                                                      "until_level": 2, "threshold_chips": 1500, "limit": 3},
                                     "add_on": {"buy_in_cents": 500, "chips": 3000, "at_level": 2}}, NOW)
    assert TournamentSpec.from_json(spec.to_json()) == spec
    rules = spec.rules(NOW)
    assert rules.rebuy is not None and rules.add_on is not None
    assert (rules.rebuy.cost.price, rules.rebuy.cost.fee, rules.rebuy.cost.chips) == (500, 50, 1500)
    assert (rules.rebuy.threshold, rules.rebuy.until_level, rules.rebuy.limit) == (1500, 2, 3)
    assert (rules.add_on.cost.price, rules.add_on.cost.fee, rules.add_on.cost.chips, rules.add_on.at_level) == (
        500, 0, 3000, 2)
    assert spec.public()["rebuy"]["decision_seconds"] == 60 and spec.public()["add_on"]["buy_in_cents"] == 500
    plain = parse_tournament_request(SNG, NOW)
    assert plain.rules(NOW).rebuy is None and plain.public()["rebuy"] is None
    unlimited = parse_tournament_request({**SNG, "rebuy": {"buy_in_cents": 5, "chips": 5, "until_level": 1}}, NOW)
    assert unlimited.rules(NOW).rebuy.limit is None  # type: ignore[union-attr]


def test_a_scheduled_tournament_with_time_levels_and_breaks() -> None:
    body = {**SNG, "format": "scheduled", "min_players": 10, "max_players": 100,
            "starts_at": (NOW + timedelta(hours=1)).isoformat(), "late_until_level": 3, "level_minutes": 7.5,
            "break_every_minutes": 60, "break_minutes": 5}
    del body["players"], body["level_hands"]
    spec = parse_tournament_request(body, NOW)
    schedule = spec.rules(NOW).schedule
    assert schedule.pace is Pace.TIME and schedule.length == 450
    assert schedule.breaks is not None and (schedule.breaks.every, schedule.breaks.length) == (3600, 300)
    assert spec.start_time() == NOW + timedelta(hours=1)
    assert spec.rules(NOW).registration.late_until_level == 3


@pytest.mark.parametrize("change, message", [
    ({"players": 1}, "players"),
    ({"name": ""}, "name"),
    ({"variant": "STUD"}, "variant"),
    ({"level_minutes": 5}, "one of level_hands"),
    ({"levels": [{"small_blind": 20, "big_blind": 40}, {"small_blind": 10, "big_blind": 20}]}, "never go down"),
    ({"levels": [{"small_blind": 20, "big_blind": 10}]}, "big_blind"),
    ({"buy_in_cents": 0, "fee_cents": 0}, "costs something"),
    ({"starts_at": "2027-01-01T00:00:00+00:00"}, "sit-and-go"),
    ({"payout_shares": [5000, 5001]}, "add up"),
    ({"payout_shares": [4000, 6000]}, "never grow"),
    ({"payout_shares": [2000] * 5 + [0]}, "positive"),
    ({"rake": 5}, "unknown fields"),
    ({"break_every_minutes": 10, "break_minutes": 10}, "shorter"),
    ({"rebuy": {"buy_in_cents": 500, "chips": 1500}}, "rebuy.until_level"),
    ({"rebuy": {"buy_in_cents": 500, "chips": 1500, "until_level": 2, "limit": -1}}, "rebuy.limit"),
    ({"rebuy": {"buy_in_cents": 500, "chips": 0, "until_level": 2}}, "rebuy.chips"),
    ({"rebuy": {"buy_in_cents": 500, "chips": 1, "until_level": 2, "extra": 1}}, "rebuy: an object"),
    ({"add_on": {"buy_in_cents": 0, "fee_cents": 0, "chips": 1, "at_level": 2}}, "costs something"),
    ({"add_on": {"buy_in_cents": 500, "chips": 1000}}, "add_on.at_level"),
])
def test_refusals_name_the_field(change: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecError, match=message):
        parse_tournament_request({**SNG, **change}, NOW)


def test_a_scheduled_start_is_in_the_future_with_an_offset() -> None:
    base = {k: v for k, v in SNG.items() if k != "players"}
    for starts_at in ("2026-12-06T11:00:00+00:00", "2026-12-06T13:00:00", "tomorrow"):
        with pytest.raises(SpecError, match="starts_at"):
            parse_tournament_request({**base, "format": "scheduled", "min_players": 2, "max_players": 9,
                                      "starts_at": starts_at}, NOW)


def test_custom_payouts_apply_from_their_field_size_up() -> None:
    table = custom_payouts((5000, 3000, 2000))
    assert table.amounts(1000, 2) == (1000,)  # the default below three entrants: winner takes all
    assert table.amounts(1001, 3) == (501, 300, 200)  # leftover cents to the top
    assert table.amounts(900, 50) == (450, 270, 180)
    assert custom_payouts((10_000,)).amounts(700, 9) == (700,)
    six = custom_payouts((4000, 2500, 1500, 1000, 600, 400))
    assert six.amounts(1000, 5) == DEFAULT_PAYOUTS.amounts(1000, 5)
    assert six.places_paid(6) == 6

"""Hypothesis sends slips, well-formed or not, to a real server: every reply is a price that
agrees with the engine, or a documented refusal; nothing ever moves money, and nothing
crashes (no ``internal_error``)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from games.betslip import BetType, Choice, Leg, Slip, Stake, settle
from server.protocol.errors import ERROR_CODES
from tests.accounts.test_account_life import dns_server, opened  # noqa: F401
from tests.cardroom.test_cash_game import start
from tests.sportsbook.support import ok, result_market, soon

TYPES = [t.value for t in BetType] + ["ZZ"]


SIZES = {"S": None, "C": None, "XY": None, "TRIXIE": 3, "PATENT": 3, "YANKEE": 4, "LUCKY15": 4}


@st.composite
def valid_slips(draw: st.DrawFn, fixtures: list[list[tuple[int, str]]]) -> dict[str, Any]:
    """Slips a player could well send: distinct fixtures, their real odds, sizes that fit the type."""
    kind = draw(st.sampled_from(sorted(SIZES)))
    size = SIZES[kind] or draw(st.integers(3 if kind == "XY" else 1, len(fixtures)))
    chosen = draw(st.permutations(fixtures))[:size]
    legs = []
    for offer in chosen:
        picks = draw(st.lists(st.sampled_from(offer), min_size=1, max_size=2, unique=True))
        legs.append({"choices": [{"selection_id": i, "odds": o} for i, o in picks]})
    slip: dict[str, Any] = {"type": kind, "stake_cents": draw(st.integers(10, 500)), "legs": legs}
    if kind == "XY":
        slip["x"] = draw(st.integers(1, size - 1))
    return slip


def wild_slips(selections: list[tuple[int, str]]) -> st.SearchStrategy[dict[str, Any]]:
    choice = st.one_of(st.sampled_from(selections).map(lambda s: {"selection_id": s[0], "odds": s[1]}),
                       st.fixed_dictionaries({"selection_id": st.integers(-2, 10**6),
                                              "odds": st.sampled_from(["1.65", "0.5", "x", "3.4", "99999999"])}))
    leg = st.fixed_dictionaries({"choices": st.lists(choice, min_size=0, max_size=3)},
                                optional={"banker": st.booleans()})
    return st.fixed_dictionaries(
        {"type": st.sampled_from(TYPES), "stake_cents": st.integers(-5, 5000),
         "legs": st.lists(leg, min_size=0, max_size=9)},
        optional={"x": st.integers(0, 10), "perm": st.booleans(), "stake_mode": st.sampled_from(["line", "total", "?"]),
                  "custom": st.lists(st.fixed_dictionaries({"combi": st.sampled_from(TYPES),
                                                            "legs": st.lists(st.integers(0, 9), max_size=4)}),
                                     max_size=2)})


def engine_price(slip: dict[str, Any]) -> list[int]:
    """The engine's own figures for a slip of distinct fixtures' selections (what the server must say)."""
    legs = tuple(Leg(tuple(Choice(Fraction(Decimal(c["odds"]))) for c in leg["choices"]), banker=bool(leg.get("banker")))
                 for leg in slip["legs"])
    parsed = Slip(BetType(slip["type"]), legs, Stake(Decimal(slip["stake_cents"]).scaleb(-2)), x=slip.get("x"),
                  perm=bool(slip.get("perm")))
    return [int(b.stake.scaleb(2)) for b in settle(parsed).bets]


def test_any_slip_gets_a_price_or_a_documented_refusal(server_factory: Any, db_url: str, dns_server: str) -> None:
    server = start(server_factory, dns_server)
    competition = ok(server, "POST", "/competitions", {"name": "Ligue 1", "sport": "FOO", "event": "KYYIC"})
    fixtures = []
    for home, away in (("Lorient", "Lyon"), ("Lille", "Nice"), ("Metz", "Brest"), ("Lens", "Reims")):
        fixture = ok(server, "POST", "/fixtures", {"competition_id": competition["competition_id"],
                                                   "participants": [home, away], "starts_at": soon(3600).isoformat()})
        market = result_market(server, fixture["fixture_id"])
        fixtures.append([(s["selection_id"], s["odds"]) for s in market["selections"]])
    selections = [s for offer in fixtures for s in offer]
    client, player_id = opened(server, "fuzzy")
    before = client.call("account")
    seen: set[str] = set()

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.one_of(valid_slips(fixtures), wild_slips(selections)))
    def check(slip: dict[str, Any]) -> None:
        reply = client.request("sports_slip_price", slip=slip)
        if reply["type"] == "error":
            assert reply["code"] in ERROR_CODES and reply["code"] != "internal_error", reply
            seen.add(reply["code"])
            return
        seen.add("priced")
        stakes = [bet["stake_cents"] for bet in reply["data"]["bets"]]
        assert sum(stakes) == reply["data"]["total_stake_cents"]
        if slip.get("stake_mode", "line") == "line" and not slip.get("custom"):
            assert stakes == engine_price(slip), (slip, reply)

    check()
    assert {"priced", "invalid_value", "invalid_slip"} <= seen, seen  # the strategy reaches each kind
    assert client.call("account") == before  # pricing moves nothing

"""PHH: random finished hands exported and replayed by PokerKit (the standard's reference) and
by the engine; parsing, scaling, refusals, unknown cards, and what PHH cannot express."""

from __future__ import annotations

import random
from decimal import Decimal
from itertools import combinations
from typing import Any

import pytest
from pokerkit.notation import HandHistory, parse_action

from games.betting import Action, Structure
from games.cards import from_str, to_str
from games.evaluator import evaluate, evaluate_omaha
from games.hand import Blinds, Hand, Rules, Variant
from games.phh import (EXTENSION_CODES, BetRaiseTo, CheckCall, DealBoard, DealHole, Fold, Outcome, PhhError,
                       ShowMuck, _weakest, parse_phh, phh_order, replay, to_phh, to_phhs)
from tests.games.known_decks import deck_with, hold_em_positions
from tests.games.pokerkit_oracle import GAMES, pokerkit_odd_chips
from tests.games.random_hands import random_hand

# PokerKit warns when it is handed the cards to deal rather than drawing them itself.
pytestmark = pytest.mark.filterwarnings("ignore:A card being dealt")

STANDARD_GAMES = ("THNL", "THL", "OHPL")  # NT, FT, PO: the games the standard has codes for


def pokerkit_stacks(text: str | HandHistory) -> list[Any]:
    """PokerKit's final stacks for a PHH text, each action applied as written.

    PokerKit's loader repairs histories (it folds or checks for players the history
    skips); here an action is applied as it is, with only two things done in between:
    burning (PHH writes no burns) and the check PokerKit asks of the last player with
    chips when everyone else still in is all-in (the engine deals on at once).
    """
    history = HandHistory.loads(text) if isinstance(text, str) else text
    state = history.create_state()
    for action in history.actions:
        while True:
            try:
                parse_action(state, action)
                break
            except ValueError:
                if state.can_burn_card():
                    state.burn_card("??")
                elif _lone_player_check(state):
                    state.check_or_call()
                else:
                    raise
    assert not state.status, "PokerKit expects more of the hand"
    return list(state.stacks)


def _lone_player_check(state: Any) -> bool:
    actor = state.actor_index
    if actor is None or state.checking_or_calling_amount:
        return False
    others = [i for i, active in enumerate(state.statuses) if active and i != actor]
    return all(state.stacks[i] == 0 for i in others)


def in_phh_order(hand: Hand, by_seat: dict[int, int]) -> list[int]:
    return [by_seat[seat] for seat in phh_order(hand)]


# -- (a) exports replayed by PokerKit -------------------------------------------------------------


@pytest.mark.parametrize("game", STANDARD_GAMES)
def test_exported_hands_replay_on_pokerkit_to_the_engines_stacks(game: str) -> None:
    rng = random.Random(f"pokerkit-{game}")
    for number in range(120):
        hand = random_hand(rng, game)
        text = to_phh(hand, hand_id=number)
        # PokerKit splits a pot's odd chips its own way (see pokerkit_odd_chips).
        assert pokerkit_stacks(text) == in_phh_order(hand, pokerkit_odd_chips(hand)), (number, text)


def test_decimal_exports_replay_on_pokerkit_to_the_engines_stacks() -> None:
    rng = random.Random("pokerkit-decimal")
    compared = 0
    for number in range(150):
        hand = random_hand(rng, rng.choice(STANDARD_GAMES))
        assert hand.result is not None
        if any(len(winners) > 1 for winners in hand.result.settlement.winners):
            continue  # PokerKit splits decimal pots exactly, the engine in whole cents
        text = to_phh(hand, unit=Decimal("0.01"))
        expected = [Decimal(chips) / 100 for chips in in_phh_order(hand, hand.result.final_stacks)]
        assert pokerkit_stacks(text) == expected, (number, text)
        compared += 1
    assert compared >= 100


# -- (b) exports replayed by the engine -----------------------------------------------------------


@pytest.mark.parametrize("game", sorted(GAMES))
def test_exported_hands_replay_on_the_engine_to_the_same_stacks(game: str) -> None:
    rng = random.Random(f"engine-{game}")
    for number in range(60):
        hand = random_hand(rng, game, button_last=False)
        assert hand.result is not None
        units: list[Decimal | int] = [1, Decimal("0.01"), Decimal("0.001")]  # a file's last decimal place is its chip
        unit = rng.choice(units)
        public = rng.random() < 0.5
        [phh] = parse_phh(to_phh(hand, unit=unit, public=public, extensions=True))
        result = replay(phh)
        assert result.outcome is Outcome.OK, (number, result.message)
        assert result.final_stacks is not None
        final = in_phh_order(hand, hand.result.final_stacks)
        assert [phh.to_unit(chips) for chips in result.final_stacks] == [Decimal(unit) * c for c in final]
        assert result.final_stacks == phh.finishing_stacks
        assert phh.seats == tuple(phh_order(hand))


def test_a_split_is_shared_in_the_last_decimal_place_written() -> None:
    # Chips of 0.25 written with two decimals: PHH does not know the chip, so p1 and p2 share
    # the 1.75 pot in hundredths (0.88 and 0.87), not in chips of 0.25 (1.00 and 0.75).
    actions = ["d dh p1 AsKd", "d dh p2 AhKs", "d dh p3 7c2d", "p3 f", "p1 cc", "p2 cc", "d db 2s3c8h", "p1 cc",
               "p2 cc", "d db 9d", "p1 cc", "p2 cc", "d db Jc", "p1 cc", "p2 cc", "p1 sm AsKd", "p2 sm AhKs"]
    text = hand_text(actions, stacks="[10, 10, 10]", antes="[0.25, 0.25, 0.25]", blinds="[0.25, 0.50, 0]",
                     bets="min_bet = 0.50")
    assert replayed(text).final_stacks_text() == ["10.13", "10.12", "9.75"]


def test_a_phhs_of_exports_replays_hand_by_hand() -> None:
    rng = random.Random("phhs")
    hands = [random_hand(rng, game) for game in STANDARD_GAMES * 3]
    parsed = parse_phh(to_phhs(to_phh(hand) for hand in hands))
    assert [phh.number for phh in parsed] == list(range(1, len(hands) + 1))
    for hand, phh in zip(hands, parsed):
        assert hand.result is not None
        assert replay(phh).final_stacks == tuple(in_phh_order(hand, hand.result.final_stacks))


def test_pokerkit_reads_our_exports_of_every_standard_game() -> None:
    rng = random.Random("loads")
    for game in STANDARD_GAMES:
        hand = random_hand(rng, game)
        history = HandHistory.loads(to_phh(hand, players={seat: f"Player {seat}" for seat in hand.order}))
        assert history.variant == {"THNL": "NT", "THL": "FT", "OHPL": "PO"}[game]
        assert history.seats == phh_order(hand)


# -- exporting: format and limits -----------------------------------------------------------------

NL = Rules(Variant.HOLDEM, Structure.NO_LIMIT, 5, 10)


def fixed_hand() -> Hand:
    """Seats 2, 4, 7, button 7: p1 is seat 2 (small blind), p2 seat 4, p3 seat 7."""
    order = [2, 4, 7]
    hole = {2: ("1Pi", "1Co"), 4: ("RTr", "RCa"), 7: ("3Tr", "7Ca")}
    deck = deck_with(hold_em_positions(order, hole, ["2Tr", "8Ca", "9Co", "VPi", "4Co"]))
    hand = Hand(Rules(Variant.HOLDEM, Structure.NO_LIMIT, 5, 10, ante=1), [(2, 300), (4, 500), (7, 200)], 7, deck)
    hand.act(7, Action.FOLD)
    hand.act(2, Action.RAISE, 30)
    hand.act(4, Action.CALL)
    hand.act(2, Action.RAISE, 40)
    hand.act(4, Action.RAISE, 120)
    hand.act(2, Action.RAISE, 269)  # all-in
    hand.act(4, Action.CALL)
    return hand


GOLDEN = """\
variant = "NT"
ante_trimming_status = true
antes = [0.01, 0.01, 0.01]
blinds_or_straddles = [0.05, 0.10, 0.00]
min_bet = 0.10
starting_stacks = [3.00, 5.00, 2.00]
actions = [
  "d dh p1 AsAh",
  "d dh p2 KcKd",
  "d dh p3 3c7d",
  "p3 f",
  "p1 cbr 0.30",
  "p2 cc",
  "d db 2c8d9h",
  "p1 cbr 0.40",
  "p2 cbr 1.20",
  "p1 cbr 2.69",
  "p2 cc",
  "p1 sm AsAh",
  "p2 sm KcKd",
  "d db Js",
  "d db 4h",
]
hand = "T-1"
seats = [2, 4, 7]
players = ["Ann", "Bob", ""]
finishing_stacks = [6.01, 2.00, 1.99]
winnings = [6.01, 0.00, 0.00]
currency = "EUR"
"""


def test_golden_export_of_a_fixed_hand() -> None:
    text = to_phh(fixed_hand(), unit=Decimal("0.01"), hand_id="T-1", players={2: "Ann", 4: "Bob"}, currency="EUR")
    assert text == GOLDEN


def test_public_export_hides_the_cards_never_shown() -> None:
    hand = fixed_hand()
    text = to_phh(hand, public=True)
    assert '"d dh p3 ????"' in text and '"d dh p1 AsAh"' in text and "3c" not in text


def test_a_time_out_is_a_fold_with_a_commentary() -> None:
    hand = Hand(NL, [(1, 100), (2, 100), (3, 100)], 1, deck_with({}))
    hand.time_out(1)
    hand.act(2, Action.FOLD)
    assert '"p3 f # time out"' in to_phh(hand)
    [phh] = parse_phh(to_phh(hand))
    assert phh.actions[3].commentary == "time out" and isinstance(phh.actions[3].move, Fold)


def river_showdown() -> Hand:
    """Seat 2 bets the river and shows first, seat 3's beaten hand is mucked, seat 1's aces win."""
    hole = {1: ("1Pi", "1Co"), 2: ("RTr", "RCa"), 3: ("3Tr", "7Ca")}
    hand = Hand(NL, [(1, 500), (2, 500), (3, 500)], 1,
                deck_with(hold_em_positions([2, 3, 1], hole, ["2Tr", "8Ca", "9Co", "VPi", "4Co"])))
    checks = [(seat, Action.CHECK) for seat in (2, 3, 1)] * 2  # flop and turn
    for seat, action in ((1, Action.CALL), (2, Action.CALL), (3, Action.CHECK), *checks):
        hand.act(seat, action)
    hand.act(2, Action.RAISE, 20)
    hand.act(3, Action.CALL)
    hand.act(1, Action.CALL)
    return hand


def test_a_mucked_hand_shown_after_the_hand_is_written_as_shown() -> None:
    hand = river_showdown()
    hand.show(3)
    text = to_phh(hand, public=True)
    assert text.count('"p2 sm') == 1 and '"p2 sm 3c7d"' in text and '"d dh p2 3c7d"' in text  # seat 3 is p2
    assert pokerkit_stacks(text) == in_phh_order(hand, pokerkit_odd_chips(hand))
    assert replayed(text).final_stacks == (470, 470, 560)  # each put in 30; the aces (seat 1, p3) win


def test_a_winner_who_shows_without_a_showdown_is_a_commentary() -> None:
    hand = Hand(NL, [(1, 500), (2, 500), (3, 500)], 1, deck_with({}))
    hand.act(1, Action.RAISE, 40)
    hand.act(2, Action.FOLD)
    hand.act(3, Action.FOLD)
    hand.show(1)
    text = to_phh(hand, public=True)
    shown = "".join(to_str(card) for card in hand.hole[1])
    assert text.endswith(f'  "# p3 shows {shown}",\n]\nseats = [2, 3, 1]\nfinishing_stacks = [495, 490, 515]\n'
                         f"winnings = [0, 0, 25]\n") and f'"d dh p3 {shown}"' in text
    assert pokerkit_stacks(text) == [495, 490, 515]
    assert replayed(text).final_stacks == (495, 490, 515)


def test_what_phh_cannot_express_is_refused() -> None:
    seats = [(1, 500), (2, 500), (3, 500), (4, 500)]

    def folded_round(blinds: Blinds, rules: Rules = NL) -> Hand:
        hand = Hand(rules, seats, 1, deck_with({}), blinds)
        while hand.result is None:
            assert hand.turn is not None
            hand.act(hand.turn, Action.FOLD)
        return hand

    with pytest.raises(PhhError, match="not over"):
        to_phh(Hand(NL, seats, 1, deck_with({})))
    with pytest.raises(PhhError, match="live or dead"):
        to_phh(folded_round(Blinds(2, 3, live=((1, 10),))))
    with pytest.raises(PhhError, match="small blind left of the button"):
        to_phh(folded_round(Blinds(3, 4)))
    # p1..p4 are seats 2, 3, 4, 1: seat 1 (p4) straddles before seat 4 (p3).
    with pytest.raises(PhhError, match="straddles in seat order"):
        to_phh(folded_round(Blinds(2, 3, straddles=((1, 20), (4, 40)))))
    assert "blinds_or_straddles = [5, 10, 0, 20]" in to_phh(folded_round(Blinds(2, 3, straddles=((1, 20),))))
    omaha_limit = Rules(Variant.OMAHA, Structure.FIXED_LIMIT, 5, 10)
    with pytest.raises(PhhError, match="no code for omaha FL"):
        to_phh(folded_round(Blinds(2, 3), omaha_limit))
    assert 'variant = "FO"' in to_phh(folded_round(Blinds(2, 3), omaha_limit), extensions=True)
    assert set(EXTENSION_CODES) == {"PT", "NO", "FO"}


def test_a_dead_small_blind_is_a_zero_blind() -> None:
    hand = Hand(NL, [(1, 500), (2, 500), (3, 500)], 1, deck_with({}), Blinds(None, 3))
    hand.act(1, Action.FOLD)
    hand.act(2, Action.FOLD)
    text = to_phh(hand)
    assert "blinds_or_straddles = [0, 10, 0]" in text
    [phh] = parse_phh(text)
    assert replay(phh).final_stacks == (500, 500, 500)


# -- parsing -------------------------------------------------------------------------------------

NT_HAND = """\
variant = "NT"
antes = [0, 0, 0]
blinds_or_straddles = [0.50, 1, 0]
min_bet = 1
starting_stacks = [200.30, 81.6, 197]
actions = [
  "d dh p1 AcKd", "d dh p2 ????", "d dh p3 ??7h  # partly seen",
  "",
  "# a commentary alone is a no-op",
  "p3 f", "p1 cbr 3.00", "p2 cc",
  "d db 2c3d4h", "p2 cc", "p1 cbr 1,000",
]
"""


def test_amounts_are_scaled_by_the_most_decimal_places_written() -> None:
    [phh] = parse_phh(NT_HAND)
    assert phh.places == 2 and phh.scale == 100
    assert phh.blinds_or_straddles == (50, 100, 0)
    assert phh.starting_stacks == (20030, 8160, 19700)
    assert phh.format_chips(8160) == "81.60" and phh.to_unit(5) == Decimal("0.05")
    moves = [action.move for action in phh.actions]
    assert moves[:3] == [DealHole(0, (from_str("Ac"), from_str("Kd"))), DealHole(1, (None, None)),
                         DealHole(2, (None, from_str("7h")))]
    assert moves[3:] == [Fold(2), BetRaiseTo(0, 300), CheckCall(1), DealBoard(tuple(map(from_str, ("2c", "3d", "4h")))),
                         CheckCall(1), BetRaiseTo(0, 100_000)]
    assert [action.index for action in phh.actions] == [1, 2, 3, 6, 7, 8, 9, 10, 11]
    assert phh.actions[2].commentary == "partly seen"


def test_a_phhs_holds_numbered_tables_and_keeps_their_numbers() -> None:
    other = NT_HAND.replace("0.50", "1").replace("200.30", "200").replace("3.00", "3")
    text = "[3]\n" + NT_HAND + "\n[7]\n" + other
    first, second = parse_phh(text)
    assert (first.number, first.key, second.number) == (3, "3", 7)
    assert (first.places, second.places) == (2, 1)  # each hand has its own scale ("81.6")


def test_show_and_muck_forms() -> None:
    text = NT_HAND.replace('"p1 cbr 1,000",', '"p1 cc", "p1 sm -", "p2 sm", "p3 sm ????"')
    moves = [action.move for action in parse_phh(text)[0].actions][-3:]
    assert moves == [ShowMuck(0, None, dealt=True), ShowMuck(1, None), ShowMuck(2, (None, None))]


@pytest.mark.parametrize(("change", "message"), [
    (('min_bet = 1\n', ''), "missing required field"),
    (('"p3 f"', '"p4 f"'), "no player p4"),
    (('"p3 f"', '"p3 xx"'), "not an action of the standard"),
    (('"d db 2c3d4h"', '"d db 2c3d4"'), "not a card list"),
    (('"d db 2c3d4h"', '"d db 2c3d1h"'), "English notation"),
    (('"p1 cbr 3.00"', '"p1 cbr -3"'), "not an amount"),
    (("antes = [0, 0, 0]", "antes = [0, 0]"), "antes has 2 entries for 3 players"),
    (("min_bet = 1", 'min_bet = "one"'), "must hold numbers"),
    (("min_bet = 1", "min_bet = nan"), "is not an amount"),
    (('actions = [', 'actions = [\n  "p1 cc",\n  "p1'), "not TOML"),
])
def test_unreadable_histories_are_refused_with_the_reason(change: tuple[str, str], message: str) -> None:
    with pytest.raises(PhhError, match=message):
        parse_phh(NT_HAND.replace(*change, 1))


def test_a_text_without_hands_is_refused() -> None:
    with pytest.raises(PhhError, match="no hand"):
        parse_phh("author = 'nobody'\n")
    with pytest.raises(PhhError, match="outside any hand"):
        parse_phh("author = 'x'\n[1]\n" + NT_HAND)


# -- replaying -----------------------------------------------------------------------------------


def hand_text(actions: list[str], *, variant: str = "NT", stacks: str = "[100, 100, 100]",
              antes: str | None = None, blinds: str | None = None, bets: str = "min_bet = 2") -> str:
    count = stacks.count(",") + 1
    antes = antes or "[" + ", ".join(["0"] * count) + "]"
    blinds = blinds or "[1, 2" + ", 0" * (count - 2) + "]"
    listed = ", ".join(f'"{a}"' for a in actions)
    return (f'variant = "{variant}"\nantes = {antes}\nblinds_or_straddles = {blinds}\n{bets}\n'
            f"starting_stacks = {stacks}\nactions = [{listed}]\n")


def replayed(text: str) -> Any:
    return replay(parse_phh(text)[0])


def test_heads_up_p1_is_the_big_blind_and_the_button_acts_first() -> None:
    result = replayed(hand_text(["d dh p1 AsAd", "d dh p2 KsKd", "p2 cbr 6", "p1 cc", "d db 2c3d4h",
                                 "p1 cbr 94", "p2 cc", "p1 sm AsAd", "p2 sm KsKd", "d db 9h", "d db Tc"],
                                stacks="[100, 100]"))
    assert result.outcome is Outcome.OK and result.final_stacks == (200, 0)
    assert result.hand.small_blind_seat == 2 and result.hand.button == 2


def test_a_heads_up_big_blind_ante_is_paid_by_p1() -> None:
    result = replayed(hand_text(["d dh p1 ????", "d dh p2 ????", "p2 f"], stacks="[100, 100]", antes="[0, 3]"))
    assert result.final_stacks == (101, 99)  # p1 takes back blind and ante, and the small blind


def test_straddles_move_the_first_action_and_raise_the_minimum_raise() -> None:
    straddled = ["d dh p1 ????", "d dh p2 ????", "d dh p3 ????", "d dh p4 ????", "d dh p5 ????"]
    text = hand_text([*straddled, "p5 cbr 7", "p1 f"], stacks="[100, 100, 100, 100, 100]",
                     blinds="[1, 2, 0, 4, 0]")
    result = replayed(text)
    assert result.outcome is Outcome.REFUSED
    assert result.message == 'action 6 "p5 cbr 7" refused: raise to 7 is below the minimum 8'
    result = replayed(text.replace('"p5 cbr 7", "p1 f"', '"p5 cbr 8", "p1 f", "p2 f", "p3 f", "p4 f"'))
    assert result.final_stacks == (99, 98, 100, 96, 107)


def test_refusals_name_players_and_amounts_in_the_files_terms() -> None:
    text = hand_text(["d dh p1 ????", "d dh p2 ????", "d dh p3 ????", "p1 cc"], blinds="[0.50, 1, 0]",
                     bets="min_bet = 1", stacks="[100, 100, 100]")
    assert replayed(text).message == 'action 4 "p1 cc" refused: not p1\'s turn: p3 acts'
    text = text.replace('"p1 cc"', '"p3 cbr 1.50"')
    assert replayed(text).message == 'action 4 "p3 cbr 1.50" refused: raise to 1.50 is below the minimum 2.00'
    text = text.replace('"p3 cbr 1.50"', '"p3 f", "p1 f", "p2 cc"')
    assert replayed(text).message == 'action 6 "p2 cc" refused: the hand is over'


def test_games_and_forced_bets_the_engine_does_not_deal_are_unsupported() -> None:
    deal = ["d dh p1 ????", "d dh p2 ????", "d dh p3 ????", "p3 f", "p1 f"]
    cases = [
        (hand_text(deal, variant="NS"), "variant 'NS'"),
        (hand_text(deal, antes="[0, 0, 5]"), "antes [0, 0, 5]"),
        (hand_text(deal, bets="min_bet = 4"), "min_bet 4 is not the big blind"),
        (hand_text(deal, variant="FT", bets="small_bet = 2\nbig_bet = 2"), "small_bet 2 and big_bet 2"),
        (hand_text(deal, stacks="[100, inf, 100]"), "unknown starting stack (inf) for p2"),
        (hand_text(deal, blinds="[1, 0, 0]"), "no big blind"),
    ]
    for text, message in cases:
        result = replayed(text)
        assert (result.outcome, message in result.message) == (Outcome.UNSUPPORTED, True), result.message


def test_a_history_at_odds_with_itself_is_invalid() -> None:
    deal = ["d dh p1 AsAd", "d dh p2 KsKd", "d dh p3 ????"]
    cases = [
        ([*deal, "p3 f"], "stops before the end of the hand: p1 is to act"),
        ([*deal, "p3 f", "d db 2c3d4h", "p1 cc"], "the engine has not dealt that street: p1 is to act"),
        ([*deal, "p3 f", "p1 cc", "p2 cc", "p1 cc"], "the history has dealt 0 board cards, the engine 3"),
        (["d dh p1 AsAd", "d dh p2 AsKd", "d dh p3 ????", "p3 f", "p1 f"], "dealt twice: As"),
        (["d dh p1 AsAdKc", "d dh p2 KsKd", "d dh p3 ????", "p3 f", "p1 f"], "p1 is dealt 3 hole cards"),
        ([*deal, "p3 f", "p1 f", "p2 sm KsKd2c"], "3 cards shown, 2 dealt"),
        ([*deal, "p3 f", "p1 f", "p2 sm KsQd"], "shows cards the player was not dealt"),
    ]
    for actions, message in cases:
        result = replayed(hand_text(actions))
        assert (result.outcome, message in result.message) == (Outcome.INVALID, True), result.message


SHOWDOWN = ["d dh p1 AsAd", "d dh p2 ????", "d dh p3 ????", "p3 f", "p1 cbr 6", "p2 cc",
            "d db Kc9d4s", "p1 cc", "p2 cc", "d db 2h", "p1 cc", "p2 cc", "d db Jc", "p1 cc", "p2 cc"]


def test_a_showdown_decided_by_unknown_cards_is_undetermined() -> None:
    result = replayed(hand_text([*SHOWDOWN, "p1 sm AsAd", "p2 sm ????"]))
    assert result.outcome is Outcome.UNDETERMINED and result.final_stacks is None
    assert result.message.startswith("p2 reaches the showdown with unknown hole cards")
    all_in = ["d dh p1 AsAd", "d dh p2 KsKd", "d dh p3 ????", "p3 f", "p1 cbr 100", "p2 cc", "p1 sm AsAd",
              "p2 sm KsKd"]  # the run-out's board is not in the history
    result = replayed(hand_text(all_in))
    assert result.outcome is Outcome.UNDETERMINED and result.message.startswith("the board is not fully known")


def test_cards_shown_at_the_showdown_fill_the_unknown_deal() -> None:
    result = replayed(hand_text([*SHOWDOWN, "p1 sm AsAd", "p2 sm 2d2c"]))  # a set of deuces
    assert (result.outcome, result.final_stacks) == (Outcome.OK, (94, 106, 100))


def test_a_player_who_mucks_unknown_cards_forfeits() -> None:
    # Dealing the lowest cards left (2c, 2d) to p2 would make three deuces and beat the aces;
    # the engine is dealt the weakest cards instead, which lose as the muck says.
    result = replayed(hand_text([*SHOWDOWN, "p1 sm AsAd", "p2 sm"]))
    assert (result.outcome, result.final_stacks) == (Outcome.OK, (106, 94, 100))


def test_a_muck_that_the_weakest_cards_still_win_is_undetermined() -> None:
    # The board is a straight nothing improves for p1: any two cards tie it at least, so the
    # engine would pay p2 whatever they held, and nothing can be said.
    actions = [a.replace("Kc9d4s", "Ts9h8s").replace("2h", "7c").replace("Jc", "6d") for a in SHOWDOWN]
    result = replayed(hand_text([*actions, "p1 sm AsAd", "p2 sm"]))
    assert result.outcome is Outcome.UNDETERMINED and "p2 reaches the showdown" in result.message


def test_a_winning_hand_mucked_is_invalid() -> None:
    result = replayed(hand_text([*[a.replace("p2 ????", "p2 QsQd") for a in SHOWDOWN], "p1 sm", "p2 sm QsQd"]))
    assert result.outcome is Outcome.INVALID
    assert result.message == "p1 mucks at the showdown a hand that wins 12: the engine pays the best hand"


def test_pokerkits_check_for_the_last_player_with_chips_is_accepted() -> None:
    actions = ["d dh p1 7c2d", "d dh p2 AsAd", "d dh p3 KsKd", "p3 cc", "p1 f", "{check}", "p2 sm AsAd",
               "p3 sm KsKd", "d db 2c3d4h", "d db 9s", "d db Ts"]
    with_check = hand_text([a.format(check="p2 cc") for a in actions], stacks="[50, 50, 1]")
    without = hand_text([a for a in actions if a != "{check}"], stacks="[50, 50, 1]")
    assert replayed(with_check).final_stacks == replayed(without).final_stacks == (49, 52, 0)
    assert pokerkit_stacks(with_check) == [49, 52, 0]


def test_a_split_pots_odd_chip_goes_to_the_first_winner_left_of_the_button() -> None:
    # p1 and p3 tie for 9 chips: 5 to p1, the first of them left of the button, 4 to p3.
    actions = ["d dh p1 AsKd", "d dh p2 7c2d", "d dh p3 AhKs", "p3 cc", "p1 cc", "p2 f", "d db 2s3c8h",
               "p1 cc", "p3 cc", "d db 9d", "p1 cc", "p3 cc", "d db Jc", "p1 cc", "p3 cc", "p1 sm AsKd",
               "p3 sm AhKs"]
    text = hand_text(actions, antes="[1, 1, 1]")
    assert replayed(text).final_stacks == (102, 97, 101)


def test_the_files_seat_numbers_become_the_engines_when_they_go_round_the_table() -> None:
    deal = ["d dh p1 ????", "d dh p2 ????", "d dh p3 ????", "p3 f", "p1 f"]
    round_table = replayed(hand_text(deal) + "seats = [8, 2, 5]\n")  # 8, then 2 and 5 after the wrap
    assert (round_table.hand.order, round_table.hand.button, round_table.final_stacks) == ([2, 5, 8], 5, (99, 101, 100))
    muddled = replayed(hand_text(deal) + "seats = [8, 5, 2]\n")  # not an order round a table
    assert (muddled.hand.order, muddled.final_stacks) == ([1, 2, 3], (99, 101, 100))


def test_the_weakest_omaha_completion_is_the_least_valuable() -> None:
    rng = random.Random("weakest")
    for _ in range(15):
        cards = list(range(52))
        rng.shuffle(cards)
        board, known = cards[:5], cards[5:5 + rng.choice([0, 1, 2])]
        spare = cards[5 + len(known):][:18]  # small enough for the brute force below
        hole = [*known, *[None] * (4 - len(known))]
        weakest = _weakest(hole, board, spare, Variant.OMAHA)
        assert weakest[:len(known)] == known
        assert evaluate_omaha(weakest, board) == min(evaluate_omaha([*known, *combo], board)
                                                     for combo in combinations(spare, 4 - len(known)))
    board = [from_str(c) for c in ("Ts", "9h", "8s", "7c", "6d")]
    held = _weakest([None, None], board, [c for c in range(52) if c not in board], Variant.HOLDEM)
    assert evaluate([*held, *board]) == evaluate(board)  # nothing beats playing the board's straight

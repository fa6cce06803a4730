"""Random hands played on Croupier's engine and on PokerKit side by side (test support)."""

from __future__ import annotations

import random
from typing import Any

from pokerkit import (Automation, FixedLimitPokerMixin, FixedLimitTexasHoldem, Holdem, NoLimitPokerMixin,
                      NoLimitTexasHoldem, OmahaHoldemHand, OmahaHoldemMixin, PotLimitOmahaHoldem, PotLimitPokerMixin,
                      TexasHoldemMixin, UnfixedLimitHoldem)

from games.betting import Action, Structure
from games.cards import full_deck, to_str
from games.dealer import Dealer
from games.hand import Hand, Rules, Variant

AUTOMATIONS = (Automation.ANTE_POSTING, Automation.BET_COLLECTION, Automation.BLIND_OR_STRADDLE_POSTING,
               Automation.CARD_BURNING, Automation.HOLE_CARDS_SHOWING_OR_MUCKING, Automation.HAND_KILLING,
               Automation.CHIPS_PUSHING, Automation.CHIPS_PULLING)


# The variants PokerKit does not ship, assembled from its own parts as it assembles the others.
class PotLimitTexasHoldem(PotLimitPokerMixin, TexasHoldemMixin, UnfixedLimitHoldem):
    hand_types = NoLimitTexasHoldem.hand_types


class NoLimitOmahaHoldem(NoLimitPokerMixin, OmahaHoldemMixin, UnfixedLimitHoldem):
    hand_types = (OmahaHoldemHand,)


class FixedLimitOmahaHoldem(FixedLimitPokerMixin, OmahaHoldemMixin, Holdem):
    hand_types = (OmahaHoldemHand,)


GAMES = {
    "THNL": (Variant.HOLDEM, Structure.NO_LIMIT, NoLimitTexasHoldem),
    "THPL": (Variant.HOLDEM, Structure.POT_LIMIT, PotLimitTexasHoldem),
    "THL": (Variant.HOLDEM, Structure.FIXED_LIMIT, FixedLimitTexasHoldem),
    "OHNL": (Variant.OMAHA, Structure.NO_LIMIT, NoLimitOmahaHoldem),
    "OHPL": (Variant.OMAHA, Structure.POT_LIMIT, PotLimitOmahaHoldem),
    "OHL": (Variant.OMAHA, Structure.FIXED_LIMIT, FixedLimitOmahaHoldem),
}
ANTES = ("none", "each", "big_blind")


class KnownDeck:
    def __init__(self, rng: random.Random) -> None:
        self.cards = full_deck()
        rng.shuffle(self.cards)  # test data only: games use the dealer's CSPRNG

    def deck(self) -> list[int]:
        return list(self.cards)


def _pokerkit_state(game: str, stacks: list[int], sb: int, bb: int, ante: int, antes: str) -> Any:
    _, structure, kind = GAMES[game]
    if antes == "big_blind":
        # PokerKit's big-blind ante is index 1's, heads-up too (it swaps the blinds and the
        # antes together); it is dead money, never trimmed.
        raw_antes: Any = {1: ante}
    else:
        raw_antes = ante if antes == "each" else 0
    bets = (bb, 2 * bb) if structure is Structure.FIXED_LIMIT else (bb,)
    return kind(AUTOMATIONS, antes != "big_blind", raw_antes, (sb, bb), *bets)(stacks, len(stacks))


def play(rng: random.Random, game: str) -> tuple[dict[int, int], list[int], list[str]]:
    """Play one random hand on both engines; return our final stacks, PokerKit's, and the log."""
    variant, structure, _ = GAMES[game]
    players = rng.randint(2, 6)
    sb, bb = rng.choice([(50, 100), (25, 50), (1, 2), (5, 10)])
    antes = rng.choice(ANTES)
    ante = 0 if antes == "none" else rng.choice([1, bb // 2, bb])
    stacks = [rng.randint(1, 80) * rng.choice([bb // 2, bb, 3 * bb]) for _ in range(players)]
    if antes == "big_blind":
        # Known rule difference: a big blind short of blind plus ante posts the blind first
        # in Croupier (the tournament directors' rule), the ante first in PokerKit. Tested
        # in test_hand_forced_bets; here the big blind covers both.
        big_blind = 0 if players == 2 else 1
        stacks[big_blind] = max(stacks[big_blind], bb + ante + 1)
    state = _pokerkit_state(game, stacks, sb, bb, ante, antes)
    deck = Dealer(KnownDeck(rng)).new_deck("oracle")
    # PokerKit's seats: 0 small blind, 1 big blind, the last one the button (heads-up: 1 is
    # the button and small blind). Ours: the same seat numbers, button = the last seat.
    rules = Rules(variant, structure, sb, bb, ante=ante, big_blind_ante=antes == "big_blind")
    hand = Hand(rules, list(enumerate(stacks)), players - 1, deck)
    for seat in range(players):
        state.deal_hole("".join(to_str(c) for c in hand.hole[seat]))
    log: list[str] = [f"{game} stacks={stacks} blinds={sb}/{bb} ante={ante} ({antes})"]

    def sync_board() -> None:
        while state.can_deal_board():
            dealt = sum(len(cards) for cards in state.board_cards)
            count = 3 if dealt == 0 else 1
            assert len(hand.board) >= dealt + count, (log, "PokerKit deals a street Croupier did not", hand.board)
            state.deal_board("".join(to_str(c) for c in hand.board[dealt:dealt + count]))

    while hand.result is None:
        sync_board()
        seat = hand.turn
        assert state.actor_index == seat, (log, state.actor_index, seat)
        legal = hand.betting.legal()
        if state.can_complete_bet_or_raise_to():
            theirs = (state.min_completion_betting_or_raising_to_amount,
                      state.max_completion_betting_or_raising_to_amount)
        else:
            theirs = (None, None)
        if (structure is Structure.FIXED_LIMIT and legal.min_raise_to is None and theirs != (None, None)
                and hand.betting.bets_made >= hand.betting.max_bets):
            # Known rule difference: Croupier caps a round at a bet and three raises, the big
            # blind counting as the bet pre-flop; PokerKit allows four raises on top of the
            # blind. Both engines then see the same call or fold.
            theirs = (None, None)
        if (hand.street == 0 and hand.betting.full_raises == 0 and legal.min_raise_to is None
                and theirs != (None, None) and legal.call > 0):
            # Known rule difference: pre-flop, a short all-in raise over the big blind does
            # not reopen the betting to players who already called it (the card rooms' rule,
            # kept by Croupier); PokerKit counts the blind as no bet and reopens it.
            theirs = (None, None)
        if legal.min_raise_to is None and theirs != (None, None) and _short_opening_bet(hand):
            # Known rule difference: PokerKit sizes the round's raises by its first bet even
            # when that bet was an all-in for less than a full bet, so a later all-in as big
            # as it reopens the betting there; Croupier keeps the full bet (the big blind, or
            # the limit's unit, half of it under the half-bet rule) as the size to reach.
            theirs = (None, None)
        ours_bounds = (legal.min_raise_to, legal.max_raise_to)
        if legal.min_raise_to is not None and theirs == (None, None) and _reopened_by_short_all_ins(hand, seat):
            # Known rule difference: short all-ins that add up to a full raise reopen the
            # betting for those who had acted (the card rooms' rule, kept by Croupier);
            # PokerKit restarts the sum each time it reaches a full raise. Both engines
            # then see the same call or fold.
            ours_bounds = (None, None)
            legal = type(legal)(legal.seat, legal.can_check, legal.call, None, None)
        assert ours_bounds == theirs, (log, legal, theirs)
        assert state.checking_or_calling_amount == legal.call, (log, legal, state.checking_or_calling_amount)
        choice = rng.random()
        if choice < 0.15 and not legal.can_check:
            hand.act(seat, Action.FOLD)
            state.fold()
            log.append(f"{seat} folds")
        elif choice < 0.6 or legal.min_raise_to is None:
            hand.act(seat, Action.CHECK if legal.can_check else Action.CALL)
            state.check_or_call()
            log.append(f"{seat} checks/calls")
        else:
            low, high = legal.min_raise_to, legal.max_raise_to
            assert low is not None and high is not None
            amount = high if rng.random() < 0.2 else rng.randint(low, high)
            hand.act(seat, Action.RAISE, amount)
            state.complete_bet_or_raise_to(amount)
            log.append(f"{seat} raises to {amount}")
    # Known difference: with everyone else all-in, PokerKit still asks the last player with
    # chips to act (a check with nothing to call) before the run-out; Croupier skips it.
    while state.status:
        sync_board()
        if state.actor_index is not None:
            assert state.checking_or_calling_amount == 0 and state.can_check_or_call(), log
            state.check_or_call()
            log.append(f"{state.actor_index} pokerkit-only check")
        elif not state.can_deal_board():
            break
    assert hand.result is not None
    return pokerkit_odd_chips(hand), list(state.stacks), log


def _short_opening_bet(hand: Hand) -> bool:
    """This post-flop round was opened by an all-in bet smaller than a full bet."""
    if hand.street == 0:
        return False
    raises = [d for street, d in hand.history if street == hand.street and d.action is Action.RAISE]
    if not raises or not raises[0].all_in:
        return False
    full = hand.rules.bet_unit(hand.street) if hand.rules.structure is Structure.FIXED_LIMIT else hand.rules.big_blind
    return raises[0].bet_to < full


def _reopened_by_short_all_ins(hand: Hand, seat: int) -> bool:
    """The seat acted this round and only all-in raises came after its last action."""
    this_round = [d for street, d in hand.history if street == hand.street]
    mine = [i for i, d in enumerate(this_round) if d.seat == seat]
    if not mine:
        return False
    later = this_round[mine[-1] + 1:]
    return all(d.all_in for d in later if d.action is Action.RAISE) and any(
        d.action is Action.RAISE for d in later)


def pokerkit_odd_chips(hand: Hand) -> dict[int, int]:
    """Croupier's final stacks under PokerKit's way of splitting, for the comparison.

    Known differences, both about odd chips only: Croupier splits each pot on its own and
    gives its odd chips one each to the winners in order left of the button (the card
    rooms' rule, tested in test_pots); PokerKit first mucks the hands that win nothing,
    merges neighbouring pots left with the same players, and gives a split's whole
    remainder to its lowest seat. Recomputed from Croupier's own pots, winners and hand
    values, so those are still compared exactly.
    """
    result = hand.result
    assert result is not None
    settlement = result.settlement
    final = {seat: hand.stacks[seat] + settlement.returned.get(seat, 0) for seat in hand.order}
    winners_anywhere = {seat for winners in settlement.winners for seat in winners}
    merged: list[list] = []
    for pot in settlement.pots:
        alive = tuple(s for s in pot.eligible if s in winners_anywhere)
        if merged and merged[-1][0] == alive:
            merged[-1][1] += pot.amount
        else:
            merged.append([alive, pot.amount])
    for alive, amount in merged:
        if result.showdown:
            best = max(result.values[s] for s in alive)
            winners = sorted(s for s in alive if result.values[s] == best)
        else:
            winners = list(alive)
        share, odd = divmod(amount, len(winners))
        for position, seat in enumerate(winners):
            final[seat] += share + (odd if position == 0 else 0)
    assert sum(final.values()) == sum(result.final_stacks.values())
    return final

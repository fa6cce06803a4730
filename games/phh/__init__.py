"""PHH, the PokerKit hand-history standard: export a finished hand, read .phh and .phhs
files, replay a history through the engine.

PHH (phh.readthedocs.io, "Poker Hand History File Format Specification") is TOML. The
conventions this module relies on, checked against PokerKit, the standard's reference:

- players are ``p1`` ... ``pN``: ``p1`` is the first seat left of the button, ``pN`` the
  button. Heads-up ``p1`` is the big blind and ``p2`` the button, who posts the small
  blind: the standard "reverses" the forced bets for two players;
- ``blinds_or_straddles`` and ``antes`` are indexed by position: 0 the small blind, 1 the
  big blind, 2 and on the straddles (heads-up reversed, so index 0 is still what the small
  blind posts). A big-blind ante is ``antes`` with only index 1 set;
- actions: ``d dh p1 AcKd`` (hole cards), ``d db AhKh2c`` (board), ``p2 cbr 10`` (bet or
  raise to a total for the round, as the engine's ``raise_to``), ``p1 cc`` (check or
  call), ``p3 f`` (fold), ``p1 sm AcKd`` (show), ``p2 sm`` (muck), ``p1 sm -`` (show the
  cards dealt); ``??`` is an unknown card, ``# text`` a commentary. Forced bets are not
  actions: they follow from the fields. In an all-in the hands are shown as soon as the
  betting is over, before the rest of the board.

Amounts may be decimals (``0.50``, ``200.30``): the engine counts integer chips, so a
hand is read with a scale, ``10 ** places`` with ``places`` the most decimal places any
of its amounts is written with, and every amount becomes an exact integer of
``1 / scale`` (``Decimal``, never ``float``); results go back in the file's unit. PHH does
not say what the smallest chip is, so the last decimal place written is taken for it: a
split pot's odd amount is shared in that unit (cents for ``0.50``/``200.30``).

Variants: the engine plays Hold'em and Omaha, no-limit, pot-limit and fixed-limit. The
standard has codes for three of those six games: ``NT``, ``FT`` and ``PO``. The other
three are written here with the codes the standard's naming scheme gives them (structure
letter, game letter): ``PT``, ``NO`` and ``FO``; these are Croupier's, PokerKit reads none
of them, so :func:`to_phh` writes them only when asked to (``extensions=True``).

Replaying uses the engine's rules, not PokerKit's; where they differ a history written
under PokerKit's rules is refused with the engine's reason (a minimum raise over a
straddle is the straddle here, the largest bet increment in PokerKit; a fixed-limit round
is capped at a bet and three raises, the big blind counting as the bet pre-flop; a short
all-in raise over the big blind does not reopen the betting). Two PokerKit habits are
accepted as they change nothing: the check it asks of the last player with chips when
everyone else is all-in, and folding when checking is possible. A big blind too short for
blind and ante posts the blind first (the engine's rule), the ante first in PokerKit; a
player short of a uniform ante contests only the antes they matched (the engine's rule,
PHH's ``ante_trimming_status = true``).
"""

# One job a module: model (typed histories), codes (variant codes), actions (the action
# notation), parse (.phh/.phhs texts), export (to_phh, to_phhs), outcome (Outcome, Replay),
# table (the engine's table), deck (the history's cards and deck), stand_ins (muckers'
# weakest cards), replaying (replay through the engine).
from games.phh.codes import EXTENSION_CODES, GAMES, STANDARD_CODES, variant_code
from games.phh.deck import BOARD_SIZE, HistoryDeck
from games.phh.export import phh_order, to_phh, to_phhs
from games.phh.model import (BetRaiseTo, BringIn, Cards, CheckCall, DealBoard, DealHole, Fold, Move, PhhAction,
                             PhhError, PhhHand, ShowMuck, StandPatDiscard, player_label)
from games.phh.outcome import Outcome, Replay
from games.phh.parse import REQUIRED_FIELDS, parse_phh
from games.phh.replaying import replay
from games.phh.stand_ins import _weakest as _weakest  # tests/games/test_phh.py

__all__ = [
    "BOARD_SIZE", "EXTENSION_CODES", "GAMES", "REQUIRED_FIELDS", "STANDARD_CODES",
    "BetRaiseTo", "BringIn", "Cards", "CheckCall", "DealBoard", "DealHole", "Fold", "HistoryDeck", "Move",
    "Outcome", "PhhAction", "PhhError", "PhhHand", "Replay", "ShowMuck", "StandPatDiscard",
    "parse_phh", "phh_order", "player_label", "replay", "to_phh", "to_phhs", "variant_code",
]

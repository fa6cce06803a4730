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

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from itertools import combinations
from typing import Any, Callable, Iterable, Mapping, Sequence, Union

from games.betting import Action, IllegalAction, Structure
from games.cards import Card, CardError, format_cards, from_str, full_deck, to_str
from games.dealer import Dealer
from games.evaluator import evaluate, evaluate_omaha
from games.hand import Acted, Blinds, BoardDealt, Hand, HandError, Mucked, Rules, Shown, Variant

#: The standard's codes for the games the engine plays.
STANDARD_CODES: dict[str, tuple[Variant, Structure]] = {
    "NT": (Variant.HOLDEM, Structure.NO_LIMIT),
    "FT": (Variant.HOLDEM, Structure.FIXED_LIMIT),
    "PO": (Variant.OMAHA, Structure.POT_LIMIT),
}
#: Croupier's codes, after the standard's naming scheme, for the games it has no code for.
EXTENSION_CODES: dict[str, tuple[Variant, Structure]] = {
    "PT": (Variant.HOLDEM, Structure.POT_LIMIT),
    "NO": (Variant.OMAHA, Structure.NO_LIMIT),
    "FO": (Variant.OMAHA, Structure.FIXED_LIMIT),
}
GAMES = {**STANDARD_CODES, **EXTENSION_CODES}

_NO_LIMIT_FIELDS = ("antes", "blinds_or_straddles", "min_bet", "starting_stacks", "actions")
_FIXED_LIMIT_FIELDS = ("antes", "blinds_or_straddles", "small_bet", "big_bet", "starting_stacks", "actions")
_STUD_FIELDS = ("antes", "bring_in", "small_bet", "big_bet", "starting_stacks", "actions")
#: Required fields by variant, as the standard's table has them (and alike for Croupier's codes).
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "FT": _FIXED_LIMIT_FIELDS, "NT": _NO_LIMIT_FIELDS, "NS": _NO_LIMIT_FIELDS, "PO": _NO_LIMIT_FIELDS,
    "FO/8": _FIXED_LIMIT_FIELDS, "F7S": _STUD_FIELDS, "F7S/8": _STUD_FIELDS, "FR": _STUD_FIELDS,
    "N2L1D": _NO_LIMIT_FIELDS, "F2L3D": _FIXED_LIMIT_FIELDS, "FB": _FIXED_LIMIT_FIELDS,
    "PT": _NO_LIMIT_FIELDS, "NO": _NO_LIMIT_FIELDS, "FO": _FIXED_LIMIT_FIELDS,
}
_COMMON_FIELDS = ("antes", "starting_stacks", "actions")
_AMOUNT_FIELDS = ("min_bet", "small_bet", "big_bet", "bring_in")
_ARRAY_FIELDS = ("antes", "blinds_or_straddles", "finishing_stacks", "winnings")
_KNOWN_FIELDS = {"variant", "ante_trimming_status", "starting_stacks", "actions", "seats", "players", "hand",
                 "currency", *_AMOUNT_FIELDS, *_ARRAY_FIELDS}

BOARD_SIZE = 5


class PhhError(ValueError):
    """A text that is not a readable PHH history, or a hand PHH cannot express."""


def player_label(index: int) -> str:
    """``p1`` for the player of index 0."""
    return f"p{index + 1}"


# -- typed histories ---------------------------------------------------------------------------

Cards = tuple[Union[Card, None], ...]  # None: an unknown card, ``??``


@dataclass(frozen=True)
class DealHole:
    player: int  # index from 0: p1 is 0
    cards: Cards


@dataclass(frozen=True)
class DealBoard:
    cards: Cards


@dataclass(frozen=True)
class Fold:
    player: int


@dataclass(frozen=True)
class CheckCall:
    player: int


@dataclass(frozen=True)
class BetRaiseTo:
    player: int
    amount: int  # the round total, in 1/scale of the file's unit


@dataclass(frozen=True)
class ShowMuck:
    player: int
    cards: Cards | None  # None: mucked, unless ``dealt``
    dealt: bool = False  # ``sm -``: shows the cards dealt


@dataclass(frozen=True)
class StandPatDiscard:
    player: int
    cards: Cards


@dataclass(frozen=True)
class BringIn:
    player: int


Move = Union[DealHole, DealBoard, Fold, CheckCall, BetRaiseTo, ShowMuck, StandPatDiscard, BringIn]


@dataclass(frozen=True)
class PhhAction:
    index: int  # position in the file's ``actions`` array, from 1
    text: str
    move: Move
    commentary: str | None = None

    @property
    def where(self) -> str:
        return f'action {self.index} "{self.text.strip()}"'


@dataclass(frozen=True)
class PhhHand:
    """One hand of a PHH file; every amount is an integer of ``1 / scale`` of the file's unit."""

    number: int  # 1 for a .phh; a .phhs table's number ([3] is 3), else its position
    key: str  # the .phhs table name ("1" for a .phh)
    variant: str
    places: int  # decimal places of the file's amounts: scale = 10 ** places
    antes: tuple[int, ...]
    blinds_or_straddles: tuple[int, ...] | None
    min_bet: int | None
    small_bet: int | None
    big_bet: int | None
    bring_in: int | None
    starting_stacks: tuple[int | None, ...]  # None: unknown (``inf``)
    actions: tuple[PhhAction, ...]  # no-ops (empty, a commentary alone) left out
    ante_trimming_status: bool = False
    seats: tuple[int, ...] | None = None
    players: tuple[str, ...] | None = None
    hand_id: str | int | None = None  # the ``hand`` field
    finishing_stacks: tuple[int, ...] | None = None
    winnings: tuple[int, ...] | None = None
    currency: str | None = None
    other: Mapping[str, Any] = field(default_factory=dict)  # the optional fields not typed above

    @property
    def scale(self) -> int:
        return 10 ** self.places

    @property
    def player_count(self) -> int:
        return len(self.starting_stacks)

    def to_unit(self, chips: int) -> Decimal:
        return Decimal(chips).scaleb(-self.places)

    def format_chips(self, chips: int) -> str:
        """``12345`` at two places is ``"123.45"``: the file's unit, with the file's precision."""
        if self.places == 0:
            return str(chips)
        whole, part = divmod(chips, self.scale)
        return f"{whole}.{part:0{self.places}d}"


# -- reading ------------------------------------------------------------------------------------


def parse_phh(text: str) -> list[PhhHand]:
    """A .phh (one hand: top-level ``variant``) or a .phhs (tables ``[1]``, ``[2]``...)."""
    try:
        document = tomllib.loads(text, parse_float=Decimal)  # floats are amounts: exact, never binary
    except tomllib.TOMLDecodeError as exc:
        raise PhhError(f"not TOML: {exc}") from None
    if "variant" in document:
        return [_parse_hand(document, "1", 1)]
    tables = [(key, value) for key, value in document.items() if isinstance(value, dict)]
    if not tables:
        raise PhhError("no hand: a .phh has a top-level variant, a .phhs tables [1], [2]...")
    strays = [key for key, value in document.items() if not isinstance(value, dict)]
    if strays:
        raise PhhError(f"fields outside any hand's table: {', '.join(strays)}")
    return [_parse_hand(table, key, int(key) if key.isdigit() else position)
            for position, (key, table) in enumerate(tables, start=1)]


def _parse_hand(raw: Mapping[str, Any], key: str, number: int) -> PhhHand:
    where = f"hand {key}"
    try:
        return _build_hand(raw, key, number)
    except PhhError as exc:
        raise PhhError(f"{where}: {exc}") from None


def _build_hand(raw: Mapping[str, Any], key: str, number: int) -> PhhHand:
    variant = raw.get("variant")
    if not isinstance(variant, str):
        raise PhhError("variant must be a string")
    missing = [name for name in REQUIRED_FIELDS.get(variant, _COMMON_FIELDS) if name not in raw]
    if missing:
        raise PhhError(f"missing required field(s) for {variant}: {', '.join(missing)}")
    if not isinstance(raw["starting_stacks"], list):
        raise PhhError("starting_stacks must be an array")
    stacks = [_stack(value) for value in raw["starting_stacks"]]
    count = len(stacks)
    if count == 0:
        raise PhhError("starting_stacks is empty")
    arrays = {name: _amounts(raw[name], name, count) for name in _ARRAY_FIELDS if name in raw}
    singles = {name: _amount(raw[name], name) for name in _AMOUNT_FIELDS if name in raw}
    texts = _strings(raw["actions"], "actions")
    raises = [amount for index, text in enumerate(texts, start=1)
              if (amount := _raise_amount(text, index)) is not None]
    places = _decimal_places([*(s for s in stacks if s is not None), *singles.values(), *raises,
                              *(value for values in arrays.values() for value in values)])
    scale = 10 ** places

    def chips(value: Decimal) -> int:
        return int(value * scale)  # exact: scale covers every decimal place written

    def scaled(values: Sequence[Decimal] | None) -> tuple[int, ...] | None:
        return None if values is None else tuple(map(chips, values))

    single = {name: chips(value) for name, value in singles.items()}
    seats, players = raw.get("seats"), raw.get("players")
    return PhhHand(
        number=number, key=key, variant=variant, places=places,
        antes=tuple(map(chips, arrays["antes"])), blinds_or_straddles=scaled(arrays.get("blinds_or_straddles")),
        min_bet=single.get("min_bet"), small_bet=single.get("small_bet"), big_bet=single.get("big_bet"),
        bring_in=single.get("bring_in"),
        starting_stacks=tuple(None if s is None else chips(s) for s in stacks),
        actions=tuple(action for index, text in enumerate(texts, start=1)
                      if (action := _parse_action(text, index, count, chips)) is not None),
        ante_trimming_status=_typed(raw, "ante_trimming_status", (bool,), "true or false") or False,
        seats=_seat_list(seats, count) if seats is not None else None,
        players=tuple(_strings(players, "players", count)) if players is not None else None,
        hand_id=_typed(raw, "hand", (str, int), "a string or an integer"),
        finishing_stacks=scaled(arrays.get("finishing_stacks")), winnings=scaled(arrays.get("winnings")),
        currency=_typed(raw, "currency", (str,), "a string"),
        other={name: value for name, value in raw.items() if name not in _KNOWN_FIELDS},
    )


def _decimal_places(amounts: Iterable[Decimal]) -> int:
    """The most decimal places any amount is written with ("0.50" has two, "2E+3" none)."""
    return max((-int(exponent) for amount in amounts if int(exponent := amount.as_tuple().exponent) < 0),
               default=0)


def _typed(raw: Mapping[str, Any], name: str, kinds: tuple[type, ...], what: str) -> Any:
    value = raw.get(name)
    if value is not None and (isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds)):
        raise PhhError(f"{name} must be {what}")
    return value


def _amount(value: object, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise PhhError(f"{name} must hold numbers, not {value!r}")
    number = Decimal(value)
    if not number.is_finite():
        raise PhhError(f"{name}: {value} is not an amount")
    if number < 0:
        raise PhhError(f"{name}: {value} is negative")
    return number


def _stack(value: object) -> Decimal | None:
    if isinstance(value, Decimal) and value.is_infinite() and value > 0:
        return None  # the standard writes an unknown stack as inf
    return _amount(value, "starting_stacks")


def _amounts(value: object, name: str, count: int) -> list[Decimal]:
    if not isinstance(value, list):
        raise PhhError(f"{name} must be an array")
    if len(value) != count:
        raise PhhError(f"{name} has {len(value)} entries for {count} players")
    return [_amount(item, name) for item in value]


def _strings(value: object, name: str, count: int | None = None) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise PhhError(f"{name} must be an array of strings")
    if count is not None and len(value) != count:
        raise PhhError(f"{name} has {len(value)} entries for {count} players")
    return value


def _seat_list(value: object, count: int) -> tuple[int, ...]:
    if (not isinstance(value, list) or len(value) != count
            or not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in value)):
        raise PhhError(f"seats must be {count} positive integers")
    return tuple(value)


def _words(text: str) -> tuple[list[str], str | None]:
    body, hash_, comment = text.partition("#")
    return body.split(), comment.strip() if hash_ else None


def _raise_amount(text: str, index: int) -> Decimal | None:
    words, _ = _words(text)
    if len(words) != 3 or words[1] != "cbr":
        return None
    try:
        return _amount_word(words[2])
    except PhhError as exc:
        raise PhhError(f'action {index} "{text.strip()}": {exc}') from None


def _amount_word(word: str) -> Decimal:
    try:
        amount = Decimal(word.replace(",", ""))  # PokerKit reads "1,000" too
    except ArithmeticError:
        raise PhhError(f"not an amount: {word!r}") from None
    if not amount.is_finite() or amount <= 0:
        raise PhhError(f"not an amount: {word!r}")
    return amount


def _cards_word(word: str) -> Cards:
    if len(word) % 2:
        raise PhhError(f"not a card list: {word!r}")
    try:
        return tuple(None if word[i:i + 2] == "??" else from_str(word[i:i + 2]) for i in range(0, len(word), 2))
    except CardError as exc:
        raise PhhError(str(exc)) from None


def _player_word(word: str, count: int) -> int:
    if not re.fullmatch(r"p[1-9][0-9]*", word):
        raise PhhError(f"not a player: {word!r}")
    index = int(word[1:]) - 1
    if index >= count:
        raise PhhError(f"no player {word} in a hand of {count}")
    return index


def _parse_action(text: str, index: int, count: int, chips: Callable[[Decimal], int]) -> PhhAction | None:
    words, commentary = _words(text)
    if not words:
        return None  # a no-op: empty, or a commentary alone
    try:
        move = _move(words, count, chips)
    except PhhError as exc:
        raise PhhError(f'action {index} "{text.strip()}": {exc}') from None
    return PhhAction(index, text, move, commentary)


def _move(words: list[str], count: int, chips: Callable[[Decimal], int]) -> Move:
    match words:
        case ["d", "db", cards]:
            return DealBoard(_cards_word(cards))
        case ["d", "dh", player, cards]:
            return DealHole(_player_word(player, count), _cards_word(cards))
        case [player, "f"]:
            return Fold(_player_word(player, count))
        case [player, "cc"]:
            return CheckCall(_player_word(player, count))
        case [player, "cbr", amount]:
            return BetRaiseTo(_player_word(player, count), chips(_amount_word(amount)))
        case [player, "sm"]:
            return ShowMuck(_player_word(player, count), None)
        case [player, "sm", "-"]:
            return ShowMuck(_player_word(player, count), None, dealt=True)
        case [player, "sm", cards]:
            return ShowMuck(_player_word(player, count), _cards_word(cards))
        case [player, "sd"]:
            return StandPatDiscard(_player_word(player, count), ())
        case [player, "sd", cards]:
            return StandPatDiscard(_player_word(player, count), _cards_word(cards))
        case [player, "pb"]:
            return BringIn(_player_word(player, count))
    raise PhhError("not an action of the standard")


# -- writing ------------------------------------------------------------------------------------


def variant_code(variant: Variant, structure: Structure, *, extensions: bool = False) -> str:
    for codes in (STANDARD_CODES, EXTENSION_CODES if extensions else {}):
        for code, game in codes.items():
            if game == (variant, structure):
                return code
    raise PhhError(f"PHH has no code for {variant.name.lower()} {structure.value} "
                   f"(Croupier's {', '.join(EXTENSION_CODES)} need extensions=True)")


def phh_order(hand: Hand) -> list[int]:
    """The hand's seats as p1 ... pN: from the first seat left of the button, the button last."""
    start = (hand.order.index(hand.button) + 1) % len(hand.order)
    return hand.order[start:] + hand.order[:start]


class _Units:
    """Chips written in the file's unit: ``unit`` is one chip's value there (0.01: cents)."""

    def __init__(self, unit: Decimal | int) -> None:
        self.unit = Decimal(unit)
        if not self.unit.is_finite() or self.unit <= 0:
            raise PhhError(f"a chip's value must be positive, not {unit}")
        self.places = max(0, -int(self.unit.normalize().as_tuple().exponent))

    def text(self, chips: int) -> str:
        value = self.unit * chips
        return str(int(value)) if self.places == 0 else f"{value:.{self.places}f}"

    def array(self, chips: Iterable[int]) -> str:
        return "[" + ", ".join(map(self.text, chips)) + "]"


def _toml_string(text: str) -> str:
    # JSON's escapes are TOML's; TOML also wants DEL escaped, which JSON leaves alone.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _forced_bets(hand: Hand, index: Mapping[int, int]) -> tuple[list[int], list[int], bool]:
    """``antes``, ``blinds_or_straddles`` and ``ante_trimming_status`` by PHH position."""
    rules, blinds, count = hand.rules, hand.blinds, len(index)
    if blinds.live or blinds.dead:
        raise PhhError("PHH has no live or dead posts: its forced bets are blinds, straddles and antes")
    small_position, big_position = (1, 0) if count == 2 else (0, 1)
    if index[blinds.big_blind] != big_position or (
            blinds.small_blind is not None and index[blinds.small_blind] != small_position):
        raise PhhError("PHH puts the small blind left of the button (on the button heads-up) "
                       "and the big blind after it")
    forced = [0] * count
    forced[0] = rules.small_blind if blinds.small_blind is not None else 0
    forced[1] = rules.big_blind
    last = 1
    for seat, amount in blinds.straddles:
        if index[seat] <= last:
            raise PhhError("PHH posts straddles in seat order from the first seat after the big blind")
        last = index[seat]
        forced[last] = amount
    antes = [0] * count
    if rules.ante and rules.big_blind_ante:
        antes[1] = rules.ante  # position 1 is the big blind's, heads-up too
    elif rules.ante:
        antes = [rules.ante] * count
    # The engine's uniform ante is a contribution like any bet: a player short of it
    # contests only what they matched, which PHH calls ante trimming.
    return antes, forced, bool(rules.ante) and not rules.big_blind_ante


def _showdown_lines(hand: Hand, label: Mapping[int, str]) -> list[str]:
    """One ``sm`` per player at the showdown, in the engine's order; a player who mucked and
    showed after the hand (``Hand.show``) is written as showing. Without a showdown PHH has
    no ``sm``: a winner's voluntary show is a commentary."""
    shown = {e.seat: e.cards for e in hand.log if isinstance(e, Shown)}
    assert hand.result is not None
    if not hand.result.showdown:
        return [f"# {label[seat]} shows {format_cards(cards)}" for seat, cards in shown.items()]
    order = dict.fromkeys(e.seat for e in hand.log if isinstance(e, (Shown, Mucked)))
    return [f"{label[seat]} sm {format_cards(shown[seat])}" if seat in shown else f"{label[seat]} sm"
            for seat in order]


def _run_out_start(hand: Hand) -> int | None:
    """Index in the log of the first board dealt with no betting possible, if any: PHH shows
    the hands at that point, as soon as the betting is over."""
    assert hand.result is not None
    if not hand.result.showdown:
        return None
    last_decision = max((i for i, e in enumerate(hand.log) if isinstance(e, Acted)), default=-1)
    return next((i for i, e in enumerate(hand.log) if isinstance(e, BoardDealt) and i > last_decision), None)


def _action_lines(hand: Hand, order: Sequence[int], units: _Units, public: bool) -> list[str]:
    label = {seat: player_label(i) for i, seat in enumerate(order)}
    shown = {e.seat for e in hand.log if isinstance(e, Shown)}
    hole_count = hand.rules.variant.hole_cards
    lines = [f"d dh {label[seat]} "
             + ("??" * hole_count if public and seat not in shown else format_cards(hand.hole[seat]))
             for seat in order]
    showdown = _showdown_lines(hand, label)
    run_out = _run_out_start(hand)
    for i, event in enumerate(hand.log):
        if i == run_out:
            lines.extend(showdown)
        if isinstance(event, BoardDealt):
            lines.append(f"d db {format_cards(event.cards)}")
        elif isinstance(event, Acted):
            decision = event.decision
            if decision.action is Action.FOLD:
                lines.append(f"{label[decision.seat]} f" + (" # time out" if event.timed_out else ""))
            elif decision.action is Action.RAISE:
                lines.append(f"{label[decision.seat]} cbr {units.text(decision.bet_to)}")
            else:
                lines.append(f"{label[decision.seat]} cc")
    if run_out is None:
        lines.extend(showdown)
    return lines


def to_phh(hand: Hand, *, unit: Decimal | int = 1, hand_id: str | int | None = None,
           players: Mapping[int, str] | None = None, public: bool = False, currency: str | None = None,
           when: dt.datetime | None = None, extensions: bool = False) -> str:
    """A finished hand as a .phh text.

    ``unit``: one chip in the file's unit (``Decimal("0.01")`` writes cents as ``1.50``);
    ``players``: names by seat; ``public``: hole cards never shown are written ``??``, as a
    spectator saw them; ``when``: the hand's start (``games`` has no clock);
    ``extensions``: allow Croupier's codes for the games the standard has none for. Besides
    the required fields it writes ``seats`` (the table's seat numbers), ``finishing_stacks``
    and ``winnings`` (pots collected, after rake: PHH has no rake field).
    """
    result = hand.result
    if result is None:
        raise PhhError("the hand is not over: only a finished hand is exported")
    rules = hand.rules
    code = variant_code(rules.variant, rules.structure, extensions=extensions)
    order = phh_order(hand)
    index = {seat: i for i, seat in enumerate(order)}
    units = _Units(unit)
    antes, forced, trimming = _forced_bets(hand, index)
    fields: list[tuple[str, str]] = [
        ("variant", _toml_string(code)),
        ("ante_trimming_status", "true" if trimming else "false"),
        ("antes", units.array(antes)),
        ("blinds_or_straddles", units.array(forced)),
    ]
    if rules.structure is Structure.FIXED_LIMIT:
        fields += [("small_bet", units.text(rules.bet_unit(0))), ("big_bet", units.text(rules.bet_unit(2)))]
    else:
        fields.append(("min_bet", units.text(rules.big_blind)))
    fields.append(("starting_stacks", units.array(hand.starting_stacks[s] for s in order)))
    actions = _action_lines(hand, order, units, public)
    fields.append(("actions", "[\n" + ",\n".join(f"  {_toml_string(a)}" for a in actions) + ",\n]"))
    if hand_id is not None:
        fields.append(("hand", str(hand_id) if isinstance(hand_id, int) else _toml_string(hand_id)))
    fields.append(("seats", "[" + ", ".join(map(str, order)) + "]"))
    if players is not None:
        fields.append(("players", "[" + ", ".join(_toml_string(players.get(s, "")) for s in order) + "]"))
    fields.append(("finishing_stacks", units.array(result.final_stacks[s] for s in order)))
    fields.append(("winnings", units.array(result.settlement.winnings.get(s, 0) for s in order)))
    if currency is not None:
        fields.append(("currency", _toml_string(currency)))
    if when is not None:
        fields += [("year", str(when.year)), ("month", str(when.month)), ("day", str(when.day)),
                   ("time", when.strftime("%H:%M:%S"))]
        zone = getattr(when.tzinfo, "key", None)  # a zoneinfo.ZoneInfo names its IANA zone
        if isinstance(zone, str):
            fields.append(("time_zone", _toml_string(zone)))
    return "".join(f"{name} = {value}\n" for name, value in fields)


def to_phhs(histories: Iterable[str]) -> str:
    """Several .phh texts (from :func:`to_phh`) as one .phhs: tables ``[1]``, ``[2]``..."""
    return "\n".join(f"[{number}]\n{text}" for number, text in enumerate(histories, start=1))


# -- replaying ----------------------------------------------------------------------------------


class Outcome(Enum):
    OK = "ok"
    REFUSED = "refused"  # the engine refused an action (or the table), with its reason
    INVALID = "invalid"  # the history contradicts itself or the course of the hand
    UNDETERMINED = "undetermined"  # the result depends on cards the history does not show
    UNSUPPORTED = "unsupported"  # a game or forced bet the engine does not deal


@dataclass(frozen=True)
class Replay:
    phh: PhhHand
    outcome: Outcome
    message: str = ""
    final_stacks: tuple[int, ...] | None = None  # OK only: p1 first, in 1/scale of the file's unit
    hand: Hand | None = None  # the engine's hand, as far as it went

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK

    def final_stacks_text(self) -> list[str]:
        """The final stacks as decimal strings in the file's unit."""
        if self.final_stacks is None:
            raise ValueError(f"no final stacks: {self.outcome.value}: {self.message}")
        return [self.phh.format_chips(chips) for chips in self.final_stacks]


class _Stop(Exception):
    def __init__(self, outcome: Outcome, message: str) -> None:
        super().__init__(message)
        self.outcome = outcome
        self.message = message


@dataclass(frozen=True)
class _Table:
    rules: Rules
    seats: tuple[tuple[int, int], ...]  # (seat, stack) in table order
    seat_of: tuple[int, ...]  # PHH player index -> engine seat
    button: int
    blinds: Blinds

    def label(self, seat: int) -> str:
        return player_label(self.seat_of.index(seat))


@dataclass
class _Cards:
    hole: list[list[Card | None]]  # by player index, in the order dealt
    board: list[Card | None]  # as dealt in the history (fewer than five: the rest unknown)
    mucked: set[int]  # players whose last showdown word is a muck
    stand_ins: dict[int, list[Card]] = field(default_factory=dict)  # muckers' unknown cards, weakest


class HistoryDeck:
    """The deck a history implies, injected through the dealer's DeckSource interface."""

    def __init__(self, cards: Sequence[Card]) -> None:
        self.cards = list(cards)

    def deck(self) -> list[Card]:
        return list(self.cards)


def replay(phh: PhhHand) -> Replay:
    """Play the history's decisions on the engine, with its cards where the engine deals them.

    The result is the final stacks, or why there are none: the first action the engine
    refused and its reason, a history at odds with itself, a game the engine does not deal,
    or a showdown decided by cards the history does not show. Unknown ``??`` cards are
    replaced by cards seen nowhere in the hand only so that the engine can deal: a player
    who mucks them is dealt the weakest cards left and forfeits if those win nothing either;
    any other result that depends on them is never given.
    """
    hand: Hand | None = None
    try:
        table = _table(phh)
        cards = _collect_cards(phh, table.rules.variant.hole_cards)
        _choose_stand_ins(cards, table.rules.variant)
        deck = Dealer(HistoryDeck(_deck(cards, phh.player_count, table.rules.variant.hole_cards))).new_deck(
            f"phh-{phh.key}")
        try:
            hand = Hand(table.rules, table.seats, table.button, deck, table.blinds)
        except HandError as exc:
            raise _Stop(Outcome.REFUSED, f"the engine refuses the table: {_explain(str(exc), table, phh, False)}")
        _walk(phh, table, hand)
        return _outcome(phh, table, hand, cards)
    except _Stop as stop:
        return Replay(phh, stop.outcome, stop.message, hand=hand)


def _table(phh: PhhHand) -> _Table:
    game = GAMES.get(phh.variant)
    if game is None:
        raise _Stop(Outcome.UNSUPPORTED, f"variant {phh.variant!r}: the engine deals {', '.join(STANDARD_CODES)} "
                                         f"(and Croupier's {', '.join(EXTENSION_CODES)})")
    variant, structure = game
    count = phh.player_count
    if count < 2:
        raise _Stop(Outcome.UNSUPPORTED, "a hand needs two players or more")
    unknown = [player_label(i) for i, stack in enumerate(phh.starting_stacks) if stack is None]
    if unknown:
        raise _Stop(Outcome.UNSUPPORTED, f"unknown starting stack (inf) for {', '.join(unknown)}")
    forced = phh.blinds_or_straddles
    if forced is None:
        raise _Stop(Outcome.INVALID, "no blinds_or_straddles")
    small, big = forced[0], forced[1]  # heads-up too: the standard reverses who posts them
    small_player, big_player = (1, 0) if count == 2 else (0, 1)
    if big == 0:
        raise _Stop(Outcome.UNSUPPORTED, "no big blind: the engine's hands have one")
    straddles = [(k, amount) for k, amount in enumerate(forced) if k >= 2 and amount > 0]
    level = big
    for k, amount in straddles:
        if amount <= level:
            raise _Stop(Outcome.UNSUPPORTED, f"the straddle of {player_label(k)} ({phh.format_chips(amount)}) "
                                             f"does not raise the bet above {phh.format_chips(level)}")
        level = amount
    _check_bet_sizes(phh, structure, big, bool(straddles))
    ante, big_blind_ante = _antes(phh)
    seat_of = _seat_numbers(phh)
    rules = Rules(variant, structure, small, big, ante=ante, big_blind_ante=big_blind_ante)
    blinds = Blinds(seat_of[small_player] if small else None, seat_of[big_player],
                    tuple((seat_of[k], amount) for k, amount in straddles))
    table_order = sorted(range(count), key=lambda i: seat_of[i])
    stacks = tuple((seat_of[i], int(phh.starting_stacks[i] or 0)) for i in table_order)
    return _Table(rules, stacks, seat_of, seat_of[count - 1], blinds)


def _check_bet_sizes(phh: PhhHand, structure: Structure, big: int, straddled: bool) -> None:
    if structure is Structure.FIXED_LIMIT:
        if straddled:
            raise _Stop(Outcome.UNSUPPORTED, "straddles in fixed limit")
        if phh.small_bet != big or phh.big_bet != 2 * big:
            raise _Stop(Outcome.UNSUPPORTED, f"small_bet {_opt(phh, phh.small_bet)} and big_bet "
                                             f"{_opt(phh, phh.big_bet)}: the engine's fixed-limit bets are the "
                                             f"big blind ({phh.format_chips(big)}), then twice it")
    elif phh.min_bet != big:
        raise _Stop(Outcome.UNSUPPORTED, f"min_bet {_opt(phh, phh.min_bet)} is not the big blind "
                                         f"({phh.format_chips(big)}): the engine's minimum bet is the big blind")


def _opt(phh: PhhHand, chips: int | None) -> str:
    return "missing" if chips is None else phh.format_chips(chips)


def _antes(phh: PhhHand) -> tuple[int, bool]:
    """(ante, big_blind_ante) for the engine's Rules."""
    antes = phh.antes
    if len(set(antes)) == 1:
        return antes[0], False
    if all(amount == 0 for k, amount in enumerate(antes) if k != 1):
        return antes[1], True
    raise _Stop(Outcome.UNSUPPORTED, "antes " + "[" + ", ".join(map(phh.format_chips, antes)) + "]: the engine "
                                     "takes the same ante from everyone or a big-blind ante")


def _seat_numbers(phh: PhhHand) -> tuple[int, ...]:
    """The file's seat numbers when they go round the table from p1, so that the engine's
    hand carries the table's seats; else 1 to N. (Either way the engine meets the players in
    the same order round the table, so nothing else changes.)"""
    seats = phh.seats
    count = phh.player_count
    if seats is not None and len(set(seats)) == count:
        descents = sum(1 for i in range(count) if seats[i] > seats[(i + 1) % count])
        if descents == 1:
            return seats
    return tuple(range(1, count + 1))


def _collect_cards(phh: PhhHand, hole_count: int) -> _Cards:
    count = phh.player_count
    dealt: list[list[Card | None]] = [[] for _ in range(count)]
    board: list[Card | None] = []
    mucked: set[int] = set()
    shows: list[tuple[PhhAction, ShowMuck]] = []
    for action in phh.actions:
        move = action.move
        if isinstance(move, DealHole):
            dealt[move.player].extend(move.cards)
        elif isinstance(move, DealBoard):
            board.extend(move.cards)
        elif isinstance(move, ShowMuck):
            if move.cards is None and not move.dealt:
                mucked.add(move.player)
            else:
                mucked.discard(move.player)
                if move.cards is not None:
                    shows.append((action, move))
    for player, cards in enumerate(dealt):
        if not cards:
            cards.extend([None] * hole_count)  # never dealt in the history: unknown
        elif len(cards) != hole_count:
            raise _Stop(Outcome.INVALID, f"{player_label(player)} is dealt {len(cards)} hole cards; "
                                         f"{phh.variant} deals {hole_count}")
    if len(board) > BOARD_SIZE:
        raise _Stop(Outcome.INVALID, f"{len(board)} board cards dealt; the board has {BOARD_SIZE}")
    for action, move in shows:
        _merge_shown(dealt[move.player], move.cards or (), action)
    known = [c for cards in (*dealt, board) for c in cards if c is not None]
    repeated = sorted({to_str(c) for c in known if known.count(c) > 1})
    if repeated:
        raise _Stop(Outcome.INVALID, f"card(s) dealt twice: {', '.join(repeated)}")
    return _Cards(dealt, board, mucked)


def _merge_shown(hole: list[Card | None], shown: Cards, action: PhhAction) -> None:
    """Cards shown at showdown fill the hole cards the deal left unknown."""
    if len(shown) != len(hole):
        raise _Stop(Outcome.INVALID, f"{action.where}: {len(shown)} cards shown, {len(hole)} dealt")
    extra = [c for c in shown if c is not None and c not in hole]
    free = [k for k, c in enumerate(hole) if c is None]
    if len(extra) > len(free):
        raise _Stop(Outcome.INVALID, f"{action.where}: shows cards the player was not dealt")
    for k, card in zip(free, extra):
        hole[k] = card


def _choose_stand_ins(cards: _Cards, variant: Variant) -> None:
    """A player who mucks unknown cards forfeits; the engine cannot make them, so they are
    dealt the weakest cards left, which win nothing in most hands. Whether they did is
    checked after the showdown: if not, the result is undetermined."""
    board = cards.board
    if len(board) < BOARD_SIZE or None in board:
        return  # the showdown is undetermined anyway
    taken = {c for hole in cards.hole for c in hole if c is not None} | {c for c in board if c is not None}
    for player in sorted(cards.mucked):
        hole = cards.hole[player]
        if None not in hole:
            continue
        spare = [c for c in full_deck() if c not in taken]
        chosen = _weakest(hole, [c for c in board if c is not None], spare, variant)
        cards.stand_ins[player] = chosen
        taken.update(chosen)


def _weakest(hole: list[Card | None], board: list[Card], spare: list[Card], variant: Variant) -> list[Card]:
    """The completion of ``hole`` from ``spare`` with the lowest value on ``board``: never
    stronger than the cards the player really held, so a hand that lost still loses."""
    if variant is Variant.OMAHA:
        return _weakest_omaha(hole, board, spare)
    known = [c for c in hole if c is not None]
    best = min(combinations(spare, len(hole) - len(known)), key=lambda combo: evaluate([*known, *combo, *board]))
    filled = iter(best)
    return [c if c is not None else next(filled) for c in hole]


def _weakest_omaha(hole: list[Card | None], board: list[Card], spare: list[Card]) -> list[Card]:
    # An Omaha hand is worth its best pair of hole cards with three of the board, so the
    # weakest completion is found on pairs: add pairs cheapest first until the missing cards
    # can all be taken pairwise from what was added (tens of thousands of hands otherwise).
    known = [c for c in hole if c is not None]
    missing = len(hole) - len(known)
    triples = list(combinations(board, 3))

    def pair_value(a: Card, b: Card) -> int:
        return max(evaluate([a, b, *triple]) for triple in triples)

    floor = max((pair_value(a, b) for a, b in combinations(known, 2)), default=-1)
    cost = {c: max([floor, *(pair_value(c, k) for k in known)]) for c in spare}
    chosen: list[Card]
    if missing == 1:
        chosen = [min(spare, key=lambda c: cost[c])]
    else:
        edges = sorted((max(pair_value(a, b), cost[a], cost[b]), a, b) for a, b in combinations(spare, 2))
        linked: dict[Card, set[Card]] = {c: set() for c in spare}
        chosen = []
        for _, a, b in edges:
            linked[a].add(b)
            linked[b].add(a)
            found = _clique_with(a, b, missing, linked)
            if found:
                chosen = found
                break
    extra = iter(chosen)
    return [c if c is not None else next(extra) for c in hole]


def _clique_with(a: Card, b: Card, size: int, linked: Mapping[Card, set[Card]]) -> list[Card] | None:
    """``size`` cards (2 to 4) including a and b, every two of them linked."""
    group = [a, b]
    common = linked[a] & linked[b]
    if size == 2:
        return group
    for c in sorted(common):
        if size == 3:
            return [*group, c]
        fourth = sorted(common & linked[c])
        if fourth:
            return [*group, c, fourth[0]]
    return None


def _deck(cards: _Cards, count: int, hole_count: int) -> list[Card]:
    """The 52 cards in the order the engine deals them: hole cards one at a time from p1 (the
    first seat left of the button), then a burn before each street; unknown cards are
    replaced by the muckers' stand-ins, then by cards seen nowhere in the hand, lowest first."""
    slots: list[Card | None] = [None] * 52
    for round_ in range(hole_count):
        for player in range(count):
            hole = cards.stand_ins.get(player, cards.hole[player])
            slots[round_ * count + player] = hole[round_]
    start = count * hole_count
    board_slots = (start + 1, start + 2, start + 3, start + 5, start + 7)  # burns at start, +4, +6
    for slot, card in zip(board_slots, cards.board):
        slots[slot] = card
    known = {c for c in slots if c is not None}
    spare = iter(c for c in full_deck() if c not in known)
    return [card if card is not None else next(spare) for card in slots]


_SEAT_OR_AMOUNT = re.compile(r"seat (\d+)|(\d+)")


def _explain(reason: str, table: _Table, phh: PhhHand, amounts: bool) -> str:
    """The engine's reason in the file's terms: p-labels for seats, amounts in its unit."""

    def swap(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            seat = int(match.group(1))
            return table.label(seat) if seat in table.seat_of else match.group(0)
        return phh.format_chips(int(match.group(2))) if amounts else match.group(0)

    return _SEAT_OR_AMOUNT.sub(swap, reason)


def _walk(phh: PhhHand, table: _Table, hand: Hand) -> None:
    board_dealt = 0
    for action in phh.actions:
        move = action.move
        if isinstance(move, (DealHole, ShowMuck)):
            continue  # their cards are in the deck already; showing is the engine's business
        if isinstance(move, DealBoard):
            board_dealt += len(move.cards)
            if board_dealt > len(hand.board):
                raise _Stop(Outcome.INVALID, f"{action.where}: the engine has not dealt that street: "
                                             f"{_waiting(hand, table)}")
            continue
        if isinstance(move, (StandPatDiscard, BringIn)):
            raise _Stop(Outcome.INVALID, f"{action.where}: not an action of Hold'em or Omaha")
        seat = table.seat_of[move.player]
        if _needless_check(hand, move, seat):
            continue
        if hand.result is not None:
            raise _Stop(Outcome.REFUSED, f"{action.where} refused: the hand is over")
        if board_dealt != len(hand.board):
            raise _Stop(Outcome.INVALID, f"{action.where}: the history has dealt {board_dealt} board cards, "
                                         f"the engine {len(hand.board)}")
        try:
            _act(hand, move, seat)
        except IllegalAction as exc:
            raise _Stop(Outcome.REFUSED, f"{action.where} refused: {_explain(str(exc), table, phh, True)}")
        except HandError as exc:
            raise _Stop(Outcome.REFUSED, f"{action.where} refused: {_explain(str(exc), table, phh, False)}")
    if hand.result is None:
        raise _Stop(Outcome.INVALID, f"the history stops before the end of the hand: {_waiting(hand, table)}")


def _waiting(hand: Hand, table: _Table) -> str:
    if hand.result is not None:
        return "the hand is over"
    return f"{table.label(hand.turn)} is to act" if hand.turn is not None else "nobody is to act"


def _needless_check(hand: Hand, move: Move, seat: int) -> bool:
    """PokerKit asks the last player with chips for a check when everyone else still in is
    all-in; the engine deals the rest at once. That check changes nothing: pass it."""
    if not isinstance(move, CheckCall) or hand.result is None or not hand.result.showdown:
        return False
    others = [s for s in hand.order if s != seat and s not in hand.folded]
    return seat not in hand.folded and hand.stacks[seat] > 0 and all(hand.stacks[s] == 0 for s in others)


def _act(hand: Hand, move: Move, seat: int) -> None:
    if isinstance(move, Fold):
        hand.act(seat, Action.FOLD)
    elif isinstance(move, CheckCall):
        can_check = hand.turn == seat and hand.betting.legal().can_check
        hand.act(seat, Action.CHECK if can_check else Action.CALL)
    elif isinstance(move, BetRaiseTo):
        hand.act(seat, Action.RAISE, move.amount)


def _outcome(phh: PhhHand, table: _Table, hand: Hand, cards: _Cards) -> Replay:
    result = hand.result
    assert result is not None
    if result.showdown:
        live = [i for i, seat in enumerate(table.seat_of) if seat not in hand.folded]
        won = result.settlement.winnings
        unknown = _unknown_at_showdown(live, table, cards, won)
        if unknown:
            raise _Stop(Outcome.UNDETERMINED, unknown)
        for i in live:
            seat = table.seat_of[i]
            if i in cards.mucked and won.get(seat, 0) > 0:
                raise _Stop(Outcome.INVALID, f"{player_label(i)} mucks at the showdown a hand that wins "
                                             f"{phh.format_chips(won[seat])}: the engine pays the best hand")
    final = tuple(result.final_stacks[seat] for seat in table.seat_of)
    return Replay(phh, Outcome.OK, final_stacks=final, hand=hand)


def _unknown_at_showdown(live: list[int], table: _Table, cards: _Cards, won: Mapping[int, int]) -> str | None:
    # A player who mucks forfeits: if the stand-in cards win them nothing either, the others
    # share the pots exactly as after a forfeit, whatever the real cards were.
    blind = [i for i in live if None in cards.hole[i]
             and not (i in cards.mucked and won.get(table.seat_of[i], 0) == 0)]
    reasons = []
    if blind:
        names = " and ".join(", ".join(map(player_label, blind)).rsplit(", ", 1))
        reasons.append(f"{names} {'reaches' if len(blind) == 1 else 'reach'} the showdown with unknown hole cards")
    if len(cards.board) < BOARD_SIZE or None in cards.board:
        reasons.append("the board is not fully known at the showdown")
    if not reasons:
        return None
    return "; ".join(reasons) + ": the result depends on cards the history does not show"

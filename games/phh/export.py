"""Writing a finished hand of the engine as a .phh text, and several as a .phhs."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Iterable, Mapping, Sequence

from games.betting import Action, Structure
from games.cards import format_cards
from games.hand import Acted, BoardDealt, Hand, Mucked, Shown
from games.phh.codes import variant_code
from games.phh.model import PhhError, player_label


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

"""Reading the ``actions`` array: PHH's action notation as typed moves."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Callable

from games.cards import CardError, from_str
from games.phh.model import (BetRaiseTo, BringIn, Cards, CheckCall, DealBoard, DealHole, Fold, Move, PhhAction,
                             PhhError, ShowMuck, StandPatDiscard)


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

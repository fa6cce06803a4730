"""Dealt-card statistics recomputed from a verified vault extraction (POPARTIE records).

The vault holds only dealt cards, seen per player: one POPARTIE per seated player per hand,
holding that player's own hole cards (``PreFlop/CarteJoueur``) and the board as it was dealt
(``Flop/TabCarte`` x3, ``Tournant/TabCarte``, ``Riviere/TabCarte``). Grouping every POPARTIE
of a hand by ``IDPartie`` gives back what the dealer dealt: all seats' hole cards and the
board up to the last street reached. This is what the regulator can recompute from a lot
(``croupier vault verify --out LOT.xml``), so the monthly dealt-card statistics are built
from these counts only; ``dealt_counts_from_decks`` computes the SAME counts from the
dealer's stored decks (server/rng_audit) for the same hands, and ``equal`` compares them.

Pure parsing and aggregation: the only I/O is reading the lot file in ``hands_from_lot``
(when given a path) and the CLI entry ``main_from_vault``.

Which hand stands for a deal in the independence-requiring tests ("one hand per deal", see
``dealt_cards``): the seat with the LOWEST JSiege number. That choice does not depend on the
cards (so the sampled hand is uniformly random under the null) and needs nothing the
POPARTIE does not say; the button, which the POPARTIE does not record, is not needed.

Dealing order (only needed on the decks' side, to know which deck positions belong to a
seat): games.hand deals the hole cards one at a time starting left of the button, so seat k
of n in that order (k = 0 first) holds positions k and n + k (Hold'em); then burn, flop at
2n+1..2n+3, burn, turn at 2n+5, burn, river at 2n+7. The POPARTIE does not name the button:
its Joueur list starts at the small blind (games.hand_views._players). ``VaultHand.
dealing_order`` therefore infers it: heads-up the button posts the small blind, so dealing
starts with the other seat; with three or more players the small blind is the first seat
left of the button, so dealing starts at the small blind. The inference is wrong only when a
player posting out of turn (a live big blind, games.button) sits between the button and the
small blind; give the real button (``button=``) when it is known (the dealer knows it).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
from lxml import etree
from scipy import stats

from frontal.rng_audit.chi2 import gof
from frontal.rng_audit.dealt_cards import (CATEGORY_COUNTS, DEALT_NULL, combo_index, five_card_category,
                                           flop_texture_probs, flop_textures, starting_class, starting_class_probs)
from frontal.rng_audit.result import TestResult
from games.cards import from_annex
from games.dealer import BOARD_STREETS

HOLE_CARDS = 2  # Hold'em only: the 1326 combinations and 169 classes are two-card statistics


class VaultLotError(ValueError):
    """The lot's POPARTIE records of one hand contradict each other (or are malformed)."""


@dataclass(frozen=True)
class VaultHand:
    """One hand as the union of its seats' POPARTIE records."""

    id_partie: str
    typ_poker: str
    ring: tuple[int, ...]  # JSiege in the records' Joueur order (from the small blind, clockwise)
    small_blind: int | None  # seat with PetiteBlind, if any
    big_blind: int | None  # seat with GrosseBlind first in the ring, if any
    holes: Mapping[int, tuple[int, ...]]  # seat -> its hole cards (games.cards ints), from its own record
    board: tuple[int, ...]  # the longest board seen (every record's board is a prefix of it)

    @property
    def complete(self) -> bool:
        """Every seat dealt in has its own record in the lot (a lot may cut a hand)."""
        return set(self.holes) == set(self.ring)

    @property
    def street(self) -> int:
        """Last street dealt: 0 pre-flop, 1 flop, 2 turn, 3 river."""
        return BOARD_STREETS[len(self.board)]

    @property
    def sample_seat(self) -> int:
        """The one hand per deal for the independence-requiring tests: the lowest seat number."""
        return min(self.ring)

    def dealing_order(self, button: int | None = None) -> list[int]:
        """Seats in hole-card dealing order (first = left of the button).

        With ``button``: the table order (ascending seats) from the seat after it. Without:
        inferred from the blinds (see the module docstring)."""
        table = sorted(self.ring)
        if button is not None:
            if button not in table:
                raise VaultLotError(f"{self.id_partie}: button {button} is not a seat of the hand")
            i = (table.index(button) + 1) % len(table)
            return table[i:] + table[:i]
        ring = list(self.ring)
        if len(ring) == 2:  # heads-up: the small blind is the button, the other seat is dealt first
            return ring[1:] + ring[:1]
        return ring

    @property
    def is_holdem(self) -> bool:
        return self.typ_poker.startswith("TH")


# ------------------------------------------------------------------ parsing


def _events(source: str | Path | Iterable[Any]) -> Iterable[etree._Element]:
    """Elements of a lot: a path to ``<Lot>``-one-event-per-line file, or lines, or elements."""
    if isinstance(source, (str, Path)) and not str(source).lstrip().startswith("<"):
        lines: Iterable[Any] = Path(source).read_text(encoding="utf-8").splitlines()
    elif isinstance(source, str):
        lines = source.splitlines()
    else:
        lines = source
    for line in lines:
        if isinstance(line, etree._Element):
            yield line
            continue
        text = line.strip() if isinstance(line, str) else line.decode("utf-8").strip()
        if not text or text in ("<Lot>", "</Lot>"):
            continue
        yield etree.fromstring(text)


def _cards(parent: etree._Element, path: str) -> tuple[int, ...]:
    return tuple(int(from_annex((c.text or "").strip())) for c in parent.findall(path))


def _amount(joueur: etree._Element, tag: str) -> bool:
    text = joueur.findtext(tag)
    return text is not None and text.strip() != ""


@dataclass
class _Partial:
    typ_poker: str
    ring: tuple[int, ...]
    small_blind: int | None
    big_blind: int | None
    holes: dict[int, tuple[int, ...]] = field(default_factory=dict)
    boards: list[tuple[int, ...]] = field(default_factory=list)
    shown: dict[int, tuple[int, ...]] = field(default_factory=dict)


def hands_from_lot(path_or_lines: str | Path | Iterable[Any]) -> list[VaultHand]:
    """Group every POPARTIE of the lot by IDPartie (order of first appearance).

    Checks, each a :class:`VaultLotError` naming the hand: the seats' records list the same
    players (seats and ring order) and the same game; a seat has one record (or identical
    duplicates); every record's board is a prefix of the longest one; a hand shown at the
    showdown in another seat's record is that seat's own hole cards; no card appears twice."""
    partial: dict[str, _Partial] = {}
    for event in _events(path_or_lines):
        if event.tag != "POPARTIE":
            continue
        hand_id = (event.findtext("IDPartie") or "").strip()
        if not hand_id:
            raise VaultLotError("a POPARTIE without IDPartie")
        joueurs = event.findall("Joueur")
        ring = tuple(int(j.findtext("JSiege")) for j in joueurs)
        small = next((int(j.findtext("JSiege")) for j in joueurs if _amount(j, "PetiteBlind")), None)
        big = next((int(j.findtext("JSiege")) for j in joueurs if _amount(j, "GrosseBlind")), None)
        mine = event.findtext("IDJoueur")
        own = [int(j.findtext("JSiege")) for j in joueurs if j.findtext("IDJoueur") == mine]
        if len(own) != 1:
            raise VaultLotError(f"{hand_id}: the record's player {mine} is not seated once in it")
        seat = own[0]
        typ = (event.findtext("TypPoker") or "").strip()
        hand = partial.setdefault(hand_id, _Partial(typ, ring, small, big))
        if (hand.typ_poker, hand.ring, hand.small_blind, hand.big_blind) != (typ, ring, small, big):
            raise VaultLotError(f"{hand_id}: seat {seat}'s record disagrees on the players or the game "
                                f"({typ} {ring}) vs ({hand.typ_poker} {hand.ring})")
        hole = _cards(event, "PreFlop/CarteJoueur")
        if seat in hand.holes and hand.holes[seat] != hole:
            raise VaultLotError(f"{hand_id}: two records of seat {seat} with different hole cards")
        hand.holes[seat] = hole
        hand.boards.append(_cards(event, "Flop/TabCarte") + _cards(event, "Tournant/TabCarte")
                           + _cards(event, "Riviere/TabCarte"))
        for main in event.findall("Decouverte/Main"):
            shown = _cards(main, "carte")
            if shown:
                hand.shown[int(main.findtext("JSiege"))] = shown
    hands = []
    for hand_id, hand in partial.items():
        board = max(hand.boards, key=len)
        for other in hand.boards:
            if board[:len(other)] != other:
                raise VaultLotError(f"{hand_id}: the seats' records show different boards")
        if len(board) not in BOARD_STREETS:
            raise VaultLotError(f"{hand_id}: a board of {len(board)} cards")
        for seat, cards in hand.shown.items():
            if seat in hand.holes and set(cards) != set(hand.holes[seat]):
                raise VaultLotError(f"{hand_id}: seat {seat}'s shown cards are not its hole cards")
        dealt = [c for cards in hand.holes.values() for c in cards] + list(board)
        if len(set(dealt)) != len(dealt):
            raise VaultLotError(f"{hand_id}: a card dealt twice")
        ordered = {s: hand.holes[s] for s in hand.ring if s in hand.holes}
        hands.append(VaultHand(hand_id, hand.typ_poker, hand.ring, hand.small_blind, hand.big_blind, ordered, board))
    return hands


# ------------------------------------------------------------------ counts


@dataclass(frozen=True)
class DealtCounts:
    """Counts of dealt cards over a set of complete Hold'em hands (every field an int array)."""

    streets: np.ndarray  # (4,) hands whose last street dealt is pre-flop, flop, turn, river
    hole_combos: np.ndarray  # (1326,) every seat's hole cards (combo_index)
    hole_classes: np.ndarray  # (169,) every seat's starting-hand class
    sample_combos: np.ndarray  # (1326,) one hand per deal (the lowest seat)
    sample_classes: np.ndarray  # (169,)
    flop_cards: np.ndarray  # (52,) cards of the flops dealt
    turn_cards: np.ndarray  # (52,)
    river_cards: np.ndarray  # (52,)
    flop_pairing: np.ndarray  # (3,) dealt_cards.PAIRING
    flop_suitedness: np.ndarray  # (3,) dealt_cards.SUITEDNESS
    flop_connectedness: np.ndarray  # (4,) dealt_cards.CONNECTEDNESS
    five_card_categories: np.ndarray  # (9,) dealt_cards.CATEGORIES of the five-card boards

    @property
    def hands(self) -> int:
        return int(self.streets.sum())

    def as_dict(self) -> dict[str, list[int]]:
        return {f.name: [int(x) for x in getattr(self, f.name)] for f in fields(self)}


def _counts(holes: np.ndarray, samples: np.ndarray, boards: np.ndarray, streets: np.ndarray) -> DealtCounts:
    """holes (H, 2) every seat; samples (D, 2) one per deal; boards (D, 5) with -1 for cards
    not dealt; streets (D,) last street dealt."""
    holes = holes.reshape(-1, HOLE_CARDS).astype(np.int64)
    samples = samples.reshape(-1, HOLE_CARDS).astype(np.int64)
    flops = boards[streets >= 1, :3].astype(np.int64)
    five = boards[streets >= 3, :5].astype(np.int64)
    tex = flop_textures(flops) if len(flops) else {k: np.zeros(0, np.int64) for k in
                                                   ("pairing", "suitedness", "connectedness")}
    return DealtCounts(
        streets=np.bincount(streets, minlength=4).astype(np.int64),
        hole_combos=np.bincount(combo_index(holes), minlength=1326),
        hole_classes=np.bincount(starting_class(holes), minlength=169),
        sample_combos=np.bincount(combo_index(samples), minlength=1326),
        sample_classes=np.bincount(starting_class(samples), minlength=169),
        flop_cards=np.bincount(flops.ravel(), minlength=52),
        turn_cards=np.bincount(boards[streets >= 2, 3].astype(np.int64), minlength=52),
        river_cards=np.bincount(boards[streets >= 3, 4].astype(np.int64), minlength=52),
        flop_pairing=np.bincount(tex["pairing"], minlength=3),
        flop_suitedness=np.bincount(tex["suitedness"], minlength=3),
        flop_connectedness=np.bincount(tex["connectedness"], minlength=4),
        five_card_categories=np.bincount(five_card_category(five), minlength=9) if len(five)
        else np.zeros(9, np.int64))


def countable(hands: Iterable[VaultHand]) -> list[VaultHand]:
    """The hands the statistics use: Hold'em, every seat's record present."""
    return [h for h in hands if h.is_holdem and h.complete]


def dealt_statistics(hands: Sequence[VaultHand]) -> DealtCounts:
    """Counts from the vault's hands (incomplete and non-Hold'em hands are left out: see
    ``countable``)."""
    used = countable(hands)
    holes = np.array([c for h in used for s in h.ring for c in h.holes[s]], dtype=np.int64)
    samples = np.array([c for h in used for c in h.holes[h.sample_seat]], dtype=np.int64)
    boards = np.full((len(used), 5), -1, dtype=np.int64)
    for i, h in enumerate(used):
        boards[i, :len(h.board)] = h.board
    streets = np.array([h.street for h in used], dtype=np.int64)
    return _counts(holes, samples, boards, streets)


def deck_inputs(hands: Sequence[VaultHand], buttons: Mapping[str, int] | None = None
                ) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """For the countable hands: (IDPartie, seats per deal, last street dealt, dealing index of
    the sample seat), the arguments of ``dealt_counts_from_decks``. ``buttons`` (IDPartie ->
    button seat) when known; otherwise the dealing order is inferred (module docstring)."""
    used = countable(hands)
    buttons = buttons or {}
    ids = [h.id_partie for h in used]
    seats = np.array([len(h.ring) for h in used], dtype=np.int64)
    streets = np.array([h.street for h in used], dtype=np.int64)
    sample = np.array([h.dealing_order(buttons.get(h.id_partie)).index(h.sample_seat) for h in used], dtype=np.int64)
    return ids, seats, streets, sample


def dealt_counts_from_decks(decks: np.ndarray, seats_per_deal: Sequence[int] | np.ndarray,
                            dealt_streets: Sequence[int] | np.ndarray,
                            sample_index: Sequence[int] | np.ndarray | None = None) -> DealtCounts:
    """The same counts from the dealer's decks (N, 52) of Hold'em hands.

    Seat k of n (dealing order, from left of the button) holds positions k and n + k; the
    board follows the burns: flop 2n+1..2n+3, turn 2n+5, river 2n+7; only streets up to
    ``dealt_streets[d]`` (0 pre-flop .. 3 river) count. ``sample_index[d]``: dealing index of
    the deal's one-hand-per-deal seat (default 0, the first seat dealt)."""
    decks = np.asarray(decks).astype(np.int64)
    n = np.asarray(seats_per_deal, dtype=np.int64)
    streets = np.asarray(dealt_streets, dtype=np.int64)
    if not (len(decks) == len(n) == len(streets)):
        raise ValueError("decks, seats_per_deal and dealt_streets differ in length")
    if np.any((n < 2) | (n > 10)) or np.any((streets < 0) | (streets > 3)):
        raise ValueError("2..10 seats and streets 0..3 only")
    k = np.zeros(len(decks), np.int64) if sample_index is None else np.asarray(sample_index, dtype=np.int64)
    if np.any((k < 0) | (k >= n)):
        raise ValueError("a sample index outside the deal's seats")
    rows = np.arange(len(decks))
    holes = np.concatenate([np.stack([decks[d, [i, n[d] + i]] for i in range(n[d])]) for d in rows]) if len(decks) \
        else np.zeros((0, 2), np.int64)
    samples = np.stack([decks[rows, k], decks[rows, n + k]], axis=1)
    board_pos = 2 * n[:, None] + np.array([1, 2, 3, 5, 7])[None, :]
    boards = decks[rows[:, None], board_pos] if len(decks) else np.zeros((0, 5), np.int64)
    cut = np.array([0, 3, 4, 5])[streets]
    boards = np.where(np.arange(5)[None, :] < cut[:, None], boards, -1)
    return _counts(holes, samples, boards, streets)


@dataclass(frozen=True)
class Comparison:
    equal: bool
    differences: list[str]

    def __bool__(self) -> bool:
        return self.equal


def equal(a: DealtCounts, b: DealtCounts) -> Comparison:
    """Field-by-field comparison; each difference names the field and the first cells that differ."""
    diffs = []
    for f in fields(DealtCounts):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if x.shape != y.shape:
            diffs.append(f"{f.name}: shapes {x.shape} != {y.shape}")
        elif not np.array_equal(x, y):
            cells = np.flatnonzero(x != y)
            shown = ", ".join(f"[{i}] {int(x[i])} != {int(y[i])}" for i in cells[:5])
            diffs.append(f"{f.name}: {len(cells)} cells differ: {shown}{' ...' if len(cells) > 5 else ''}")
    return Comparison(not diffs, diffs)


# ------------------------------------------------------------------ tests from the counts


def _frequency(name: str, counts: np.ndarray, k: int, what: str) -> TestResult:
    """As dealt_cards._board_frequency, from category counts: X^2 * 51/(52-k) vs chi2(cats-1)."""
    counts = counts.astype(float)
    expected = counts.sum() / counts.size
    raw = float(((counts - expected) ** 2 / expected).sum())
    stat = raw * 51 / (52 - k)
    df = counts.size - 1
    return TestResult(name, f"{DEALT_NULL}; each {what}'s {k} cards drawn without replacement", stat, float(df),
                      float(stats.chi2.sf(stat, df)), {"cards": int(counts.sum()), "cards_per_board": k,
                                                       "pearson_x2_raw": raw, "correction": f"x 51/(52-{k})"})


def _ranks(cards: np.ndarray) -> np.ndarray:
    return cards.reshape(13, 4).sum(axis=1)


def _suits(cards: np.ndarray) -> np.ndarray:
    return cards.reshape(13, 4).sum(axis=0)


def dealt_tests(counts: DealtCounts) -> list[TestResult]:
    """The dealt-card tests of ``dealt_cards`` computed from vault counts (tests with no
    observation are left out)."""
    out: list[TestResult] = []

    def multinomial(name: str, observed: np.ndarray, probs: np.ndarray, note: str) -> None:
        if observed.sum() == 0:
            return
        x2, df, p = gof(observed, probs)
        out.append(TestResult(name, f"{DEALT_NULL}; {note}", x2, float(df), p, {"observations": int(observed.sum())}))

    one = "one hand per deal (lowest seat)"
    multinomial("starting_hand_classes", counts.sample_classes, starting_class_probs(), one)
    multinomial("hole_combinations", counts.sample_combos, np.full(1326, 1 / 1326), one)
    if counts.flop_cards.sum():
        out.append(_frequency("flop_cards", counts.flop_cards, 3, "flop"))
        out.append(_frequency("flop_ranks", _ranks(counts.flop_cards), 3, "flop"))
        out.append(_frequency("flop_suits", _suits(counts.flop_cards), 3, "flop"))
    if counts.turn_cards.sum():
        out.append(_frequency("turn_cards", counts.turn_cards, 1, "turn"))
    if counts.river_cards.sum():
        out.append(_frequency("river_cards", counts.river_cards, 1, "river"))
    probs = flop_texture_probs()
    for key in ("pairing", "suitedness", "connectedness"):
        multinomial(f"flop_{key}", getattr(counts, f"flop_{key}"), np.array([float(x) for x in probs[key]]),
                    "one flop per deal")
    multinomial("board_five_card_categories", counts.five_card_categories,
                np.array(CATEGORY_COUNTS, dtype=float) / 2598960, "one board per deal")
    return out


# ------------------------------------------------------------------ CLI


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


def main_from_vault(argv: Sequence[str] | None = None) -> int:
    """``croupier rng-audit from-vault --in LOT.xml [--json OUT]``: dealt-card statistics
    recomputed from a verified vault extraction. Returns the exit status."""
    parser = argparse.ArgumentParser(prog="croupier rng-audit from-vault",
                                     description="dealt-card statistics from a verified vault lot (POPARTIE)")
    parser.add_argument("--in", dest="lot", required=True, help="lot written by `croupier vault verify --out`")
    parser.add_argument("--json", dest="json_out", help="write the counts and the test results as JSON")
    args = parser.parse_args(argv)
    try:
        hands = hands_from_lot(args.lot)
    except (OSError, etree.XMLSyntaxError, VaultLotError, ValueError) as exc:
        print(f"croupier: rng-audit from-vault: {exc}", file=sys.stderr)
        return 1
    used = countable(hands)
    counts = dealt_statistics(hands)
    results = dealt_tests(counts)
    print(f"{len(hands)} hands in the lot, {len(used)} counted (Hold'em, every seat's POPARTIE present); "
          f"last street pre-flop/flop/turn/river: {'/'.join(str(int(x)) for x in counts.streets)}")
    for r in results:
        df = "-" if r.df is None else f"{r.df:g}"
        print(f"{r.name:<28} statistic={r.statistic:.4f} df={df} p={r.p_value:.6g}")
    if args.json_out:
        document = {"lot": str(args.lot), "hands": len(hands), "counted": len(used),
                    "counts": counts.as_dict(),
                    "tests": [{"name": r.name, "null_hypothesis": r.null_hypothesis, "statistic": r.statistic,
                               "df": r.df, "p_value": r.p_value, "detail": r.detail} for r in results]}
        Path(args.json_out).write_text(json.dumps(document, indent=1, default=_plain) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main_from_vault())

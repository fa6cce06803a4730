"""Dealt-card statistics recomputed from the vault's POPARTIE (frontal/rng_audit/from_vault.py).

Unit tests on a synthetic lot built from known decks, then end to end: a real server deals
hands, the lot is exported and verified like the regulator would, and the counts recomputed
from the vault equal the counts from the dealer's stored decks for the same hands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from frontal.rng_audit.from_vault import (VaultLotError, dealt_counts_from_decks, dealt_statistics, dealt_tests,
                                          deck_inputs, equal, hands_from_lot, main_from_vault)
from games.cards import to_annex
from tests.accounts.test_account_life import dns_server, verified_events  # noqa: F401

# ------------------------------------------------------------------ a synthetic lot


def table_order_from(seats: list[int], button: int) -> list[int]:
    table = sorted(seats)
    i = (table.index(button) + 1) % len(table)
    return table[i:] + table[:i]


def popartie(hand_id: str, me: int, ring: list[int], holes: dict[int, list[int]], board: list[int],
             small: int, big: int, shown: dict[int, list[int]] | None = None) -> str:
    """A minimal POPARTIE as frontal.builders.po writes it (only the elements the parser reads)."""
    def cards(tag: str, cs: list[int]) -> str:
        return "".join(f"<{tag}>{to_annex(c)}</{tag}>" for c in cs)
    joueurs = "".join(
        f"<Joueur><IDJoueur>P{s}</IDJoueur><JSiege>{s}</JSiege><JCave>20</JCave>"
        + ("<PetiteBlind>0.1</PetiteBlind>" if s == small else "")
        + ("<GrosseBlind>0.2</GrosseBlind>" if s == big else "") + "</Joueur>" for s in ring)
    date, total = "<DateEnchere>260101120000</DateEnchere>", "<TotalMise>0</TotalMise>"
    rounds = f"<PreFlop>{date}{cards('CarteJoueur', holes[me])}{total}</PreFlop>"
    for tag, part in (("Flop", board[:3]), ("Tournant", board[3:4]), ("Riviere", board[4:5])):
        if part:
            rounds += f"<{tag}>{date}{cards('TabCarte', part)}{total}</{tag}>"
    mains = "".join(f"<Main>{cards('carte', cs)}<JSiege>{s}</JSiege><TotalMise>1</TotalMise><Gain>2</Gain></Main>"
                    for s, cs in (shown or {}).items())
    return (f"<POPARTIE><IDOper>OP</IDOper><IDJoueur>P{me}</IDJoueur><Tech>x</Tech><IDPartie>{hand_id}</IDPartie>"
            f"<IDTable>T1</IDTable><TypPoker>THNL</TypPoker><StructurePartie>10-20</StructurePartie>{joueurs}{rounds}"
            f"<Decouverte><DateEnchere>260101120000</DateEnchere>{mains}</Decouverte></POPARTIE>")


def synthetic(rng: np.random.Generator, deals: int) -> tuple[list[str], np.ndarray, list[int], list[int], list[int]]:
    """Lot lines (seats' records shuffled across hands) and the decks, seat counts, streets, buttons."""
    lines: list[str] = []
    decks = np.array([rng.permutation(52) for _ in range(deals)], dtype=np.uint8)
    ns, streets, buttons = [], [], []
    for d in range(deals):
        n = int(rng.integers(2, 7))
        seats = sorted(rng.choice(np.arange(1, 10), n, replace=False).tolist())
        button = int(rng.choice(seats))
        order = table_order_from(seats, button)  # dealing order
        holes = {s: [int(decks[d, k]), int(decks[d, n + k])] for k, s in enumerate(order)}
        street = int(rng.integers(0, 4))
        positions = (2 * n + 1, 2 * n + 2, 2 * n + 3, 2 * n + 5, 2 * n + 7)  # after the burns
        board = [int(decks[d, p]) for p in positions][:[0, 3, 4, 5][street]]
        small = button if n == 2 else order[0]
        ring = order if n > 2 else [button, order[0]]  # Joueur list from the small blind
        big = ring[1]
        for me in ring:
            lines.append(popartie(f"T1-{d}", me, ring, holes, board, small, big,
                                  shown={s: holes[s] for s in ring[:2]} if street == 3 else None))
        ns.append(n)
        streets.append(street)
        buttons.append(button)
    order_lines = rng.permutation(len(lines))
    return ["<Lot>", *(lines[i] for i in order_lines), "</Lot>"], decks, ns, streets, buttons


def test_synthetic_lot_counts_equal_the_decks_counts(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    lines, decks, ns, streets, buttons = synthetic(rng, 300)
    lot = tmp_path / "lot.xml"
    lot.write_text("\n".join(lines) + "\n")
    hands = hands_from_lot(lot)
    by_id = {h.id_partie: h for h in hands}
    assert len(by_id) == 300 and all(h.complete for h in hands)
    for d in range(300):
        h = by_id[f"T1-{d}"]
        assert len(h.ring) == ns[d] and h.street == streets[d]
        # The blinds tell the dealing order here (nobody posts out of turn).
        assert h.dealing_order() == h.dealing_order(buttons[d]) == table_order_from(list(h.ring), buttons[d])
    ids, seats, sts, sample = deck_inputs(hands, {f"T1-{d}": b for d, b in enumerate(buttons)})
    rows = [int(i.split("-")[1]) for i in ids]
    assert seats.tolist() == [ns[r] for r in rows] and sts.tolist() == [streets[r] for r in rows]
    from_vault = dealt_statistics(hands)
    from_decks = dealt_counts_from_decks(decks[rows], seats, sts, sample)
    comparison = equal(from_vault, from_decks)
    assert comparison, comparison.differences
    assert from_vault.hands == 300 and from_vault.hole_combos.sum() == sum(ns)
    assert from_vault.sample_combos.sum() == 300
    assert from_vault.flop_cards.sum() == 3 * sum(s >= 1 for s in streets)
    assert from_vault.river_cards.sum() == from_vault.five_card_categories.sum() == sum(s == 3 for s in streets)
    # A wrong sample seat, or a wrong seat count, is seen.
    assert not equal(from_vault, dealt_counts_from_decks(decks[rows], seats, sts, (sample + 1) % seats))
    wrong = equal(from_vault, dealt_counts_from_decks(decks[rows], seats + 1, sts, sample))
    assert not wrong and any(d.startswith("hole_combos") for d in wrong.differences)
    names = [r.name for r in dealt_tests(from_vault)]
    assert names[:2] == ["starting_hand_classes", "hole_combinations"] and "flop_pairing" in names
    assert all(0 <= r.p_value <= 1 for r in dealt_tests(from_vault))


def test_the_cli_prints_each_test_and_writes_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines, *_ = synthetic(np.random.default_rng(3), 40)
    lot = tmp_path / "lot.xml"
    lot.write_text("\n".join(lines) + "\n")
    assert main_from_vault(["--in", str(lot), "--json", str(tmp_path / "out.json")]) == 0
    out = capsys.readouterr().out
    assert "40 hands in the lot, 40 counted" in out
    assert "starting_hand_classes" in out and "df=" in out and "p=" in out
    document = json.loads((tmp_path / "out.json").read_text())
    assert document["counted"] == 40 and len(document["counts"]["hole_combos"]) == 1326
    assert {t["name"] for t in document["tests"]} >= {"hole_combinations", "flop_cards"}


def test_disagreeing_records_are_errors_naming_the_hand() -> None:
    holes = {1: [0, 1], 2: [2, 3], 3: [4, 5]}
    good = [popartie("T1-9", s, [1, 2, 3], holes, [10, 11, 12, 13], 1, 2) for s in (1, 2, 3)]
    assert hands_from_lot(good)[0].board == (10, 11, 12, 13)
    # A record written before the end of the hand shows a prefix of the board: fine, union taken.
    early = [popartie("T1-9", 1, [1, 2, 3], holes, [10, 11, 12], 1, 2), *good[1:]]
    assert hands_from_lot(early)[0].board == (10, 11, 12, 13)
    other_board = [popartie("T1-9", 1, [1, 2, 3], holes, [10, 11, 14, 13], 1, 2), *good[1:]]
    with pytest.raises(VaultLotError, match="T1-9.*different boards"):
        hands_from_lot(other_board)
    twice = [*good, popartie("T1-9", 2, [1, 2, 3], {**holes, 2: [2, 6]}, [10, 11, 12, 13], 1, 2)]
    with pytest.raises(VaultLotError, match="T1-9.*seat 2"):
        hands_from_lot(twice)
    players = [popartie("T1-9", 1, [1, 2, 4], {**holes, 4: [6, 7]}, [10, 11, 12, 13], 1, 2), *good[1:]]
    with pytest.raises(VaultLotError, match="T1-9.*players"):
        hands_from_lot(players)
    same_card = [popartie("T1-9", s, [1, 2, 3], {**holes, 3: [4, 10]}, [10, 11, 12, 13], 1, 2) for s in (1, 2, 3)]
    with pytest.raises(VaultLotError, match="T1-9.*twice"):
        hands_from_lot(same_card)
    lying = [popartie("T1-9", s, [1, 2, 3], holes, [10, 11, 12, 13, 14], 1, 2, shown={2: [2, 8]}) for s in (1, 2, 3)]
    with pytest.raises(VaultLotError, match="T1-9.*shown"):
        hands_from_lot(lying)
    # A hand cut by the extraction (a seat's record missing) is kept but not counted.
    cut = hands_from_lot(good[:2])
    assert not cut[0].complete and dealt_statistics(cut).hands == 0


# ------------------------------------------------------------------ end to end


HANDS = 15


def test_vault_counts_equal_the_stored_decks_counts(server_factory: Any, db_url: str, dns_server: str,
                                                     tmp_path: Path) -> None:
    from sqlalchemy import select

    from server.db.engine import make_engine
    from frontal.rng_audit.report import month_report
    from server.rng_audit.store import month_decks
    from server.rng_audit.tables import rng_audit_chunks
    from tests.rng_audit_collection.test_server_collection import dealing_order, play_audited_session

    # The collector's last flush happens at the clean stop the session ends with.
    server, _, players = play_audited_session(server_factory, db_url, dns_server, HANDS)
    watcher = players[0][2]

    engine = make_engine(db_url)
    with engine.connect() as c:
        months = sorted(set(c.execute(select(rng_audit_chunks.c.month)).scalars()))
        stored = [month_decks(c, month) for month in months]
    engine.dispose()
    decks = {d: row for m in stored for d, row in zip(m.deal_ids(), m.decks)}
    ends = {d: (int(n), int(k), int(s)) for m in stored
            for d, n, k, s in zip(m.deal_ids(), m.seats, m.sample_index, m.streets) if n}

    verified_events(server, db_url, tmp_path)  # export + verify, as the regulator does: writes lot.xml
    lot = tmp_path / "lot.xml"
    hands = hands_from_lot(lot)
    assert len(hands) >= HANDS and all(h.complete and h.is_holdem for h in hands)
    assert {h.id_partie for h in hands} <= set(decks)

    # The button is not in the POPARTIE; the dealer announced it (hand_started): the order
    # inferred from the blinds must be the dealing order the server used.
    started = {m["hand_id"]: m for m in watcher.table_events("hand_started")}
    buttons = {h: m["button"] for h, m in started.items()}
    for h in hands:
        if h.id_partie in started:
            assert h.dealing_order() == dealing_order(started[h.id_partie]), h.id_partie
            assert h.dealing_order(buttons[h.id_partie]) == h.dealing_order()
    ids, seats, streets, sample = deck_inputs(hands, buttons)
    from_decks = dealt_counts_from_decks(np.stack([decks[i] for i in ids]), seats, streets, sample)
    from_vault = dealt_statistics(hands)
    comparison = equal(from_vault, from_decks)
    assert comparison, comparison.differences
    assert from_vault.hands == len(hands) and from_vault.hole_combos.sum() == seats.sum()
    assert from_vault.streets[1:].sum() > 0  # boards reached the vault too (in practice every hand goes to the river)

    # The dealer recorded each hand's end itself: the same seats, sampled seat and last street
    # as the vault shows, so the monthly table needs neither the button nor the vault.
    assert {i: ends[i] for i in ids} == {i: (int(n), int(k), int(s)) for i, n, s, k in zip(ids, seats, streets, sample)}
    # Every hand that ended is in the vault, complete: the report's regulator table, built from
    # the stored decks and ends alone, is exactly what the regulator recomputes from the lot.
    assert set(ends) == {h.id_partie for h in hands}
    tables = [month_report(m.decks, month, m.variants, layouts=m.layouts()).json["regulator_table"]
              for month, m in zip(months, stored) if len(m.decks) >= 2]
    assert sum(t["deals_used"] for t in tables) == len(hands)
    monthly = {name: np.sum([t["counts"][name] for t in tables], axis=0).tolist() for name in tables[0]["counts"]}
    assert monthly == from_vault.as_dict()

    assert main_from_vault(["--in", str(lot), "--json", str(tmp_path / "stats.json")]) == 0
    document = json.loads((tmp_path / "stats.json").read_text())
    assert document["counts"]["hole_combos"] == from_decks.hole_combos.tolist()


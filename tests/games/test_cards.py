"""Cards: the compact form and the annex's notation convert both ways without loss."""

from __future__ import annotations

import pytest

from games.cards import (CardError, format_cards, from_annex, from_str, full_deck, parse_cards, to_annex,
                         to_str)


def test_every_card_round_trips_through_both_notations() -> None:
    annex = [to_annex(card) for card in full_deck()]
    assert len(set(annex)) == 52
    assert [from_annex(text) for text in annex] == full_deck()
    assert [from_str(to_str(card)) for card in full_deck()] == full_deck()


@pytest.mark.parametrize("annex, english", [("1Co", "Ah"), ("10Pi", "Ts"), ("VTr", "Jc"), ("DCa", "Qd"),
                                            ("RCo", "Kh"), ("2Tr", "2c")])
def test_the_annex_examples(annex: str, english: str) -> None:
    assert to_str(from_annex(annex)) == english and to_annex(from_str(english)) == annex


@pytest.mark.parametrize("bad", ["11Co", "1Cx", "", "Co", "0Pi", "ACo"])
def test_bad_annex_cards_are_refused(bad: str) -> None:
    with pytest.raises(CardError):
        from_annex(bad)


@pytest.mark.parametrize("bad", ["AhK", "1h", "Ax", "ah"])
def test_bad_english_cards_are_refused(bad: str) -> None:
    with pytest.raises(CardError):
        parse_cards(bad)


def test_parse_and_format() -> None:
    assert format_cards(parse_cards("Ah Kd 2c")) == "AhKd2c"

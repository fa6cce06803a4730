"""The annex's test vectors (SPEC-NOTES 2) and the formats of money and dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from frontal.canonical import (
    banned_player_canonical, banned_player_key, canonical_letters, canonical_name, date_aaaammjj,
    date_aammjjhhmm, date_aammjjhhmmss, hash_joueur, money,
)


def test_hash_joueur_vectors() -> None:
    assert hash_joueur("Grégory", "Dupont", date(1970, 1, 1), "Toulon") == "DC5BA74F0E74A4AB0AB276CFD7CF60DC02B9F402"
    assert hash_joueur("Jean-Pierre", "Dupond", "19791201", "Nice") == "9853E488E24120BC18F9A650AED9CEE0FF72B09E"


@pytest.mark.parametrize(
    ("first", "name", "secret", "canonical", "key"),
    [
        ("Jean", "Dupont", "Secret!", "JEANDUPONT19700230", "56a48a5d07a0f82108f9032fc01af423d45085f8"),
        ("Lætitia", "LÆN", "123456", "LAETITIALAEN19700230", "61f74c57b5e7eb1b9ca944d1d258a4cddb23a7cd"),
        ("Éléonore", "Raphaël Œne", "Bonjour1", "ELEONORERAPHAELOENE19700230", "f3b9d28ce7ee70d3125d1d5f26f6fc311b1f2539"),
    ],
)
def test_banned_player_vectors(first: str, name: str, secret: str, canonical: str, key: str) -> None:
    # 30/02/1970 is not a date: the annex's vectors work on the string form.
    assert banned_player_canonical(first, name, "19700230") == canonical
    assert banned_player_key(secret, first, name, "19700230") == key


def test_diacritics_table() -> None:
    assert canonical_letters("àâäçéèêëîïôöùûüÿæœ") == "AAACEEEEIIOOUUUYAEOE"
    assert canonical_letters("ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒ") == "AAACEEEEIIOOUUUYAEOE"
    assert canonical_letters("d'Artagnan-Le Grand 3") == "DARTAGNANLEGRAND"
    assert canonical_name("Paris Saint-Germain  - Olympique de Marseille") == "PARIS SAINT-GERMAIN - OLYMPIQUE DE MARSEILLE"
    assert canonical_name("L'Équipe n°1 !") == "L'EQUIPE N1"


def test_money() -> None:
    assert money(Decimal("125.67")) == "125.67"
    assert money(12567) == "125.67"
    assert money(Decimal("1000000")) == "1000000.00"
    assert money(5) == "0.05"
    assert money(-250) == "-2.50"
    with pytest.raises(ValueError):
        money(Decimal("1.005"))
    with pytest.raises(TypeError):
        money(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        money(Decimal("NaN"))


def test_dates_are_utc() -> None:
    paris = timezone(timedelta(hours=2))
    at = datetime(2010, 4, 12, 12, 33, 20, tzinfo=paris)
    assert date_aammjjhhmmss(at) == "100412103320"
    assert date_aammjjhhmm(at) == "1004121033"
    assert date_aaaammjj(date(2010, 4, 11)) == "20100411"
    with pytest.raises(ValueError):
        date_aammjjhhmmss(datetime(2010, 4, 12))

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from server.identity import IdentityError, parse_identity
from server.payment_refs import BankTable, PaymentReferenceError, check_iban

TODAY = date(2026, 11, 24)


def form(**changes: Any) -> dict[str, Any]:
    base = {
        "login": "gregory.dupont@example.fr", "pseudo": "greg_d", "birth_name": "Dupont",
        "first_names": ["Grégory", "Jean Marie"], "civility": "M", "birth_date": "1970-01-01",
        "birth_town": "Toulon", "birth_department": "83", "birth_country": "France",
        "address": ["12 rue de la Paix"], "postal_code": "75002", "town": "Paris", "country": "France",
        "email": "gregory.dupont@example.fr", "phone_mobile": "06 12 34 56 78",
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def test_valid_identity() -> None:
    identity = parse_identity(form(), TODAY)
    assert identity.first_name == "Grégory" and identity.other_first_names == "Jean Marie"
    assert identity.phone_mobile == "0612345678"
    assert identity.birthplace == "Toulon"
    abroad = parse_identity(form(birth_country="Belgique", birth_department="99", birth_town="Liège"), TODAY)
    assert abroad.birthplace == "Belgique"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"birth_date": "2010-01-01"}, "birth_date"),  # minor
        ({"birth_date": "1970-02-30"}, "birth_date"),
        ({"birth_date": "2027-01-01"}, "birth_date"),
        ({"birth_department": "99"}, "birth_department"),  # born in France
        ({"birth_department": "20"}, "birth_department"),  # Corsica is 2A/2B
        ({"birth_country": "Espagne"}, "birth_department"),  # abroad needs 99
        ({"postal_code": "99350"}, "postal_code"),  # French address
        ({"postal_code": "7500"}, "postal_code"),
        ({"birth_name": "Dupont<script>"}, "birth_name"),
        ({"first_names": []}, "first_names"),
        ({"civility": "Dr"}, "civility"),
        ({"email": "not-an-email"}, "email"),
        ({"phone_mobile": "call me"}, "phone_mobile"),
        ({"address": [""] }, "address"),
        ({"address": ["x"] * 9}, "address"),
        ({"login": None}, "login"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
    ],
)
def test_each_problem_is_named(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(IdentityError) as caught:
        parse_identity(form(**changes), TODAY)
    assert field in caught.value.problems


def test_all_problems_reported_at_once() -> None:
    with pytest.raises(IdentityError) as caught:
        parse_identity(form(civility="X", email="bad", birth_date="2020-01-01"), TODAY)
    assert set(caught.value.problems) == {"civility", "email", "birth_date"}


def test_iban_checks() -> None:
    # The annex's example (1.3.3.b).
    assert check_iban("FR14 2004 1010 0505 0001 3M02 606") == "FR1420041010050500013M02606"
    assert check_iban("DE89370400440532013000") == "DE89370400440532013000"
    for bad, reason in [
        ("FR1420041010050500013M02607", "check digits"),
        ("FR142004101005050001", "27 characters"),
        ("ZZ1420041010050500013M02606", "not accepted"),
        ("hello", "2 letters"),
    ]:
        with pytest.raises(PaymentReferenceError, match=reason):
            check_iban(bad)


def test_french_rib_key_is_checked() -> None:
    # Valid mod-97 IBAN whose inner RIB key is wrong: recompute the IBAN check digits for a bad key.
    bban = "20041010050500013M02607"
    digits = "".join(str(int(ch, 36)) for ch in bban + "FR00")
    check = 98 - int(digits) % 97
    with pytest.raises(PaymentReferenceError, match="RIB key"):
        check_iban(f"FR{check:02d}{bban}")


def test_bank_table_enrichment() -> None:
    table = BankTable.load()
    assert table.for_iban("FR1420041010050500013M02606").label == "LA BANQUE POSTALE"
    assert table.lookup("73538").label == "Skrill Limited"
    with pytest.raises(PaymentReferenceError, match="unknown"):
        table.lookup("99999")
    with pytest.raises(PaymentReferenceError, match="CIB"):
        table.for_iban("DE89370400440532013000")

"""Payment account references (CPTEREF): IBAN checked per ISO 13616, or a PSP reference.

The CIB (the regulator's code for the payment provider) and its label are enrichment the
sensor adds (annex 1.3.3.b): for a French IBAN the CIB is the bank code it contains; the
label comes from the bank table (``banks.csv`` shipped here, replaceable by the ACPR's
full list through configuration).
"""

from __future__ import annotations

import csv
import io
import re
import string
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

# ISO 13616 lengths for the countries of the SEPA area a French operator pays out to.
IBAN_LENGTHS = {
    "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20,
    "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IS": 26,
    "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28,
    "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "VA": 22,
}
_IBAN_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
_CIB = re.compile(r"^[0-9]{5}$")


class PaymentReferenceError(ValueError):
    pass


def normalize_iban(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def _to_digits(text: str) -> str:
    return "".join(str(int(ch, 36)) for ch in text)


def check_iban(text: str) -> str:
    """Return the IBAN in electronic form, or raise naming what is wrong."""
    iban = normalize_iban(text)
    if not _IBAN_SHAPE.match(iban):
        raise PaymentReferenceError("an IBAN is 2 letters, 2 check digits and up to 30 letters or digits")
    expected = IBAN_LENGTHS.get(iban[:2])
    if expected is None:
        raise PaymentReferenceError(f"IBANs of country {iban[:2]} are not accepted")
    if len(iban) != expected:
        raise PaymentReferenceError(f"a {iban[:2]} IBAN has {expected} characters, not {len(iban)}")
    if int(_to_digits(iban[4:] + iban[:4])) % 97 != 1:
        raise PaymentReferenceError("the IBAN's check digits do not match (ISO 13616 mod 97)")
    if iban[:2] in ("FR", "MC"):
        _check_rib_key(iban[4:])
    return iban


_RIB_LETTERS = {c: str(v) for c, v in zip(string.ascii_uppercase,
                                           "12345678912345678923456789")}


def _check_rib_key(bban: str) -> None:
    """French BBAN: bank(5) branch(5) account(11) key(2), key = 97 - (89b + 15g + 3c) mod 97."""
    bank, branch, account, key = bban[:5], bban[5:10], bban[10:21], bban[21:23]
    numeric = "".join(_RIB_LETTERS.get(ch, ch) for ch in account)
    if not (bank.isdigit() and branch.isdigit() and numeric.isdigit() and key.isdigit()):
        raise PaymentReferenceError("a French IBAN's bank, branch and key are digits")
    computed = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(numeric)) % 97
    if computed != int(key):
        raise PaymentReferenceError("the French RIB key inside the IBAN does not match")


@dataclass(frozen=True)
class Bank:
    cib: str
    label: str


class BankTable:
    def __init__(self, banks: dict[str, str]) -> None:
        self._banks = banks

    @classmethod
    def load(cls, path: Path | None = None) -> "BankTable":
        text = path.read_text(encoding="utf-8") if path else (files("server") / "banks.csv").read_text(encoding="utf-8")
        banks: dict[str, str] = {}
        for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=";"), start=1):
            if not row or row[0].startswith("#"):
                continue
            if len(row) != 2 or not _CIB.match(row[0].strip()) or not row[1].strip():
                raise PaymentReferenceError(f"bank table line {number}: expected CIB;LABEL")
            banks[row[0].strip()] = row[1].strip()
        return cls(banks)

    def lookup(self, cib: str) -> Bank:
        label = self._banks.get(cib)
        if label is None:
            raise PaymentReferenceError(f"unknown payment provider CIB {cib}")
        return Bank(cib, label)

    def for_iban(self, iban: str) -> Bank:
        if iban[:2] not in ("FR", "MC"):
            raise PaymentReferenceError(f"no CIB can be derived from a {iban[:2]} IBAN: give the provider's CIB")
        return self.lookup(iban[4:9])

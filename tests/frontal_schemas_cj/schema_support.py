"""Compile schemas/CJ.xsd straight from schemas/ and report errors by element.

As in tests/frontal_schemas_pa_po, the schema is tested through lxml directly so that a fault is
pinned on the XSD and not on frontal/xsd.py (which does not route CJ events yet).
"""
from __future__ import annotations

import copy
from pathlib import Path

from lxml import etree

from tests.frontal_schemas_pa_po.schema_support import SCHEMA_DIR, load, schema

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ANNEX_FIXTURES = FIXTURES / "annex"
LOT_FIXTURES = FIXTURES / "lot"
SYNTHETIC_FIXTURES = FIXTURES / "synthetic"

CJ_EVENTS = (
    "OUVINFOPERSO", "CPTEREF", "PREFCPTE", "OKCONDGENE", "OUVOKCONFIRME", "ACCESREFUSE", "MODIFINFOPERSO",
    "AUTOINTERDICTION", "CLOTUREDEM", "CPTEALIM", "CPTERETRAIT", "CPTEABOND", "CPTEALIMOPE", "CPTEAJUSTOPE",
    "LOTNATURE",
)

__all__ = ["SCHEMA_DIR", "load", "errors", "annex", "synthetic", "CJ_EVENTS"]


def errors(element: etree._Element) -> list[str]:
    """Every CJ.xsd validation message for element (empty when valid)."""
    xsd = schema("CJ.xsd")
    if xsd.validate(etree.ElementTree(copy.deepcopy(element))):
        return []
    return [entry.message for entry in xsd.error_log]


def _one(folder: Path, name_part: str) -> etree._Element:
    matches = sorted(folder.glob(f"*{name_part}*.xml"))
    if len(matches) != 1:
        raise LookupError(f"{name_part!r} matches {len(matches)} fixtures in {folder.name}")
    return load(matches[0])


def annex(name_part: str) -> etree._Element:
    return _one(ANNEX_FIXTURES, name_part)


def synthetic(name_part: str) -> etree._Element:
    return _one(SYNTHETIC_FIXTURES, name_part)

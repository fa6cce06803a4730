"""Compile the PA/PO/Lot/Validation schemas straight from schemas/ and report errors by element.

Tests of the schemas themselves go through lxml directly so that a fault is pinned on the XSD and
not on the loader in frontal/xsd.py (which has its own tests).
"""
from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

from lxml import etree

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ANNEX_FIXTURES = FIXTURES / "annex"

FAMILY_BY_PREFIX = (("PASP", "PASP.xsd"), ("PAHI", "PAHI.xsd"), ("PO", "PO.xsd"))


@cache
def schema(file_name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / file_name)))


def schema_for_root(root_name: str) -> etree.XMLSchema:
    for prefix, file_name in FAMILY_BY_PREFIX:
        if root_name.startswith(prefix):
            return schema(file_name)
    if root_name == "Lot":
        return schema("Lot.xsd")
    if root_name == "Validation":
        return schema("Validation.xsd")
    raise KeyError(root_name)


def errors(element: etree._Element, file_name: str | None = None) -> list[str]:
    """Every validation message for element (empty when valid)."""
    xsd = schema(file_name) if file_name else schema_for_root(element.tag)
    doc = etree.ElementTree(copy.deepcopy(element))
    if xsd.validate(doc):
        return []
    return [entry.message for entry in xsd.error_log]


def load(path: Path) -> etree._Element:
    parser = etree.XMLParser(remove_blank_text=True)
    return etree.parse(str(path), parser).getroot()


def annex(name_part: str) -> etree._Element:
    matches = sorted(ANNEX_FIXTURES.glob(f"*{name_part}*.xml"))
    if len(matches) != 1:
        raise LookupError(f"{name_part!r} matches {len(matches)} annex fixtures")
    return load(matches[0])

"""Tag translation (annex 1.5): short codes for element names in stored traces.

The regulator publishes the table as CSV lines ``Name;code`` (``IDOper;a`` turns
``<IDOper>`` into ``<a>``). The official files have known defects (SPEC-NOTES 3); the
policy, chosen so every stored trace reads back to exactly one original:

- blank lines, a UTF-8 BOM, CRLF line ends and a trailing ``;`` are accepted; a line
  identical to an earlier one is ignored;
- a name listed with two codes is written with the first code listed; both codes read
  back to the name;
- a code listed for two names is ambiguous: it is dropped, and those names are written
  with another code of theirs or, failing that, untranslated (a warning says which);
- a table whose code equals an element name that stays untranslated (``Lot`` or any name
  the table leaves out) is rejected: a stored ``<Nom>`` could not be told from a code;
- a name or code that is not an XML name, or a line without exactly two fields, rejects
  the table with its line number.

Only element names are translated. Values are left as they are: the annex's example
translates a tag, and a value cannot be told from free text without the element's type.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

from lxml import etree

XML_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9._-]*\Z")


class TranslationTableError(ValueError):
    pass


@lru_cache(maxsize=1)
def schema_element_names() -> frozenset[str]:
    """Every element name declared by Croupier's trace schemas (and ``Lot``)."""
    names = {"Lot"}
    xs = "{http://www.w3.org/2001/XMLSchema}element"
    for resource in files("schemas").iterdir():
        if resource.name.endswith(".xsd"):
            tree = etree.fromstring(resource.read_bytes())
            names.update(node.get("name") for node in tree.iter(xs) if node.get("name"))
    return frozenset(names)


@dataclass(frozen=True)
class TagTable:
    content: str
    encode_map: dict[str, str]
    decode_map: dict[str, str]
    warnings: tuple[str, ...] = field(default=())

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content.encode("utf-8")).hexdigest()

    @classmethod
    def parse(cls, content: str, element_names: frozenset[str] | None = None) -> "TagTable":
        names_in_schemas = schema_element_names() if element_names is None else element_names
        codes_by_name: dict[str, list[str]] = {}
        names_by_code: dict[str, set[str]] = {}
        seen: set[tuple[str, str]] = set()
        for number, raw in enumerate(content.lstrip("\ufeff").splitlines(), start=1):
            line = raw.strip()
            if not line:
                continue
            fields = line.split(";")
            if len(fields) == 3 and fields[2] == "":
                fields = fields[:2]
            if len(fields) != 2:
                raise TranslationTableError(f"line {number}: expected 'Name;code', got {raw!r}")
            name, code = fields[0].strip(), fields[1].strip()
            for label, value in (("name", name), ("code", code)):
                if not XML_NAME.match(value):
                    raise TranslationTableError(f"line {number}: {label} {value!r} is not an XML element name")
            if (name, code) in seen:
                continue
            seen.add((name, code))
            codes_by_name.setdefault(name, []).append(code)
            names_by_code.setdefault(code, set()).add(name)

        warnings: list[str] = []
        ambiguous = {code for code, names in names_by_code.items() if len(names) > 1}
        for code in sorted(ambiguous):
            warnings.append(f"code {code!r} is listed for {', '.join(sorted(names_by_code[code]))}: not used")
        encode_map: dict[str, str] = {}
        decode_map: dict[str, str] = {}
        for name, codes in codes_by_name.items():
            usable = [c for c in codes if c not in ambiguous]
            if len(codes) > 1:
                warnings.append(f"{name} is listed with codes {', '.join(codes)}: written as {usable[0] if usable else name}")
            if usable:
                encode_map[name] = usable[0]
                for code in usable:
                    decode_map[code] = name
        untranslated = names_in_schemas - encode_map.keys()
        clashes = sorted(set(decode_map) & untranslated)
        if clashes:
            raise TranslationTableError(
                f"code(s) {', '.join(clashes)} equal element names stored untranslated: traces would be ambiguous")
        return cls(content, encode_map, decode_map, tuple(warnings))

    def encode(self, event: etree._Element) -> etree._Element:
        return _renamed(event, self.encode_map)

    def decode(self, event: etree._Element) -> etree._Element:
        return _renamed(event, self.decode_map)


def _renamed(event: etree._Element, mapping: dict[str, str]) -> etree._Element:
    copy = etree.fromstring(etree.tostring(event))
    for node in copy.iter():
        if isinstance(node.tag, str):
            node.tag = mapping.get(node.tag, node.tag)
    return copy

"""The sports nomenclature: the regulator's codes a PASPMISE line carries (annex 1.3.4.a.1).

Sport, Evnt, Cat, Disc and TypeRes are "normalised and codified" by the regulator, whose
lists are not in the annex (SPEC-NOTES 3): Croupier ships the codes the annex uses
(``nomenclature.csv`` next to this module) and the operator supplies the rest in a file of
the same format (``sportsbook.nomenclature_file``). Genre is the annex's own enumeration
(H, F, M). Part may come from the regulator's partial dictionary of participants: an entry
of kind ``participant`` gives the code to use instead of the participant's canonical name.

File format, one entry a line, ``;``-separated: ``kind;code;label;sport;options``.
``#`` starts a comment line; blank lines, a UTF-8 BOM, CRLF line ends and trailing empty
fields are accepted. Anything else refuses the whole file with the line's number: a
catalogue built on a half-read list would put unknown codes in the traces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Iterable, Mapping

from server.sportsbook.canonical import canonical

KINDS = ("sport", "event", "category", "discipline", "gender", "result_type", "participant")
CODE = re.compile(r"[#0-9A-Z-]{1,32}\Z")  # PACommon.xsd pa-code; 32: the catalogue's columns
GENDERS = frozenset({"H", "F", "M"})  # annex 1.3.4.a.1, type Genre
OPTIONS = {"nochoice": "result_type"}  # option -> the only kind it applies to
SHIPPED = "nomenclature.csv"
MAX_LABEL = 128


class NomenclatureError(ValueError):
    """A file the catalogue cannot use; the message names the file and the line."""


@dataclass(frozen=True)
class Code:
    kind: str
    code: str
    label: str
    sport: str | None = None
    no_choice: bool = False  # result types whose Choix stays empty (E4VGB, the draw)
    origin: str = ""  # "file:line", for error messages and the operator's listing


@dataclass(frozen=True)
class Nomenclature:
    entries: Mapping[tuple[str, str], Code]
    # (sport, canonical participant name) -> the dictionary's Part code
    participants: Mapping[tuple[str | None, str], str] = field(default_factory=dict)

    def get(self, kind: str, code: str) -> Code | None:
        return self.entries.get((kind, code))

    def of_kind(self, kind: str) -> list[Code]:
        return sorted((c for c in self.entries.values() if c.kind == kind), key=lambda c: c.code)

    def sport_has(self, kind: str, sport: str) -> bool:
        """Annex 1.3.4.a.1 (Cat, Disc): when the nomenclature lists categories (disciplines)
        for a sport, they become mandatory for that sport's lines."""
        return any(c.kind == kind and c.sport == sport for c in self.entries.values())

    def participant_code(self, sport: str, canonical_name: str) -> str | None:
        """Part: the dictionary's value when it has one ("elle doit etre utilisee")."""
        return self.participants.get((sport, canonical_name)) or self.participants.get((None, canonical_name))


def parse_lines(text: str, source: str) -> list[Code]:
    """One file's entries, in order; refuses a bad line or a code declared twice."""
    entries: list[Code] = []
    seen: dict[tuple[str, str], int] = {}
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{source} line {number}"
        fields = [f.strip() for f in line.split(";")]
        while len(fields) > 3 and fields[-1] == "":
            fields.pop()
        if not 3 <= len(fields) <= 5:
            raise NomenclatureError(f"{where}: expected kind;code;label;sport;options, got {raw!r}")
        kind, code, label = fields[:3]
        sport = fields[3] if len(fields) > 3 and fields[3] else None
        options = {o.strip() for o in fields[4].split(",") if o.strip()} if len(fields) > 4 else set()
        if kind not in KINDS:
            raise NomenclatureError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
        if not CODE.match(code):
            raise NomenclatureError(f"{where}: code {code!r} does not match [#0-9A-Z-]{{1,32}}")
        if kind == "gender" and code not in GENDERS:
            raise NomenclatureError(f"{where}: gender {code!r} is not H, F or M (annex 1.3.4.a.1, Genre)")
        if not label or len(label) > MAX_LABEL:
            raise NomenclatureError(f"{where}: label must have 1 to {MAX_LABEL} characters")
        if sport is not None and (kind in ("sport", "gender") or not CODE.match(sport)):
            raise NomenclatureError(f"{where}: sport {sport!r} is not allowed here"
                                    if kind in ("sport", "gender") else f"{where}: sport {sport!r} is not a code")
        for option in options:
            if OPTIONS.get(option) != kind:
                raise NomenclatureError(f"{where}: option {option!r} is not allowed for kind {kind}")
        if (kind, code) in seen:
            raise NomenclatureError(f"{where}: {kind} {code} is already declared on line {seen[kind, code]}")
        seen[kind, code] = number
        entries.append(Code(kind, code, label, sport, "nochoice" in options, where))
    return entries


def build(layers: Iterable[list[Code]]) -> Nomenclature:
    """Later layers (the operator's file) replace earlier ones (the shipped list) code by code:
    the operator's copy of the regulator's list is the newer one."""
    entries: dict[tuple[str, str], Code] = {}
    for layer in layers:
        for entry in layer:
            entries[entry.kind, entry.code] = entry
    participants: dict[tuple[str | None, str], str] = {}
    for entry in entries.values():
        if entry.sport is not None and ("sport", entry.sport) not in entries:
            raise NomenclatureError(f"{entry.origin}: sport {entry.sport} is not declared")
        if entry.kind == "participant":
            key = (entry.sport, canonical(entry.label))
            if not key[1]:
                raise NomenclatureError(f"{entry.origin}: the label has no character of [0-9A-Z' -]")
            if key in participants and participants[key] != entry.code:
                # Two codes for one name: a Part could not be chosen, so the list is refused.
                raise NomenclatureError(f"{entry.origin}: participant {entry.label!r} already has code "
                                        f"{participants[key]}")
            participants[key] = entry.code
    return Nomenclature(entries, participants)


def shipped_lines() -> list[Code]:
    text = (files("server.sportsbook") / SHIPPED).read_text(encoding="utf-8")
    return parse_lines(text, SHIPPED)


def load(operator_file: Path | None = None) -> Nomenclature:
    """The shipped codes, plus the operator's file when there is one."""
    layers = [shipped_lines()]
    if operator_file is not None:
        try:
            text = operator_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise NomenclatureError(f"cannot read {operator_file}: {exc}") from None
        layers.append(parse_lines(text, str(operator_file)))
    return build(layers)

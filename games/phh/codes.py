"""Variant codes: the standard's for the games the engine plays, and Croupier's for the
ones it has no code for."""

from __future__ import annotations

from games.betting import Structure
from games.hand import Variant
from games.phh.model import PhhError

#: The standard's codes for the games the engine plays.
STANDARD_CODES: dict[str, tuple[Variant, Structure]] = {
    "NT": (Variant.HOLDEM, Structure.NO_LIMIT),
    "FT": (Variant.HOLDEM, Structure.FIXED_LIMIT),
    "PO": (Variant.OMAHA, Structure.POT_LIMIT),
}
#: Croupier's codes, after the standard's naming scheme, for the games it has no code for.
EXTENSION_CODES: dict[str, tuple[Variant, Structure]] = {
    "PT": (Variant.HOLDEM, Structure.POT_LIMIT),
    "NO": (Variant.OMAHA, Structure.NO_LIMIT),
    "FO": (Variant.OMAHA, Structure.FIXED_LIMIT),
}
GAMES = {**STANDARD_CODES, **EXTENSION_CODES}


def variant_code(variant: Variant, structure: Structure, *, extensions: bool = False) -> str:
    for codes in (STANDARD_CODES, EXTENSION_CODES if extensions else {}):
        for code, game in codes.items():
            if game == (variant, structure):
                return code
    raise PhhError(f"PHH has no code for {variant.name.lower()} {structure.value} "
                   f"(Croupier's {', '.join(EXTENSION_CODES)} need extensions=True)")

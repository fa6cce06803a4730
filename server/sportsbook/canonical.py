"""Fixture (Renc) and participant (Part) names in the annex's canonical form.

Annex 1.3.4.a.1, Renc and Part: the name "tel qu'il est affiché au joueur", put in canonical
form by

- removing diacritics whatever the case (acute, grave, circumflex, diaeresis, cedilla),
  with the table of 3.2.2 (æ -> AE, œ -> OE; SPEC-NOTES 2 for its ``U`` typo);
- upper-casing;
- removing every character outside ``[0-9A-Z' -]``.

What the annex's examples add (1.4.1.a.1), and Croupier therefore does first:

- the match shown as « Chelsea – Valence CF », with an en dash, is traced
  ``UEFA CHAMPIONS LEAGUE - CHELSEA - VALENCE CF``: typographic dashes are the hyphen of
  the class, not characters to delete (deleting them would glue the names together);
- « CHAMPIONNAT D'ITALIE - NOVARE - NAPLES » is written "avec utilisation d'un guillemet
  simple": typographic apostrophes are the class's ``'``;
- Renc is the competition's name, `` - ``, then the match's name: the Italian
  championship, whose Evnt code is the generic 7CDZS, "appears only in the clear text of
  the fixture's title" (example 4b).

Runs of spaces are folded and the ends trimmed (every example has single spaces and no
padding), as frontal.canonical.canonical_name does for every Renc and Part it checks.
"""

from __future__ import annotations

import unicodedata

from frontal.canonical import canonical_name

# Typographic look-alikes of the class's own punctuation, by code point.
_DASHES = {0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xFE58, 0xFE63, 0xFF0D}
_APOSTROPHES = {0x2018, 0x2019, 0x201B, 0x2032, 0x02BC, 0x0060, 0x00B4, 0xFF07}
_TYPOGRAPHIC = {**{c: "-" for c in _DASHES}, **{c: "'" for c in _APOSTROPHES}}

SEPARATOR = " - "  # between the competition and the match, and between two participants


def _plain_punctuation(text: str) -> str:
    # Every Unicode space (no-break, narrow no-break, tabs...) is a space of the class.
    text = "".join(" " if c.isspace() else c for c in unicodedata.normalize("NFC", text))
    return text.translate(_TYPOGRAPHIC)


def canonical(text: str) -> str:
    """The canonical form of one name; may be empty when nothing of it is in the class."""
    return canonical_name(_plain_punctuation(text))


def default_fixture_name(participants: list[str]) -> str:
    """The match as shown when the operator gives no name: « Chelsea - Valence CF »."""
    return SEPARATOR.join(name.strip() for name in participants)


def renc(competition_name: str, fixture_name: str) -> str:
    """LigSp/Renc: the competition's name, then the match's, both as shown to the player."""
    return canonical(competition_name + SEPARATOR + fixture_name)

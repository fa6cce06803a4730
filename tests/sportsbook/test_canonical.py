"""Renc and Part in canonical form, with the annex's own examples (1.3.4.a.1, 1.4.1.a.1)."""

from __future__ import annotations

import re
import unicodedata

import pytest

from frontal.canonical import canonical_name
from server.sportsbook.canonical import canonical, default_fixture_name, renc

RENC = re.compile(r"[0-9A-Z' -]+\Z")  # PACommon.xsd pa-renc


# The fixtures of 1.4.1.a.1, as the annex shows them to the player (with its en dashes and,
# for the Italian championship, "avec utilisation d'un guillemet simple"), and as it traces them.
@pytest.mark.parametrize(("competition", "match", "traced"), [
    ("UEFA Champions League", "Chelsea – Valence CF", "UEFA CHAMPIONS LEAGUE - CHELSEA - VALENCE CF"),
    ("UEFA Champions League", "Dortmund – Marseille", "UEFA CHAMPIONS LEAGUE - DORTMUND - MARSEILLE"),
    ("UEFA Champions League", "Olympiakos – Arsenal", "UEFA CHAMPIONS LEAGUE - OLYMPIAKOS - ARSENAL"),
    ("Championnat de France Ligue 1", "Lorient – Lyon", "CHAMPIONNAT DE FRANCE LIGUE 1 - LORIENT - LYON"),
    ("Championnat d’Italie", "Novare – Naples", "CHAMPIONNAT D'ITALIE - NOVARE - NAPLES"),
    ("Championnat d'Italie", "Novare - Naples", "CHAMPIONNAT D'ITALIE - NOVARE - NAPLES"),
])
def test_the_annex_fixtures(competition: str, match: str, traced: str) -> None:
    assert renc(competition, match) == traced
    assert RENC.match(traced)


@pytest.mark.parametrize(("shown", "part"), [
    ("Chelsea", "CHELSEA"), ("Valence CF", "VALENCE CF"), ("Dortmund", "DORTMUND"), ("Marseille", "MARSEILLE"),
    ("Olympiakos", "OLYMPIAKOS"), ("Arsenal", "ARSENAL"), ("Lorient", "LORIENT"), ("Lyon", "LYON"),
    ("Novare", "NOVARE"), ("Naples", "NAPLES"),
])
def test_the_annex_participants(shown: str, part: str) -> None:
    assert canonical(shown) == part


def test_the_three_rules() -> None:
    # Diacritics removed whatever the case, with the table of 3.2.2 (æ, œ included).
    assert canonical("àâäçéèêëîïôöùûüÿæœ") == "AAACEEEEIIOOUUUYAEOE"
    assert canonical("ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒ") == "AAACEEEEIIOOUUUYAEOE"
    assert canonical("Olympique de Marseille") == "OLYMPIQUE DE MARSEILLE"  # upper case
    assert canonical("Atlético Madrid") == "ATLETICO MADRID"
    assert canonical("Bayern München") == "BAYERN MUNCHEN"
    assert canonical("AS Saint-Étienne") == "AS SAINT-ETIENNE"  # the hyphen is in the class
    assert canonical("Borussia M'gladbach") == "BORUSSIA M'GLADBACH"  # so is the apostrophe
    assert canonical("1. FC Köln") == "1 FC KOLN"  # digits kept, the point removed
    assert canonical("Brighton & Hove Albion") == "BRIGHTON HOVE ALBION"
    assert canonical("Inter (Milan)!") == "INTER MILAN"
    # What the annex's table does not list is removed, as its text says ("Les autres
    # caractères sont supprimés"): ø is not ö.
    assert canonical("Bodø/Glimt") == "BODGLIMT"
    assert canonical("Олимпиакос") == ""


def test_typographic_punctuation_and_spaces() -> None:
    for dash in "‐‑‒–—―−":
        assert canonical(f"Lorient {dash} Lyon") == "LORIENT - LYON"
    for apostrophe in "‘’‛′ʼ`´":
        assert canonical(f"Championnat d{apostrophe}Italie") == "CHAMPIONNAT D'ITALIE"
    assert canonical("  Paris\u00a0Saint‑Germain\t FC  ") == "PARIS SAINT-GERMAIN FC"
    assert canonical(unicodedata.normalize("NFD", "Atlético Besiktaş")) == "ATLETICO BESIKTAS"  # decomposed input


def test_default_names_and_idempotence() -> None:
    assert default_fixture_name([" Chelsea ", "Valence CF"]) == "Chelsea - Valence CF"
    for text in ("UEFA CHAMPIONS LEAGUE - CHELSEA - VALENCE CF", "CHAMPIONNAT D'ITALIE - NOVARE - NAPLES"):
        assert canonical(text) == text == canonical_name(text)

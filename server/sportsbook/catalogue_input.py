"""The operator's competitions, fixtures and markets, checked field by field.

What the annex asks of a PASPMISE line (1.3.4.a.1) is checked here, before anything is
stored: codes from the nomenclature and of the fixture's sport; Cat and Disc present when
the nomenclature lists some for the sport; at most four disciplines; Part only for a match
of two participants; Renc and Part in canonical form and within their lengths; a Choix
empty for the result types that take none, at most 64 characters otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

from server.sportsbook import canonical as names
from server.sportsbook.inputs import InputError, Reader, check_code
from server.sportsbook.nomenclature import Nomenclature

MAX_DISCIPLINES = 4  # LigSp/Disc 0..4
MAX_SELECTIONS = 64
MAX_PROGNOSTICS = 64  # elementary prognostics in one PronoSp (PACommon.xsd)
NO_CANONICAL = "has no character the canonical form keeps ([0-9A-Z' -] once accents are removed)"


@dataclass(frozen=True)
class CompetitionIn:
    name: str
    sport: str
    event: str
    category: str | None
    disciplines: tuple[str, ...]
    gender: str


@dataclass(frozen=True)
class ParticipantIn:
    number: int
    name: str
    canonical_name: str
    part: str  # LigSp/Part (sports); the canonical name for runners


@dataclass(frozen=True)
class FixtureIn:
    competition_id: int
    name: str
    renc: str
    participants: tuple[ParticipantIn, ...]
    starts_at: datetime
    category: str | None
    disciplines: tuple[str, ...]
    gender: str


@dataclass(frozen=True)
class Competition:
    """What a fixture inherits from its competition."""

    id: int
    name: str
    sport: str
    category: str | None
    disciplines: tuple[str, ...]
    gender: str


@dataclass(frozen=True)
class SelectionIn:
    label: str
    prognostic: tuple[tuple[str, str], ...]  # (TypeRes, Choix), the first one the market's own
    odds: int  # hundredths


@dataclass(frozen=True)
class MarketIn:
    label: str
    live: bool
    selections: tuple[SelectionIn, ...]


@dataclass(frozen=True)
class FixtureContext:
    sport: str
    parts: Mapping[int, str]  # participant number -> Part


def parse_competition(body: Any, nomenclature: Nomenclature) -> CompetitionIn:
    r = Reader(body, {"name", "sport", "event", "category", "disciplines", "gender"})
    name = r.text("name", 128)
    if not names.canonical(name):
        raise InputError("name", NO_CANONICAL)
    sport = r.code("sport", nomenclature, "sport")
    event = r.code("event", nomenclature, "event", sport)
    category, disciplines = _classification(r, nomenclature, sport, None, ())
    gender = r.code("gender", nomenclature, "gender", default="H")  # "Par défaut, le genre est masculin"
    return CompetitionIn(name, sport, event, category, disciplines, gender)


def _classification(r: Reader, nomenclature: Nomenclature, sport: str, category: str | None,
                    disciplines: tuple[str, ...]) -> tuple[str | None, tuple[str, ...]]:
    """Cat and Disc, defaulting to the competition's; required when the sport has some."""
    if r.has("category"):
        category = r.code("category", nomenclature, "category", sport)
    if category is None and nomenclature.sport_has("category", sport):
        raise InputError(r.path("category"), f"required: the nomenclature lists categories for sport {sport} "
                                             "(annex 1.3.4.a.1, Cat)")
    disciplines = r.codes("disciplines", nomenclature, "discipline", sport, MAX_DISCIPLINES, disciplines)
    if not disciplines and nomenclature.sport_has("discipline", sport):
        raise InputError(r.path("disciplines"), f"required: the nomenclature lists disciplines for sport {sport} "
                                                "(annex 1.3.4.a.1, Disc)")
    return category, disciplines


def fixture_competition_id(body: Any) -> int:
    if not isinstance(body, dict):
        raise InputError("body", "expected a JSON object")
    value = body.get("competition_id")
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InputError("competition_id", "the id of a competition (a positive integer)")
    return value


def participant(value: Any, field: str, number: int, nomenclature: Nomenclature | None,
                sport: str | None) -> ParticipantIn:
    """A participant's name as shown, its canonical form, and its Part (the dictionary's
    code when the nomenclature has one for the name, annex 1.3.4.a.1 Part)."""
    if not isinstance(value, str) or not 1 <= len(value.strip()) <= 64:
        raise InputError(field, "a name of 1 to 64 characters")
    name = value.strip()
    canonical_name = names.canonical(name)
    if not canonical_name:
        raise InputError(field, NO_CANONICAL)
    if len(canonical_name) > 64:  # it may be a Choix (string-64)
        raise InputError(field, "its canonical form exceeds 64 characters")
    part = None
    if nomenclature is not None and sport is not None:
        part = nomenclature.participant_code(sport, canonical_name)
    return ParticipantIn(number, name, canonical_name, part or canonical_name)


def parse_fixture(body: Any, nomenclature: Nomenclature, competition: Competition) -> FixtureIn:
    r = Reader(body, {"competition_id", "name", "participants", "starts_at", "category", "disciplines", "gender"})
    given = r.items("participants", 0, 2, required=False)
    if len(given) == 1:
        raise InputError("participants", "two participants, or none: Part is given only when two face each other "
                                         "(annex 1.3.4.a.1)")
    participants = tuple(participant(v, f"participants[{i}]", i + 1, nomenclature, competition.sport)
                         for i, v in enumerate(given))
    if len({p.canonical_name for p in participants}) != len(participants):
        raise InputError("participants[1]", "the same name, once in canonical form, as participants[0]")
    if r.has("name"):
        name = r.text("name", 200)
    elif participants:
        name = names.default_fixture_name([p.name for p in participants])
    else:
        raise InputError("name", "required when the fixture has no participants")
    if not names.canonical(name):
        raise InputError("name", NO_CANONICAL)
    renc = names.renc(competition.name, name)
    if len(renc) > 256:
        raise InputError("name", "the fixture's canonical name (competition - name) exceeds 256 characters")
    starts_at = r.time("starts_at")
    category, disciplines = _classification(r, nomenclature, competition.sport, competition.category,
                                            competition.disciplines)
    gender = r.code("gender", nomenclature, "gender", default=competition.gender)
    return FixtureIn(competition.id, name, renc, participants, starts_at, category, disciplines, gender)


def parse_market(body: Any, nomenclature: Nomenclature, fixture: FixtureContext) -> MarketIn:
    r = Reader(body, {"label", "type_res", "live", "selections"})
    label = r.text("label", 128)
    default_type = None
    if r.has("type_res"):
        default_type = r.code("type_res", nomenclature, "result_type", fixture.sport)
    live = r.boolean("live", False)
    selections = tuple(_selection(item, f"selections[{i}]", nomenclature, fixture, default_type)
                       for i, item in enumerate(r.items("selections", 1, MAX_SELECTIONS)))
    seen_labels: dict[str, int] = {}
    seen_prognostics: dict[tuple[tuple[str, str], ...], int] = {}
    for i, selection in enumerate(selections):
        # Two selections alike would make a bet's PronoSp (or the player's choice) ambiguous.
        folded = selection.label.casefold()
        if folded in seen_labels:
            raise InputError(f"selections[{i}].label", f"the same as selections[{seen_labels[folded]}]")
        if selection.prognostic in seen_prognostics:
            raise InputError(f"selections[{i}]", "the same prognostic (TypeRes and Choix) as "
                                                 f"selections[{seen_prognostics[selection.prognostic]}]")
        seen_labels[folded] = i
        seen_prognostics[selection.prognostic] = i
    return MarketIn(label, live, selections)


def _selection(item: Any, where: str, nomenclature: Nomenclature, fixture: FixtureContext,
               default_type: str | None) -> SelectionIn:
    r = Reader(item, {"label", "type_res", "choix", "participant", "with", "odds"}, where)
    label = r.text("label", 128)
    first = _elementary(r, nomenclature, fixture, default_type)
    more = tuple(_elementary(Reader(x, {"type_res", "choix", "participant"}, f"{r.path('with')}[{j}]"),
                             nomenclature, fixture, None)
                 for j, x in enumerate(r.items("with", 1, MAX_PROGNOSTICS - 1, required=False)))
    return SelectionIn(label, (first, *more), r.odds("odds"))


def _elementary(r: Reader, nomenclature: Nomenclature, fixture: FixtureContext,
                default_type: str | None) -> tuple[str, str]:
    """One (TypeRes, Choix): Choix is given, or a participant's Part, or empty for a type
    that takes none ("l'entité est donc présente, mais vide")."""
    entry = check_code(r.raw("type_res") or default_type, r.path("type_res"), nomenclature, "result_type",
                       fixture.sport)
    if entry.no_choice:
        if r.has("participant") or r.raw("choix") not in (None, ""):
            raise InputError(r.path("choix"), f"result type {entry.code} takes no choice (annex 1.3.4.a.1, Choix)")
        return entry.code, ""
    if r.has("participant"):
        if r.has("choix"):
            raise InputError(r.path("choix"), "give choix or participant, not both")
        number = r.integer("participant", 1, 2)
        if number not in fixture.parts:
            raise InputError(r.path("participant"), f"the fixture has no participant {number}")
        return entry.code, fixture.parts[number]
    if not r.has("choix"):
        raise InputError(r.path("choix"), f"required for result type {entry.code} (or name a participant)")
    return entry.code, r.text("choix", 64)

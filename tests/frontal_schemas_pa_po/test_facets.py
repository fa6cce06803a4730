"""Records breaking one facet of the annex are rejected, and the error names the element."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from lxml import etree

from tests.frontal_schemas_pa_po.schema_support import annex, errors, load, FIXTURES

Mutation = Callable[[etree._Element], None]


@dataclass(frozen=True)
class Case:
    name: str
    fixture: str  # annex fixture key (line number) or "validation"
    mutate: Mutation
    element: str  # the element the error must name
    reason: str  # a fragment of libxml2's message that says why


def set_text(path: str, text: str) -> Mutation:
    def mutate(root: etree._Element) -> None:
        root.find(path).text = text
    return mutate


def remove(path: str) -> Mutation:
    def mutate(root: etree._Element) -> None:
        node = root.find(path)
        node.getparent().remove(node)
    return mutate


def duplicate(path: str, times: int) -> Mutation:
    def mutate(root: etree._Element) -> None:
        node = root.find(path)
        for _ in range(times):
            node.addnext(etree.fromstring(etree.tostring(node)))
    return mutate


def insert_after(path: str, tag: str, text: str | None) -> Mutation:
    def mutate(root: etree._Element) -> None:
        node = etree.Element(tag)
        node.text = text
        root.find(path).addnext(node)
    return mutate


def append_to(path: str, tag: str, text: str | None) -> Mutation:
    def mutate(root: etree._Element) -> None:
        etree.SubElement(root.find(path) if path != "." else root, tag).text = text
    return mutate


def rename(path: str, tag: str) -> Mutation:
    def mutate(root: etree._Element) -> None:
        root.find(path).tag = tag
    return mutate


def swap_with_next(path: str) -> Mutation:
    def mutate(root: etree._Element) -> None:
        node = root.find(path)
        following = node.getnext()
        following.addnext(node)
    return mutate


def sequence(*mutations: Mutation) -> Mutation:
    def mutate(root: etree._Element) -> None:
        for mutation in mutations:
            mutation(root)
    return mutate


def many_prono(count: int) -> Mutation:
    def mutate(root: etree._Element) -> None:
        prono = root.find("PaSp/LigSp/PronoSp")
        for child in list(prono):
            prono.remove(child)
        for _ in range(count):
            etree.SubElement(prono, "TypeRes").text = "HGY5U"
            etree.SubElement(prono, "Choix").text = "CHELSEA"
    return mutate


LIG = "PaSp/LigSp"
SIMPLE_BET = "L4205"  # 1.4.1.a.1 example 1
COMBINED = "L4460"  # combined bet, three LigSp
PASPGAIN = "L5409"
PAHIMISE = "L5654"
POINSCRIT = "L5785"
POCAVE = "L5917"
POGAIN = "L5842"
POANNUL = "L5866"
POREVERS = "L5946"
POPARTIE = "L6015"  # 1.4.2.g.1, flop all-in
POPARTIE_RIVER = "L6221"  # 1.4.2.g.2, goes to the river

CASES = [
    # --- PASPMISE -------------------------------------------------------------------------
    Case("combi not in enumeration", SIMPLE_BET, set_text("PaSp/Combi", "SYSTEME"), "Combi", "enumeration"),
    Case("X above 64", SIMPLE_BET, insert_after("PaSp/Combi", "X", "65"), "X", "maxInclusive"),
    Case("X below 1", SIMPLE_BET, insert_after("PaSp/Combi", "X", "0"), "X", "minInclusive"),
    Case("X not an integer", SIMPLE_BET, insert_after("PaSp/Combi", "X", "2.5"), "X", "not a valid value"),
    Case("sport code lowercase", SIMPLE_BET, set_text(f"{LIG}/Sport", "foo"), "Sport", "pattern"),
    Case("event code with a dot", SIMPLE_BET, set_text(f"{LIG}/Evnt", "NT95S.1"), "Evnt", "pattern"),
    Case("type code with a space", SIMPLE_BET, set_text(f"{LIG}/PronoSp/TypeRes", "E4 VGB"), "TypeRes", "pattern"),
    Case("category code empty", SIMPLE_BET, insert_after(f"{LIG}/Sport", "Cat", ""), "Cat", "pattern"),
    Case("discipline code lowercase", SIMPLE_BET, insert_after(f"{LIG}/Evnt", "Disc", "dec"), "Disc", "pattern"),
    Case("five disciplines", SIMPLE_BET,
         sequence(insert_after(f"{LIG}/Evnt", "Disc", "D1"), duplicate(f"{LIG}/Disc", 4)), "Disc", "not expected"),
    Case("annex spelling Evt", SIMPLE_BET, rename(f"{LIG}/Evnt", "Evt"), "Evt", "not expected"),
    Case("annex spelling Genr", SIMPLE_BET, rename(f"{LIG}/Genre", "Genr"), "Genr", "not expected"),
    Case("gender not H F M", SIMPLE_BET, set_text(f"{LIG}/Genre", "W"), "Genre", "enumeration"),
    Case("match date with seconds", SIMPLE_BET, set_text(f"{LIG}/Date", "111206194500"), "Date", "pattern"),
    Case("match name not canonical", SIMPLE_BET, set_text(f"{LIG}/Renc", "Chelsea - Valence"), "Renc", "pattern"),
    Case("match name over 256", SIMPLE_BET, set_text(f"{LIG}/Renc", "A" * 257), "Renc", "length"),
    Case("participant not canonical", SIMPLE_BET, set_text(f"{LIG}/Part", "Chelsea"), "Part", "pattern"),
    Case("three participants", SIMPLE_BET, duplicate(f"{LIG}/Part", 1), "Part", "not expected"),
    Case("match tech over 256", SIMPLE_BET, set_text(f"{LIG}/Tech", "9" * 257), "Tech", "length"),
    Case("choice over 64", SIMPLE_BET, set_text(f"{LIG}/PronoSp/Choix", "C" * 65), "Choix", "length"),
    Case("65 elementary prognostics", SIMPLE_BET, many_prono(65), "TypeRes", "not expected"),
    Case("prognostic without choice", SIMPLE_BET, remove(f"{LIG}/PronoSp/Choix"), "PronoSp", "Missing child"),
    Case("negative odds", SIMPLE_BET, set_text(f"{LIG}/Cote", "-3.40"), "Cote", "minInclusive"),
    Case("odds not a number", SIMPLE_BET, set_text(f"{LIG}/Cote", "3,40"), "Cote", "not a valid value"),
    Case("two odds for one prognostic", SIMPLE_BET, duplicate(f"{LIG}/Cote", 1), "Cote", "not expected"),
    Case("live with content", SIMPLE_BET, append_to(LIG, "Live", "oui"), "Live", "Character content is not allowed"),
    Case("no prognostic", SIMPLE_BET, sequence(remove(f"{LIG}/Cote"), remove(f"{LIG}/PronoSp")), "LigSp", "Missing child"),
    Case("65 lines", SIMPLE_BET, duplicate(LIG, 64), "LigSp", "not expected"),
    Case("65 bets in a coupon", SIMPLE_BET, duplicate("PaSp", 64), "PaSp", "not expected"),
    Case("negative base stake", SIMPLE_BET, set_text("PaSp/MiseBase", "-1.50"), "MiseBase", "minInclusive"),
    Case("negative stake", SIMPLE_BET, set_text("Mise", "-1.50"), "Mise", "minInclusive"),
    Case("balance triple broken", SIMPLE_BET, remove("Mise"), "SoldeApresMise", "not expected"),
    Case("balance triple truncated", SIMPLE_BET, remove("SoldeApresMise"), "PASPMISE", "Missing child"),
    Case("bonus triple broken", SIMPLE_BET,
         sequence(append_to(".", "BonusAvantMise", "5"), append_to(".", "BonusApresMise", "4")),
         "BonusApresMise", "not expected"),
    Case("bonus name over 64", SIMPLE_BET, append_to(".", "BonusNom", "B" * 65), "BonusNom", "length"),
    Case("accented SoldeApresMise", SIMPLE_BET, rename("SoldeApresMise", "SoldeAprèsMise"), "SoldeAprèsMise", "not expected"),
    Case("coupon tech missing", SIMPLE_BET, remove("Tech"), "PaSp", "not expected"),
    Case("coupon tech over 256", SIMPLE_BET, set_text("Tech", "T" * 257), "Tech", "length"),
    Case("lines out of order", COMBINED, swap_with_next(f"{LIG}/Sport"), "Evnt", "not expected"),
    Case("annex root PASPmise", SIMPLE_BET, rename(".", "PASPmise"), "PASPmise", "No matching global"),
    # --- PASPGAIN -------------------------------------------------------------------------
    Case("gain date without seconds", PASPGAIN, set_text("DateHeure", "1112062300"), "DateHeure", "pattern"),
    Case("negative gain", PASPGAIN, set_text("Gain", "-5"), "Gain", "minInclusive"),
    Case("info over 1024", PASPGAIN, append_to(".", "Info", "i" * 1025), "Info", "length"),
    Case("gain missing", PASPGAIN, remove("Gain"), "SoldeApresGain", "not expected"),
    # --- PAHIMISE -------------------------------------------------------------------------
    Case("horse bet without Clair", PAHIMISE, remove("Clair"), "Desc", "not expected"),
    Case("65 horses", PAHIMISE, duplicate("Desc/Choix", 64), "Choix", "not expected"),
    Case("race date without seconds", PAHIMISE, set_text("Desc/DateHeure", "1112061945"), "DateHeure", "pattern"),
    Case("horse bet type over 64", PAHIMISE, set_text("Desc/Type", "T" * 65), "Type", "length"),
    Case("PASP bonus name in PAHI", PAHIMISE, append_to(".", "BonusMise", "1"), "BonusMise", "not expected"),
    # --- POINSCRIT / POCAVE ---------------------------------------------------------------
    Case("negative minimum players", POINSCRIT, set_text("NbMinJ", "-1"), "NbMinJ", "nonNegativeInteger"),
    Case("tournament date short", POINSCRIT, set_text("DescTournoi/DateTournoi", "0910151200"), "DateTournoi", "pattern"),
    Case("paid places not integer", POINSCRIT, set_text("DescTournoi/TournoiNbJoueurQualification", "2.5"),
         "TournoiNbJoueurQualification", "nonNegativeInteger"),
    Case("registration name over 256", POINSCRIT, set_text("IDInscription", "N" * 257), "IDInscription", "length"),
    Case("MiseAbond spelling", POCAVE, rename("MontAbond", "MiseAbond"), "MiseAbond", "not expected"),
    Case("chip unit not Jeton or Euro", POCAVE, set_text("UniteJeton", "Dollar"), "UniteJeton", "enumeration"),
    Case("chip count missing", POCAVE, remove("NbJeton"), "UniteJeton", "not expected"),
    Case("negative buy-in minimum", POCAVE, set_text("CaveMin", "-10"), "CaveMin", "minInclusive"),
    # --- POGAIN / POREVERS / POANNUL ------------------------------------------------------
    Case("gain date after Tech", POGAIN, swap_with_next("DateGain"), "Tech", "not expected"),
    Case("POREVERS negative cash-out", POREVERS, set_text("CaveRevers", "-1"), "CaveRevers", "minInclusive"),
    Case("POANNUL without Tech", POANNUL, remove("Tech"), "SoldeAvantRembours", "not expected"),
    Case("POANNUL date short", POANNUL, set_text("DateAnnule", "0910190634"), "DateAnnule", "pattern"),
    Case("POOBS is deleted", POGAIN, rename(".", "POOBS"), "POOBS", "No matching global"),
    # --- POPARTIE -------------------------------------------------------------------------
    Case("unknown poker type", POPARTIE, set_text("TypPoker", "NLHE"), "TypPoker", "enumeration"),
    Case("one player", POPARTIE, sequence(*[remove("Joueur") for _ in range(5)]), "PreFlop", "not expected"),
    Case("thirteen players", POPARTIE, duplicate("Joueur", 7), "Joueur", "not expected"),
    Case("seat 13", POPARTIE, set_text("Joueur/JSiege", "13"), "JSiege", "maxInclusive"),
    Case("seat 0", POPARTIE, set_text("Joueur/JSiege", "0"), "JSiege", "minInclusive"),
    Case("Joueur in table order", POPARTIE, swap_with_next("Joueur/IDJoueur"), "IDOper", "not expected"),
    Case("negative buy-in", POPARTIE, set_text("Joueur/JCave", "-240"), "JCave", "minInclusive"),
    Case("card rank 11", POPARTIE, set_text("PreFlop/CarteJoueur", "11Tr"), "CarteJoueur", "pattern"),
    Case("card rank 0", POPARTIE, set_text("PreFlop/CarteJoueur", "0Tr"), "CarteJoueur", "pattern"),
    Case("card English suit", POPARTIE, set_text("PreFlop/CarteJoueur", "2C"), "CarteJoueur", "pattern"),
    Case("card English rank", POPARTIE, set_text("PreFlop/CarteJoueur", "KPi"), "CarteJoueur", "pattern"),
    Case("five hole cards", POPARTIE, duplicate("PreFlop/CarteJoueur", 3), "CarteJoueur", "not expected"),
    Case("no hole card", POPARTIE, sequence(remove("PreFlop/CarteJoueur"), remove("PreFlop/CarteJoueur")),
         "Suivre", "not expected"),
    Case("flop of two cards", POPARTIE, remove("Flop/TabCarte"), "Parole", "not expected"),
    Case("flop of four cards", POPARTIE, duplicate("Flop/TabCarte", 1), "TabCarte", "not expected"),
    Case("turn of two cards", POPARTIE_RIVER, duplicate("Tournant/TabCarte", 1), "TabCarte", "not expected"),
    Case("call without amount", POPARTIE, remove("PreFlop/Suivre/JMontant"), "Suivre", "Missing child"),
    Case("check with amount", POPARTIE, append_to("PreFlop/Parole", "JMontant", "10"), "JMontant", "not expected"),
    Case("unknown decision", POPARTIE, rename("PreFlop/Suivre", "Check"), "Check", "not expected"),
    Case("decision seat 13", POPARTIE, set_text("PreFlop/Suivre/JSiege", "13"), "JSiege", "maxInclusive"),
    Case("decision order negative", POPARTIE, set_text("PreFlop/Suivre/MiseOrdre", "-1"), "MiseOrdre", "nonNegativeInteger"),
    Case("decision date short", POPARTIE, set_text("PreFlop/Suivre/DateMise", "0910151440"), "DateMise", "pattern"),
    Case("round without total", POPARTIE, remove("PreFlop/TotalMise"), "PreFlop", "Missing child"),
    Case("no preflop", POPARTIE, remove("PreFlop"), "Flop", "not expected"),
    Case("no showdown", POPARTIE, remove("Decouverte"), "POPARTIE", "Missing child"),
    Case("main with Gain and Perte", POPARTIE, append_to("Decouverte/Main", "Perte", "0"), "Perte", "not expected"),
    Case("main with neither", POPARTIE, remove("Decouverte/Main/Gain"), "Main", "Missing child"),
    Case("main without TotalMise", POPARTIE, remove("Decouverte/Main/TotalMise"), "Gain", "not expected"),
    Case("annex spelling Carte", POPARTIE, rename("Decouverte/Main/carte", "Carte"), "Carte", "not expected"),
    Case("eight shown cards", POPARTIE, duplicate("Decouverte/Main/carte", 6), "carte", "not expected"),
    Case("six best cards", POPARTIE, duplicate("Decouverte/Main/MainMax", 1), "MainMax", "not expected"),
    Case("thirteen hands", POPARTIE, duplicate("Decouverte/Main", 8), "Main", "not expected"),
    Case("no hand", POPARTIE, sequence(*[remove("Decouverte/Main") for _ in range(5)]), "Decouverte", "Missing child"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_broken_record_is_rejected_for_the_expected_reason(case: Case) -> None:
    record = annex(case.fixture)
    assert errors(record) == [], "the fixture must be valid before it is broken"
    case.mutate(record)
    messages = errors(record)
    assert messages, f"{case.name}: accepted"
    assert any(f"'{case.element}'" in message and case.reason in message for message in messages), messages


VALIDATION = FIXTURES / "validation" / "annex_1.2_example1.xml"
DSIG = "http://www.w3.org/2000/09/xmldsig#"


def broken_validation(mutate: Mutation) -> list[str]:
    record = load(VALIDATION)
    assert errors(record) == []
    mutate(record)
    return errors(record)


@pytest.mark.parametrize(
    ("value", "reason"),
    [("61067A6A" + "0" * 56, "pattern"), ("0" * 63, "pattern"), ("0" * 65, "pattern"), ("", "pattern")],
)
def test_validation_empval_must_be_64_lowercase_hex(value: str, reason: str) -> None:
    messages = broken_validation(set_text("EmpVal", value))
    assert any("'EmpVal'" in m and reason in m for m in messages), messages


def test_validation_sig_must_hold_an_xmldsig_element() -> None:
    def foreign(record: etree._Element) -> None:
        sig = record.find("Sig")
        sig.remove(sig[0])
        etree.SubElement(sig, "Signature")
    messages = broken_validation(foreign)
    assert any("'Signature'" in m and "not expected" in m for m in messages), messages


def test_validation_sig_must_not_be_empty() -> None:
    def empty(record: etree._Element) -> None:
        sig = record.find("Sig")
        sig.remove(sig[0])
    messages = broken_validation(empty)
    assert any("'Sig'" in m and "Missing child" in m for m in messages), messages


def test_validation_sig_holds_exactly_one_signature() -> None:
    messages = broken_validation(duplicate("Sig/{%s}Signature" % DSIG, 1))
    assert any("Signature" in m and "not expected" in m for m in messages), messages


def test_validation_requires_idevt_and_orders_idevtdebut_first() -> None:
    assert any("'IDCoffre'" in m for m in broken_validation(remove("IDEvt")))
    messages = broken_validation(insert_after("IDEvt", "IDEvtDebut", "1"))
    assert any("'IDEvtDebut'" in m and "not expected" in m for m in messages), messages


def test_validation_date_has_seconds() -> None:
    messages = broken_validation(set_text("DateHorodatage", "1004101242"))
    assert any("'DateHorodatage'" in m and "pattern" in m for m in messages), messages


def test_lot_rejects_unknown_and_invalid_children() -> None:
    lot = etree.Element("Lot")
    lot.append(annex(SIMPLE_BET))
    etree.SubElement(lot, "POOBS")
    assert any("'POOBS'" in m and "not expected" in m for m in errors(lot))
    lot = etree.Element("Lot")
    broken = annex(POPARTIE)
    broken.find("TypPoker").text = "NLHE"
    lot.append(broken)
    assert any("'TypPoker'" in m for m in errors(lot))

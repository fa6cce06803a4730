"""CJ records breaking one facet of the annex are rejected, and the error names the element."""
from __future__ import annotations

import pytest
from lxml import etree

from tests.frontal_schemas_cj.schema_support import CJ_EVENTS, annex, errors, synthetic
from tests.frontal_schemas_pa_po.test_facets import (
    Case,
    Mutation,
    append_to,
    duplicate,
    insert_after,
    remove,
    rename,
    sequence,
    set_text,
    swap_with_next,
)

OUVINFOPERSO = "L919"  # 1.3.3.a example 1
CPTEREF_IBAN = "L1100"
CPTEREF_OTHER = "L1124"
PREFCPTE = "L1350"
OKCONDGENE = "L1419"
OUVOKCONFIRME = "L1508"
ACCESREFUSE = "L1637"
MODIFINFOPERSO = "L1734"
AUTOINTERDICTION = "L1853"
CLOTUREDEM = "L2004"
CPTEALIM = "L2194"
CPTERETRAIT = "L2271"
CPTEABOND = "L2382"
CPTEALIMOPE = "L2462"
AJUST_SOLDE = "syn:CPTEAJUSTOPE_solde"
AJUST_BONUS = "syn:CPTEAJUSTOPE_bonus"
LOTNATURE = "syn:LOTNATURE"
CYRILLIC_CPTEREF = "CP\u0422\u0415\u0420EF"  # as printed in 1.3.3.b example 2


def fixture(key: str) -> etree._Element:
    return synthetic(key.removeprefix("syn:")) if key.startswith("syn:") else annex(key)


def add_moderator(*children: tuple[str, str]) -> Mutation:
    def mutate(root: etree._Element) -> None:
        moderator = etree.SubElement(root, "Moderateur")
        for tag, text in children:
            etree.SubElement(moderator, tag).text = text
    return mutate


CASES = [
    # --- header (checked once, on a CJ record) ---------------------------------------------
    Case("header IPJoueur before IDSession", OUVINFOPERSO, swap_with_next("IDSession"), "IPJoueur", "not expected"),
    Case("header operator on 3 digits", OUVINFOPERSO, set_text("IDOper", "492"), "IDOper", "length"),
    Case("header hash too short", OUVINFOPERSO, set_text("HashJoueur", "9853E488"), "HashJoueur", "length"),
    # --- OUVINFOPERSO -----------------------------------------------------------------------
    Case("annex root OUVINFPERSO", OUVINFOPERSO, rename(".", "OUVINFPERSO"), "OUVINFPERSO", "No matching global"),
    Case("licence not PS PH JC", OUVINFOPERSO, set_text("TypAg", "PX"), "TypAg", "enumeration"),
    Case("four licences", OUVINFOPERSO, duplicate("TypAg", 2), "TypAg", "not expected"),
    Case("no licence", OUVINFOPERSO, sequence(remove("TypAg"), remove("TypAg")), "Login", "not expected"),
    Case("login over 64", OUVINFOPERSO, set_text("Login", "l" * 65), "Login", "length"),
    Case("pseudo missing", OUVINFOPERSO, remove("Pseudo"), "Nom", "not expected"),
    Case("three first-name entries", OUVINFOPERSO, duplicate("Prenom", 1), "Prenom", "not expected"),
    Case("first names over 256", OUVINFOPERSO, set_text("Prenom", "P" * 257), "Prenom", "length"),
    Case("civility Mlle", OUVINFOPERSO, set_text("Civilite", "Mlle"), "Civilite", "enumeration"),
    Case("birth date aammjj", OUVINFOPERSO, set_text("DateN", "791201"), "DateN", "pattern"),
    Case("departement of one digit", OUVINFOPERSO, set_text("DptN", "6"), "DptN", "length"),
    Case("departement 2C", OUVINFOPERSO, set_text("DptN", "2C"), "DptN", "pattern"),
    Case("postal code with a space", OUVINFOPERSO, set_text("CP", "13 012"), "CP", "pattern"),
    Case("postal code of 4 digits", OUVINFOPERSO, set_text("CP", "1301"), "CP", "length"),
    Case("nine address lines", OUVINFOPERSO, duplicate("Ad", 8), "Ad", "not expected"),
    Case("mobile over 32", OUVINFOPERSO, set_text("TelMob", "0" * 33), "TelMob", "length"),
    Case("mobile before fixed", OUVINFOPERSO, insert_after("TelMob", "TelFixe", "0491000000"), "TelFixe", "not expected"),
    Case("email missing", OUVINFOPERSO, remove("Email"), "OUVINFOPERSO", "Missing child"),
    # --- CPTEREF ----------------------------------------------------------------------------
    Case("annex Cyrillic root", CPTEREF_OTHER, rename(".", CYRILLIC_CPTEREF), CYRILLIC_CPTEREF, "No matching global"),
    Case("CIB of 4 digits", CPTEREF_IBAN, set_text("PspCib", "2004"), "PspCib", "pattern"),
    Case("IBAN lowercase", CPTEREF_IBAN, set_text("PspIban", "fr1420041010050500013M02606"), "PspIban", "pattern"),
    Case("IBAN too short", CPTEREF_IBAN, set_text("PspIban", "FR142004101005"), "PspIban", "pattern"),
    Case("IBAN with spaces", CPTEREF_IBAN, set_text("PspIban", "FR14 2004 1010 0505 0001 3M02 606"), "PspIban", "pattern"),
    Case("IBAN and reference", CPTEREF_IBAN, append_to(".", "PspCpteRef", "x"), "PspCpteRef", "not expected"),
    Case("neither IBAN nor reference", CPTEREF_OTHER, remove("PspCpteRef"), "CPTEREF", "Missing child"),
    Case("PSP label over 256", CPTEREF_OTHER, set_text("PspLib", "S" * 257), "PspLib", "length"),
    Case("reference over 256", CPTEREF_OTHER, set_text("PspCpteRef", "r" * 257), "PspCpteRef", "length"),
    # --- PREFCPTE ---------------------------------------------------------------------------
    Case("annex Cyrillic PREFCPTE", PREFCPTE, rename(".", "PREFCPT\u0415"), "PREFCPT\u0415", "No matching global"),
    Case("period W", PREFCPTE, set_text("MiseMax/PeriodeMM", "W"), "PeriodeMM", "enumeration"),
    Case("negative ceiling", PREFCPTE, set_text("MiseMax/MontantMM", "-2"), "MontantMM", "minInclusive"),
    Case("ceiling with a comma", PREFCPTE, set_text("MiseMax/MontantMM", "2,50"), "MontantMM", "not a valid value"),
    Case("ceiling without period", PREFCPTE, remove("MiseMax/PeriodeMM"), "TypeJeuMM", "not expected"),
    Case("game type over 256", PREFCPTE, set_text("MiseMax/TypeJeuMM", "F" * 257), "TypeJeuMM", "length"),
    Case("account Max before Min", PREFCPTE, insert_after("Compte/Max", "Min", "1"), "Min", "not expected"),
    Case("negative account Max", PREFCPTE, set_text("Compte/Max", "-10"), "Max", "minInclusive"),
    Case("65 stake ceilings", PREFCPTE, duplicate("MiseMax", 64), "MiseMax", "not expected"),
    Case("deposit ceiling before stake ceiling", PREFCPTE,
         sequence(duplicate("MiseMax", 1), rename("MiseMax", "DepotMax")), "MiseMax", "not expected"),
    Case("moderator without game type", PREFCPTE,
         add_moderator(("LibelModer", "Temps de jeu"), ("SeuilModer", "3"), ("PeriodeModer", "J")),
         "Moderateur", "Missing child"),
    Case("moderator period X", PREFCPTE,
         add_moderator(("LibelModer", "Temps"), ("SeuilModer", "3"), ("PeriodeModer", "X"), ("TypeJeuModer", "poker")),
         "PeriodeModer", "enumeration"),
    Case("two Compte", PREFCPTE, duplicate("Compte", 1), "Compte", "not expected"),
    # --- OKCONDGENE / OUVOKCONFIRME -----------------------------------------------------------
    Case("terms without licence", OKCONDGENE, sequence(remove("TypAg"), remove("TypAg")), "OKCONDGENE", "Missing child"),
    Case("terms licence lowercase", OKCONDGENE, set_text("TypAg", "ps"), "TypAg", "enumeration"),
    Case("terms with four licences", OKCONDGENE, duplicate("TypAg", 2), "TypAg", "not expected"),
    Case("snippet root OUVOKCOMPTE", OUVOKCONFIRME, rename(".", "OUVOKCOMPTE"), "OUVOKCOMPTE", "No matching global"),
    Case("confirmation with a body", OUVOKCONFIRME, append_to(".", "Info", "ok"), "Info", "not expected"),
    Case("confirmation without licence", OUVOKCONFIRME,
         sequence(remove("TypAg"), remove("TypAg")), "OUVOKCONFIRME", "Missing child"),
    # --- ACCESREFUSE ------------------------------------------------------------------------
    Case("refusal for two licences", ACCESREFUSE, duplicate("TypAg", 1), "TypAg", "not expected"),
    Case("refusal kind not listed", ACCESREFUSE, set_text("TypeRefus", "Delai"), "TypeRefus", "enumeration"),
    Case("refusal kind before cause", ACCESREFUSE, swap_with_next("CauseRefus"), "CauseRefus", "not expected"),
    Case("refusal cause over 1024", ACCESREFUSE, set_text("CauseRefus", "c" * 1025), "CauseRefus", "length"),
    Case("refusal without licence", ACCESREFUSE, remove("TypAg"), "CauseRefus", "not expected"),
    # --- MODIFINFOPERSO ---------------------------------------------------------------------
    Case("annex root MODIFINFPERSO", MODIFINFOPERSO, rename(".", "MODIFINFPERSO"), "MODIFINFPERSO", "No matching global"),
    Case("change without first name", MODIFINFOPERSO,
         sequence(remove("Prenom"), remove("Prenom")), "Civilite", "not expected"),
    Case("change departement A1", MODIFINFOPERSO, set_text("DptN", "A1"), "DptN", "pattern"),
    Case("change postal code letters", MODIFINFOPERSO, set_text("CP", "9C012"), "CP", "pattern"),
    Case("change town over 64", MODIFINFOPERSO, set_text("Ville", "V" * 65), "Ville", "length"),
    # --- AUTOINTERDICTION ---------------------------------------------------------------------
    Case("accented Definitive", AUTOINTERDICTION, set_text("TypInterdiction", "D\u00e9finitive"),
         "TypInterdiction", "enumeration"),
    Case("exclusion of 6 days", AUTOINTERDICTION, set_text("Duree", "6"), "Duree", "minInclusive"),
    Case("exclusion of half days", AUTOINTERDICTION, set_text("Duree", "181.5"), "Duree", "not a valid value"),
    Case("exclusion date with seconds", AUTOINTERDICTION, set_text("DateModif", "110210123004"), "DateModif", "pattern"),
    Case("exclusion for two licences", AUTOINTERDICTION, duplicate("TypAg", 1), "TypAg", "not expected"),
    Case("exclusion without duration", AUTOINTERDICTION, remove("Duree"), "AUTOINTERDICTION", "Missing child"),
    # --- CLOTUREDEM -------------------------------------------------------------------------
    Case("closing balance with a comma", CLOTUREDEM, set_text("SoldeClos", "5,60"), "SoldeClos", "not a valid value"),
    Case("closing balance missing", CLOTUREDEM, remove("SoldeClos"), "CLOTUREDEM", "Missing child"),
    Case("closing balance twice", CLOTUREDEM, duplicate("SoldeClos", 1), "SoldeClos", "not expected"),
    # --- CPTEALIM ---------------------------------------------------------------------------
    Case("payment type Cheque", CPTEALIM, set_text("TypeMoyenPaiement", "Cheque"), "TypeMoyenPaiement", "enumeration"),
    Case("request date with seconds", CPTEALIM, set_text("DateDemande", "100620120300"), "DateDemande", "pattern"),
    Case("effective date before request date", CPTEALIM, swap_with_next("DateDemande"), "DateDemande", "not expected"),
    Case("negative deposit", CPTEALIM, set_text("SoldeMouvement", "-50"), "SoldeMouvement", "minInclusive"),
    Case("payment means over 64", CPTEALIM, set_text("MoyenPaiement", "m" * 65), "MoyenPaiement", "length"),
    Case("payment type missing", CPTEALIM, remove("TypeMoyenPaiement"), "CPTEALIM", "Missing child"),
    Case("bonus element in a deposit", CPTEALIM, rename("SoldeMouvement", "BonusMouvement"),
         "BonusMouvement", "not expected"),
    # --- CPTERETRAIT ------------------------------------------------------------------------
    Case("negative balance after withdrawal", CPTERETRAIT, set_text("SoldeApres", "-0.5"), "SoldeApres", "minInclusive"),
    Case("withdrawal amount missing", CPTERETRAIT, remove("SoldeMouvement"), "SoldeApres", "not expected"),
    Case("withdrawal with payment means", CPTERETRAIT, append_to(".", "MoyenPaiement", "VISA"),
         "MoyenPaiement", "not expected"),
    Case("accented SoldeApres", CPTERETRAIT, rename("SoldeApres", "SoldeApr\u00e8s"), "SoldeApr\u00e8s", "not expected"),
    # --- CPTEABOND --------------------------------------------------------------------------
    Case("top-up kind Rakeback", CPTEABOND, set_text("TypeAbondement", "Rakeback"), "TypeAbondement", "enumeration"),
    Case("snippet SoldeApres accented", CPTEABOND, rename("SoldeApres", "SoldeApr\u00e8s"),
         "SoldeApr\u00e8s", "not expected"),
    Case("top-up without info", CPTEABOND, remove("Info"), "TypeAbondement", "not expected"),
    Case("top-up for two licences", CPTEABOND, duplicate("TypAg", 1), "TypAg", "not expected"),
    Case("negative top-up", CPTEABOND, set_text("MontAbond", "-2.4"), "MontAbond", "minInclusive"),
    Case("top-up info over 1024", CPTEABOND, set_text("Info", "i" * 1025), "Info", "length"),
    # --- CPTEALIMOPE ------------------------------------------------------------------------
    Case("annex root CPTEALIMPE", CPTEALIMOPE, rename(".", "CPTEALIMPE"), "CPTEALIMPE", "No matching global"),
    Case("bonus name over 64", CPTEALIMOPE, set_text("BonusNom", "b" * 65), "BonusNom", "length"),
    Case("narration's BonusInfo", CPTEALIMOPE, rename("BonusNom", "BonusInfo"), "BonusInfo", "not expected"),
    Case("negative bonus credit", CPTEALIMOPE, set_text("BonusMouvement", "-12"), "BonusMouvement", "minInclusive"),
    Case("bonus after missing", CPTEALIMOPE, remove("BonusApres"), "BonusNom", "not expected"),
    Case("bonus for two licences", CPTEALIMOPE, duplicate("TypAg", 1), "TypAg", "not expected"),
    # --- CPTEAJUSTOPE -----------------------------------------------------------------------
    Case("snippet SoldeAjust", AJUST_SOLDE, rename("Ajustement", "SoldeAjust"), "SoldeAjust", "not expected"),
    Case("adjustment kind Correction", AJUST_SOLDE, set_text("TypeAjust", "Correction"), "TypeAjust", "enumeration"),
    Case("solde triple broken", AJUST_SOLDE, remove("Ajustement"), "SoldeApres", "not expected"),
    Case("solde triple truncated", AJUST_SOLDE, remove("SoldeApres"), "CPTEAJUSTOPE", "Missing child"),
    Case("adjustment without info", AJUST_SOLDE, remove("Info"), "TypeAjust", "not expected"),
    Case("adjustment with four licences", AJUST_SOLDE, duplicate("TypAg", 1), "TypAg", "not expected"),
    Case("adjustment not a number", AJUST_SOLDE, set_text("Ajustement", "moins 50"), "Ajustement", "not a valid value"),
    Case("negative bonus after adjustment", AJUST_BONUS, set_text("BonusApres", "-1"), "BonusApres", "minInclusive"),
    Case("bonus triple broken", AJUST_BONUS, remove("BonusAjust"), "BonusApres", "not expected"),
    Case("bonus triple before solde triple", AJUST_BONUS,
         sequence(append_to(".", "SoldeAvant", "1"), append_to(".", "Ajustement", "1"), append_to(".", "SoldeApres", "2")),
         "SoldeAvant", "not expected"),
    # --- LOTNATURE --------------------------------------------------------------------------
    Case("no prize", LOTNATURE, sequence(remove("LotN"), remove("LotN")), "LOTNATURE", "Missing child"),
    Case("65 prizes", LOTNATURE, duplicate("LotN", 63), "LotN", "not expected"),
    Case("prize name over 64", LOTNATURE, set_text("LotN/Nom", "n" * 65), "Nom", "length"),
    Case("negative prize value", LOTNATURE, set_text("LotN/Valeur", "-499"), "Valeur", "minInclusive"),
    Case("prize without value", LOTNATURE, remove("LotN/Valeur"), "LotN", "Missing child"),
    Case("prizes for two licences", LOTNATURE, duplicate("TypAg", 1), "TypAg", "not expected"),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_broken_record_is_rejected_for_the_expected_reason(case: Case) -> None:
    record = fixture(case.fixture)
    assert errors(record) == [], "the fixture must be valid before it is broken"
    case.mutate(record)
    messages = errors(record)
    assert messages, f"{case.name}: accepted"
    assert any(f"'{case.element}'" in message and case.reason in message for message in messages), messages


def test_every_cj_event_has_facet_cases() -> None:
    broken = {fixture(case.fixture).tag for case in CASES}
    assert broken == set(CJ_EVENTS)

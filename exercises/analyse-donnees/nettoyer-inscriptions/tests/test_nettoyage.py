from pathlib import Path

import pandas as pd
import pytest

from nettoyage import (
    convertir_types,
    nettoyer,
    normaliser_textes,
    rapport_manquants,
    supprimer_doublons,
)

# Inscriptions fictives, avec des défauts voulus (espaces, casse, doublons, cases vides…).
FICHIER = Path(__file__).parent / "inscriptions.csv"
VILLES_NORMALISEES = [
    "Casablanca", "Casablanca", "Rabat", "Fès", "Casablanca", "Tanger", "Tanger", "Casablanca",
    "Marrakech", "Agadir", "Fès", "Casablanca", "Oujda", "Rabat", "Tanger", "Marrakech", "Fès",
    "Rabat", "El Jadida", "Casablanca", "Agadir", "Kénitra", "Casablanca",
]
EMAILS_NORMALISES = [
    "amine.berrada@gmail.com", "salma.elidrissi@gmail.com", "y.amrani@outlook.fr",
    "khadija.tazi@gmail.com", "omar.chraibi@yahoo.fr", "imane.bennani@gmail.com",
    "imane.bennani@gmail.com", "amine.berrada@gmail.com", "hamza.ouazzani@gmail.com", None,
    "rachid.fassi@gmail.com", "meryem.kettani@gmail.com", "anas.lahlou@hotmail.com",
    "sara.benjelloun@gmail.com", None, "hajar.zniber@gmail.com", "ilyas.naciri@gmail.com",
    "sara.benjelloun@gmail.com", "zineb.cherkaoui@gmail.com", "karim.lamrani@gmail.com",
    "loubna.sefrioui@gmail.com", "ayoub.tahiri@gmail.com", "ghita.benkirane@gmail.com",
]
IDS_PROPRES = [
    "C001", "C002", "C003", "C004", "C005", "C006", "C008", "C010", "C011", "C012", "C013",
    "C015", "C016", "C018", "C019", "C020", "C021", "C022",
]
DOUBLONS = {
    "id_candidat": ["C1", "C2", "C3", "C4", "C5"],
    "email": ["a@gmail.com", "b@gmail.com", "a@gmail.com", "c@gmail.com", "b@gmail.com"],
    "ville": ["Rabat", "Fès", "Salé", "Oujda", "Fès"],
}
A_CONVERTIR = {
    "age": ["27", "31 ans", None, " 28 "],
    "score_test": ["14,5", "17", "abs", None],
    "date_inscription": ["05/02/2024", "13/02/2024", "01/03/2024", "29/02/2024"],
}


@pytest.mark.points(1)
def test_rapport_manquants():
    """rapport_manquants compte les cases vides des colonnes concernées"""
    df = pd.read_csv(FICHIER, sep=";", dtype=str)
    resultat = rapport_manquants(df)
    attendu = {"age": 2, "email": 1, "score_test": 1}
    assert isinstance(resultat, pd.Series), (
        f"rapport_manquants doit renvoyer une Series, obtenu {type(resultat).__name__}"
    )
    assert resultat.to_dict() == attendu, f"valeurs manquantes attendues {attendu}, obtenu {resultat.to_dict()}"
    valeurs = resultat.tolist()
    assert valeurs == sorted(valeurs, reverse=True), f"la Series doit être triée par ordre décroissant, obtenu {valeurs}"


@pytest.mark.points(1)
def test_normaliser_villes():
    """normaliser_textes harmonise les villes (espaces, casse, variantes)"""
    df = pd.read_csv(FICHIER, sep=";", dtype=str)
    villes = normaliser_textes(df)["ville"].tolist()
    assert villes == VILLES_NORMALISEES, f"villes attendues {VILLES_NORMALISEES}, obtenu {villes}"


@pytest.mark.points(2)
def test_normaliser_emails_et_espaces():
    """normaliser_textes : e-mails en minuscules, espaces retirés, cases blanches -> NaN"""
    df = pd.read_csv(FICHIER, sep=";", dtype=str)
    resultat = normaliser_textes(df)
    emails = [None if pd.isna(e) else e for e in resultat["email"]]
    assert emails == EMAILS_NORMALISES, (
        f"e-mails attendus (None = manquant) {EMAILS_NORMALISES}, obtenu {emails}"
    )
    niveaux = sorted(resultat["niveau_etudes"].unique().tolist())
    attendu = ["Bac", "Bac+2", "Bac+3", "Bac+4", "Bac+5"]
    assert niveaux == attendu, f"niveaux d'études attendus {attendu} (espaces retirés), obtenu {niveaux}"
    assert df.loc[0, "email"] == " Amine.Berrada@gmail.com", (
        "le DataFrame reçu a été modifié : travaillez sur une copie (df.copy())"
    )


@pytest.mark.points(2)
def test_supprimer_doublons():
    """supprimer_doublons garde la première inscription de chaque e-mail"""
    resultat = supprimer_doublons(pd.DataFrame(DOUBLONS))
    ids = resultat["id_candidat"].tolist()
    assert ids == ["C1", "C2", "C4"], f"candidats conservés attendus ['C1', 'C2', 'C4'], obtenu {ids}"


@pytest.mark.points(2)
def test_convertir_types():
    """convertir_types transforme âge, score et date en vrais types"""
    resultat = convertir_types(pd.DataFrame(A_CONVERTIR))
    ages = resultat["age"]
    assert pd.api.types.is_numeric_dtype(ages), f"la colonne age doit être numérique, obtenu le type {ages.dtype}"
    manquants = ages.isna().tolist()
    assert manquants == [False, False, True, False], (
        f"seul le 3e âge est manquant : attendu [False, False, True, False], obtenu {manquants}"
    )
    assert ages.dropna().tolist() == [27, 31, 28], f"âges attendus [27, 31, 28], obtenu {ages.dropna().tolist()}"
    scores = resultat["score_test"]
    assert pd.api.types.is_float_dtype(scores), f"la colonne score_test doit être décimale, obtenu le type {scores.dtype}"
    assert scores.isna().tolist() == [False, False, True, True], (
        f"'abs' et la case vide deviennent NaN : attendu [False, False, True, True], obtenu {scores.isna().tolist()}"
    )
    assert scores.dropna().tolist() == [14.5, 17.0], f"scores attendus [14.5, 17.0], obtenu {scores.dropna().tolist()}"
    dates = resultat["date_inscription"]
    assert pd.api.types.is_datetime64_any_dtype(dates), f"date_inscription doit être une date, obtenu le type {dates.dtype}"
    textes = dates.dt.strftime("%Y-%m-%d").tolist()
    attendu = ["2024-02-05", "2024-02-13", "2024-03-01", "2024-02-29"]
    assert textes == attendu, f"dates attendues {attendu} (format jour/mois/année), obtenu {textes}"


@pytest.mark.points(3)
def test_nettoyer():
    """nettoyer enchaîne toutes les étapes et renvoie 18 candidats propres"""
    df = pd.read_csv(FICHIER, sep=";", dtype=str)
    resultat = nettoyer(df)
    ids = resultat["id_candidat"].tolist()
    assert ids == IDS_PROPRES, f"candidats attendus ({len(IDS_PROPRES)}) {IDS_PROPRES}, obtenu ({len(ids)}) {ids}"
    index = resultat.index.tolist()
    assert index == list(range(18)), f"l'index doit être renuméroté de 0 à 17 (reset_index), obtenu {index}"
    assert resultat["email"].isna().sum() == 0, "il ne doit plus rester de candidat sans e-mail"
    assert resultat["score_test"].isna().sum() == 0, "les scores manquants doivent être remplacés par 0"
    moyenne = resultat["score_test"].mean()
    assert moyenne == pytest.approx(11.6528, abs=1e-3), (
        f"score moyen attendu 11.65 (absents comptés 0), obtenu {moyenne!r}"
    )
    villes = resultat["ville"].value_counts().to_dict()
    attendu = {"Casablanca": 6, "Fès": 3, "Rabat": 2, "Marrakech": 2, "Tanger": 1, "Oujda": 1,
               "El Jadida": 1, "Agadir": 1, "Kénitra": 1}
    assert villes == attendu, f"répartition par ville attendue {attendu}, obtenu {villes}"
    age_moyen = resultat["age"].mean()
    assert age_moyen == pytest.approx(28.375), f"âge moyen attendu 28.375 (âges manquants ignorés), obtenu {age_moyen!r}"

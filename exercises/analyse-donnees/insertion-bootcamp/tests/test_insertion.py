from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from insertion import (
    correlation_score_salaire,
    salaire_median_par_tranche,
    statistiques_salaires,
    taux_insertion,
    valeurs_aberrantes,
)

# 120 diplômés fictifs de trois cohortes ; salaire et date d'embauche vides si pas (encore) embauché.
FICHIER = Path(__file__).parent / "diplomes.csv"
DATES = ["date_diplome", "date_embauche"]
PARCOURS = ["Cloud et DevOps", "Cybersécurité", "Data", "Développement web"]
STATS_FICHIER = {
    "nombre": 88, "moyenne": 9100.0, "mediane": 9050.0, "ecart_type": 2569.27,
    "q1": 7537.5, "q3": 10200.0, "min": 3200.0, "max": 26000.0,
}
STATS_SIMPLES = {
    "nombre": 4, "moyenne": 9000.0, "mediane": 9000.0, "ecart_type": 2236.07,
    "q1": 7500.0, "q3": 10500.0, "min": 6000.0, "max": 12000.0,
}


@pytest.mark.points(1)
def test_statistiques_sur_un_petit_exemple():
    """statistiques_salaires sur 4 salaires et une valeur manquante"""
    resultat = statistiques_salaires(pd.Series([6000, 8000, np.nan, 10000, 12000]))
    for cle, valeur in STATS_SIMPLES.items():
        assert cle in resultat, f"la clé {cle!r} manque dans le résultat {resultat!r}"
        assert resultat[cle] == pytest.approx(valeur, abs=0.01), (
            f"[{cle!r}] attendu {valeur}, obtenu {resultat[cle]!r} (NaN ignorés ; écart-type de np.std, ddof=0)"
        )


@pytest.mark.points(2)
def test_statistiques_salaires():
    """statistiques_salaires décrit les 88 salaires connus du fichier"""
    df = pd.read_csv(FICHIER, parse_dates=DATES)
    resultat = statistiques_salaires(df["salaire_mad"])
    for cle, valeur in STATS_FICHIER.items():
        assert cle in resultat, f"la clé {cle!r} manque dans le résultat {resultat!r}"
        assert resultat[cle] == pytest.approx(valeur, abs=0.01), (
            f"[{cle!r}] attendu {valeur}, obtenu {resultat[cle]!r}"
        )


@pytest.mark.points(2)
def test_valeurs_aberrantes():
    """valeurs_aberrantes applique la règle des 1,5 écart interquartile"""
    simple = valeurs_aberrantes(pd.Series([10, 11, 12, 13, 50, np.nan]))
    assert list(simple) == [50], (
        f"sur [10, 11, 12, 13, 50] (Q1 = 11, Q3 = 13, bornes 8 et 16), attendu [50], obtenu {simple!r}"
    )
    df = pd.read_csv(FICHIER, parse_dates=DATES)
    resultat = valeurs_aberrantes(df["salaire_mad"])
    assert list(resultat) == [3200.0, 26000.0], (
        f"salaires aberrants attendus [3200.0, 26000.0] (bornes 3543.75 et 14193.75), obtenu {resultat!r}"
    )


@pytest.mark.points(3)
def test_taux_insertion():
    """taux_insertion : diplômés, embauchés, taux et délai médian par parcours"""
    df = pd.read_csv(FICHIER, parse_dates=DATES)
    resultat = taux_insertion(df)
    assert resultat.index.tolist() == PARCOURS, (
        f"index attendu (parcours triés) {PARCOURS}, obtenu {resultat.index.tolist()}"
    )
    colonnes = ["diplomes", "embauches", "taux_pct", "delai_median_jours"]
    assert resultat.columns.tolist() == colonnes, f"colonnes attendues {colonnes}, obtenu {resultat.columns.tolist()}"
    attendu = {
        "diplomes": [30, 30, 30, 30],
        "embauches": [20, 20, 24, 24],
        "taux_pct": [66.7, 66.7, 80.0, 80.0],
        "delai_median_jours": [97.0, 80.5, 68.0, 82.5],
    }
    for colonne, valeurs in attendu.items():
        obtenu = resultat[colonne].tolist()
        assert obtenu == pytest.approx(valeurs, abs=0.051), (
            f"colonne {colonne!r} : attendu {valeurs} (pour {PARCOURS}), obtenu {obtenu}"
        )


@pytest.mark.points(1)
def test_correlation_score_salaire():
    """correlation_score_salaire mesure le lien entre score final et salaire"""
    df = pd.read_csv(FICHIER, parse_dates=DATES)
    resultat = correlation_score_salaire(df)
    assert resultat == pytest.approx(0.57, abs=0.0006), (
        f"corrélation attendue 0.57 (embauchés seulement), obtenu {resultat!r}"
    )


@pytest.mark.points(2)
def test_salaire_median_par_tranche():
    """salaire_median_par_tranche découpe les scores en 4 tranches avec pd.cut"""
    df = pd.read_csv(FICHIER, parse_dates=DATES)
    resultat = salaire_median_par_tranche(df)
    tranches = [str(t) for t in resultat.index]
    attendu = ["moins de 12", "12 à 14", "14 à 16", "16 et plus"]
    assert tranches == attendu, f"tranches attendues dans l'ordre {attendu}, obtenu {tranches}"
    valeurs = resultat.tolist()
    medianes = [7050.0, 7650.0, 8800.0, 10225.0]
    assert valeurs == pytest.approx(medianes), (
        f"salaires médians attendus {medianes}, obtenu {valeurs} (intervalles fermés à gauche : right=False)"
    )

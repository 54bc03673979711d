"""Insertion professionnelle des diplômés d'un bootcamp (données fictives).

Le DataFrame est lu avec
    pd.read_csv(chemin, parse_dates=["date_diplome", "date_embauche"])
date_embauche et salaire_mad sont vides (NaT / NaN) pour les diplômés pas encore embauchés.
"""

import numpy as np
import pandas as pd

TRANCHES = [0, 12, 14, 16, 21]
ETIQUETTES = ["moins de 12", "12 à 14", "14 à 16", "16 et plus"]


def statistiques_salaires(salaires):
    """Statistiques descriptives des salaires connus (les NaN sont ignorés), arrondies à 2 décimales."""
    valeurs = np.asarray(salaires, dtype=float)
    valeurs = valeurs[~np.isnan(valeurs)]  # masque booléen NumPy : on retire les NaN
    q1, mediane, q3 = np.percentile(valeurs, [25, 50, 75])
    return {
        "nombre": int(valeurs.size),
        "moyenne": round(float(np.mean(valeurs)), 2),
        "mediane": round(float(mediane), 2),
        # np.std calcule par défaut l'écart-type « de population » (ddof=0) ;
        # attention : Series.std() de pandas utilise ddof=1.
        "ecart_type": round(float(np.std(valeurs)), 2),
        "q1": round(float(q1), 2),
        "q3": round(float(q3), 2),
        "min": round(float(np.min(valeurs)), 2),
        "max": round(float(np.max(valeurs)), 2),
    }


def valeurs_aberrantes(salaires):
    """Salaires hors de [Q1 - 1,5 x IQR ; Q3 + 1,5 x IQR], triés par ordre croissant."""
    valeurs = np.asarray(salaires, dtype=float)
    valeurs = valeurs[~np.isnan(valeurs)]
    q1, q3 = np.percentile(valeurs, [25, 75])
    iqr = q3 - q1  # écart interquartile
    hors_bornes = (valeurs < q1 - 1.5 * iqr) | (valeurs > q3 + 1.5 * iqr)
    return sorted(valeurs[hors_bornes].tolist())


def taux_insertion(df):
    """Par parcours : diplomes, embauches, taux_pct (0,1 près) et delai_median_jours."""
    donnees = df.assign(
        embauche=df["date_embauche"].notna(),
        # Soustraire deux dates donne une durée (Timedelta) ; .dt.days la convertit en jours.
        delai=(df["date_embauche"] - df["date_diplome"]).dt.days,
    )
    resultat = donnees.groupby("parcours").agg(
        diplomes=("id_diplome", "count"),
        embauches=("embauche", "sum"),        # True compte pour 1
        delai_median_jours=("delai", "median"),  # median ignore les NaN (non embauchés)
    )
    resultat["taux_pct"] = (resultat["embauches"] / resultat["diplomes"] * 100).round(1)
    return resultat[["diplomes", "embauches", "taux_pct", "delai_median_jours"]]


def correlation_score_salaire(df):
    """Coefficient de corrélation de Pearson entre score_final et salaire (embauchés), 3 décimales."""
    embauches = df.dropna(subset=["salaire_mad"])
    matrice = np.corrcoef(embauches["score_final"], embauches["salaire_mad"])
    return round(float(matrice[0, 1]), 3)  # la matrice 2 x 2 a des 1 sur la diagonale


def salaire_median_par_tranche(df):
    """Salaire médian des embauchés par tranche de score final ([0;12[, [12;14[, [14;16[, [16;21[)."""
    embauches = df.dropna(subset=["salaire_mad"])
    # right=False : intervalles fermés à gauche, 12 tombe dans « 12 à 14 ».
    tranche = pd.cut(embauches["score_final"], bins=TRANCHES, labels=ETIQUETTES, right=False)
    return embauches.groupby(tranche)["salaire_mad"].median()

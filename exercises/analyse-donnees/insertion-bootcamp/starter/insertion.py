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
    # TODO : retirer les NaN (np.isnan), puis calculer avec NumPy :
    #   nombre, moyenne, mediane, ecart_type (np.std), q1, q3 (np.percentile), min, max
    raise NotImplementedError("statistiques_salaires n'est pas encore écrite")


def valeurs_aberrantes(salaires):
    """Salaires hors de [Q1 - 1,5 x IQR ; Q3 + 1,5 x IQR], triés par ordre croissant."""
    # TODO
    raise NotImplementedError("valeurs_aberrantes n'est pas encore écrite")


def taux_insertion(df):
    """Par parcours : diplomes, embauches, taux_pct (0,1 près) et delai_median_jours."""
    # TODO : colonne booléenne « embauché », délai en jours (.dt.days), groupby + agg
    raise NotImplementedError("taux_insertion n'est pas encore écrite")


def correlation_score_salaire(df):
    """Coefficient de corrélation de Pearson entre score_final et salaire (embauchés), 3 décimales."""
    # TODO : np.corrcoef sur les diplômés embauchés
    raise NotImplementedError("correlation_score_salaire n'est pas encore écrite")


def salaire_median_par_tranche(df):
    """Salaire médian des embauchés par tranche de score final ([0;12[, [12;14[, [14;16[, [16;21[)."""
    # TODO : pd.cut(..., bins=TRANCHES, labels=ETIQUETTES, right=False), puis groupby
    raise NotImplementedError("salaire_median_par_tranche n'est pas encore écrite")

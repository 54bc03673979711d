"""Nettoyage du fichier des inscriptions à un bootcamp (données fictives).

Toutes les fonctions reçoivent un DataFrame lu avec
    pd.read_csv(chemin, sep=";", dtype=str)
(toutes les colonnes sont donc du texte) et renvoient un NOUVEAU DataFrame.
"""

import numpy as np
import pandas as pd

# Variantes d'écriture connues -> nom officiel (après passage en « Title Case »).
CORRECTIONS_VILLES = {"Casa": "Casablanca", "Fes": "Fès", "Marrakesh": "Marrakech"}


def rapport_manquants(df):
    """Nombre de valeurs manquantes par colonne (colonnes concernées seulement), décroissant."""
    # TODO : isna().sum(), garder les valeurs > 0, trier par ordre décroissant
    raise NotImplementedError("rapport_manquants n'est pas encore écrite")


def normaliser_textes(df):
    """Espaces superflus retirés partout, cellules vides -> NaN, e-mails en minuscules,
    villes harmonisées."""
    resultat = df.copy()
    # TODO 1 : pour chaque colonne texte, .str.strip() puis remplacer "" par np.nan
    # TODO 2 : e-mails en minuscules
    # TODO 3 : villes en « Title Case », puis appliquer CORRECTIONS_VILLES
    return resultat


def supprimer_doublons(df):
    """Un candidat = un e-mail : on garde la première inscription de chaque e-mail."""
    # TODO : drop_duplicates avec le bon paramètre subset
    raise NotImplementedError("supprimer_doublons n'est pas encore écrite")


def convertir_types(df):
    """age -> nombre (les chiffres de "27 ans"), score_test -> nombre ("14,5" -> 14.5,
    "abs" -> NaN), date_inscription -> date."""
    resultat = df.copy()
    # TODO : str.extract + pd.to_numeric pour l'âge
    # TODO : virgule -> point, puis pd.to_numeric(..., errors="coerce") pour le score
    # TODO : pd.to_datetime avec le format jour/mois/année
    return resultat


def nettoyer(df):
    """Chaîne complète de nettoyage, dans l'ordre demandé par l'énoncé."""
    # TODO : normaliser_textes -> retirer les lignes sans e-mail -> supprimer_doublons
    #        -> convertir_types -> scores manquants à 0 -> index renuméroté
    raise NotImplementedError("nettoyer n'est pas encore écrite")

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
    manquants = df.isna().sum()          # True compte pour 1 : on obtient un compte par colonne
    manquants = manquants[manquants > 0]  # on ne garde que les colonnes qui ont un problème
    return manquants.sort_values(ascending=False)


def normaliser_textes(df):
    """Espaces superflus retirés partout, cellules vides -> NaN, e-mails en minuscules,
    villes harmonisées."""
    resultat = df.copy()
    for colonne in resultat.select_dtypes(include="object").columns:
        # .str.strip() laisse les NaN intacts ; une cellule faite d'espaces devient "".
        resultat[colonne] = resultat[colonne].str.strip().replace("", np.nan)
    resultat["email"] = resultat["email"].str.lower()
    # title() : "CASABLANCA" / "casablanca" -> "Casablanca", puis les variantes connues.
    resultat["ville"] = resultat["ville"].str.title().replace(CORRECTIONS_VILLES)
    return resultat


def supprimer_doublons(df):
    """Un candidat = un e-mail : on garde la première inscription de chaque e-mail."""
    return df.drop_duplicates(subset="email", keep="first")


def convertir_types(df):
    """age -> nombre (les chiffres de "27 ans"), score_test -> nombre ("14,5" -> 14.5,
    "abs" -> NaN), date_inscription -> date."""
    resultat = df.copy()
    # extract garde le premier groupe de chiffres ; NaN s'il n'y en a pas.
    resultat["age"] = pd.to_numeric(resultat["age"].str.extract(r"(\d+)", expand=False))
    # errors="coerce" transforme ce qui n'est pas un nombre ("abs") en NaN au lieu d'échouer.
    resultat["score_test"] = pd.to_numeric(
        resultat["score_test"].str.replace(",", ".", regex=False), errors="coerce"
    )
    resultat["date_inscription"] = pd.to_datetime(resultat["date_inscription"], format="%d/%m/%Y")
    return resultat


def nettoyer(df):
    """Chaîne complète de nettoyage, dans l'ordre demandé par l'énoncé."""
    propre = normaliser_textes(df)
    propre = propre.dropna(subset=["email"])       # impossible de contacter ces candidats
    propre = supprimer_doublons(propre)             # après normalisation des e-mails !
    propre = convertir_types(propre)
    propre["score_test"] = propre["score_test"].fillna(0)  # absent au test = 0
    return propre.reset_index(drop=True)

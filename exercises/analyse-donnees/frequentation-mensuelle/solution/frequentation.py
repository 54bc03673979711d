"""Comptages quotidiens de voyageurs dans trois gares, janvier à juin 2024 (données fictives)."""

import numpy as np
import pandas as pd


def lire_comptages(chemin):
    """Lit le fichier ';' et renvoie un DataFrame indexé par date (DatetimeIndex), trié."""
    df = pd.read_csv(chemin, sep=";")
    # Format explicite jour/mois/année : aucune ambiguïté entre le 02/03 et le 03/02.
    df["jour"] = pd.to_datetime(df["jour"], format="%d/%m/%Y")
    # Quelques lignes arrivées en retard sont en fin de fichier : on trie.
    return df.set_index("jour").sort_index()


def total_mensuel(df):
    """Total de voyageurs par mois et par gare (une ligne par mois)."""
    # resample("M") regroupe les dates par mois calendaire (étiquette : dernier jour du mois).
    return df.resample("M").sum()


def moyenne_semaine_weekend(df):
    """Moyenne quotidienne par gare : en semaine (lundi-vendredi) et le week-end (samedi-dimanche)."""
    # dayofweek : 0 = lundi ... 5 = samedi, 6 = dimanche.
    type_jour = np.where(df.index.dayofweek >= 5, "week-end", "semaine")
    return df.groupby(type_jour).mean().round(1)


def jour_record(df, gare):
    """Le jour de plus forte fréquentation d'une gare : ("AAAA-MM-JJ", nombre de voyageurs)."""
    jour = df[gare].idxmax()  # l'étiquette (ici la date) du maximum
    return jour.strftime("%Y-%m-%d"), int(df.loc[jour, gare])


def moyenne_periode(df, debut, fin):
    """Moyenne quotidienne par gare entre deux dates "AAAA-MM-JJ" incluses, arrondie à 0,1."""
    # Avec un DatetimeIndex trié, on découpe directement avec des chaînes (bornes incluses).
    return df.loc[debut:fin].mean().round(1)


def croissance_mensuelle(df):
    """Variation (en %) du total mensuel toutes gares confondues par rapport au mois précédent.

    Index : le mois au format "AAAA-MM" ; le premier mois (sans mois précédent) est retiré.
    """
    total = df.resample("M").sum().sum(axis=1)  # un total par mois, toutes gares
    variation = (total.pct_change() * 100).round(1).dropna()
    variation.index = variation.index.strftime("%Y-%m")
    return variation

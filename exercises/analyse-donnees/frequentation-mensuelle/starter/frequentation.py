"""Comptages quotidiens de voyageurs dans trois gares, janvier à juin 2024 (données fictives)."""

import numpy as np
import pandas as pd


def lire_comptages(chemin):
    """Lit le fichier ';' et renvoie un DataFrame indexé par date (DatetimeIndex), trié."""
    df = pd.read_csv(chemin, sep=";")
    # TODO : convertir la colonne "jour" (format jour/mois/année), en faire l'index, trier
    return df


def total_mensuel(df):
    """Total de voyageurs par mois et par gare (une ligne par mois)."""
    # TODO : resample par mois puis somme
    raise NotImplementedError("total_mensuel n'est pas encore écrite")


def moyenne_semaine_weekend(df):
    """Moyenne quotidienne par gare : en semaine (lundi-vendredi) et le week-end (samedi-dimanche)."""
    # TODO : df.index.dayofweek (0 = lundi), np.where, groupby, mean, round(1)
    raise NotImplementedError("moyenne_semaine_weekend n'est pas encore écrite")


def jour_record(df, gare):
    """Le jour de plus forte fréquentation d'une gare : ("AAAA-MM-JJ", nombre de voyageurs)."""
    # TODO : idxmax, puis strftime pour la date
    raise NotImplementedError("jour_record n'est pas encore écrite")


def moyenne_periode(df, debut, fin):
    """Moyenne quotidienne par gare entre deux dates "AAAA-MM-JJ" incluses, arrondie à 0,1."""
    # TODO : df.loc[debut:fin]
    raise NotImplementedError("moyenne_periode n'est pas encore écrite")


def croissance_mensuelle(df):
    """Variation (en %) du total mensuel toutes gares confondues par rapport au mois précédent.

    Index : le mois au format "AAAA-MM" ; le premier mois (sans mois précédent) est retiré.
    """
    # TODO : total mensuel toutes gares, pct_change, * 100, arrondi, dropna, index en "AAAA-MM"
    raise NotImplementedError("croissance_mensuelle n'est pas encore écrite")

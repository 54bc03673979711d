"""Premiers indicateurs sur les 12 régions du Maroc (données fictives)."""

import pandas as pd


def serie_population(df):
    """Series de la population (en milliers), indexée par le nom de la région."""
    # set_index transforme la colonne "region" en étiquettes de lignes ;
    # on sélectionne ensuite une seule colonne : on obtient une Series.
    return df.set_index("region")["population"]


def population_totale(df):
    """Population totale du pays (en milliers), sous forme d'entier."""
    # sum() renvoie un entier NumPy (numpy.int64) : int() le convertit en int Python.
    return int(df["population"].sum())


def ajouter_densite(df):
    """Copie de df avec une colonne "densite" en habitants par km², arrondie à 0,1."""
    resultat = df.copy()  # on ne modifie jamais le DataFrame reçu
    # Opération vectorisée : pandas calcule la division ligne par ligne, sans boucle.
    # La population est en milliers d'habitants, d'où le * 1000.
    resultat["densite"] = (resultat["population"] * 1000 / resultat["superficie_km2"]).round(1)
    return resultat


def regions_les_plus_peuplees(df, n=3):
    """Liste des noms des n régions les plus peuplées, de la plus peuplée à la moins peuplée."""
    classement = df.sort_values("population", ascending=False)
    return classement["region"].head(n).tolist()


def taux_chomage(df):
    """Series du taux de chômage (en %) par région, arrondi à 0,1, nommée "taux_chomage"."""
    par_region = df.set_index("region")
    taux = (par_region["chomeurs"] / par_region["actifs"] * 100).round(1)
    return taux.rename("taux_chomage")

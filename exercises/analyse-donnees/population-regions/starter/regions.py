"""Premiers indicateurs sur les 12 régions du Maroc (données fictives)."""

import pandas as pd


def serie_population(df):
    """Series de la population (en milliers), indexée par le nom de la région."""
    # TODO : faire de la colonne "region" l'index (set_index), puis garder la colonne "population"
    raise NotImplementedError("serie_population n'est pas encore écrite")


def population_totale(df):
    """Population totale du pays (en milliers), sous forme d'entier."""
    # TODO : additionner la colonne "population" (méthode sum), puis convertir avec int()
    raise NotImplementedError("population_totale n'est pas encore écrite")


def ajouter_densite(df):
    """Copie de df avec une colonne "densite" en habitants par km², arrondie à 0,1."""
    resultat = df.copy()  # on ne modifie jamais le DataFrame reçu
    # TODO : densite = population * 1000 / superficie_km2, arrondie avec .round(1)
    return resultat


def regions_les_plus_peuplees(df, n=3):
    """Liste des noms des n régions les plus peuplées, de la plus peuplée à la moins peuplée."""
    # TODO : sort_values(..., ascending=False), puis head(n) et tolist()
    raise NotImplementedError("regions_les_plus_peuplees n'est pas encore écrite")


def taux_chomage(df):
    """Series du taux de chômage (en %) par région, arrondi à 0,1, nommée "taux_chomage"."""
    # TODO : chomeurs / actifs * 100, indexé par région, arrondi, puis .rename("taux_chomage")
    raise NotImplementedError("taux_chomage n'est pas encore écrite")

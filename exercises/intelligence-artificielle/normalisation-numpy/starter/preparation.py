"""Préparation des données d'une agence immobilière avec NumPy (sans boucle !)."""

import numpy as np


def standardiser(X):
    """Centre et réduit chaque colonne : (X - moyenne) / écart-type.

    Une colonne constante (écart-type nul) vaut 0 partout.
    """
    X = np.asarray(X, dtype=float)
    moyennes = X.mean(axis=0)
    # TODO : calculer les écarts-types de chaque colonne (axis=0)
    # TODO : éviter la division par zéro pour les colonnes constantes
    raise NotImplementedError("standardiser n'est pas encore écrite")


def min_max(X):
    """Ramène chaque colonne dans [0, 1] ; une colonne constante vaut 0 partout."""
    # TODO
    raise NotImplementedError("min_max n'est pas encore écrite")


def distances(X, point):
    """Distances euclidiennes entre chaque ligne de X et point (tableau 1D)."""
    # TODO : (X - point) utilise le broadcasting ; puis carré, somme sur axis=1, racine
    raise NotImplementedError("distances n'est pas encore écrite")


def plus_proches(X, point, k):
    """Indices des k lignes de X les plus proches de point, de la plus proche à la moins proche."""
    # TODO : réutiliser distances, puis np.argsort(..., kind="stable")
    raise NotImplementedError("plus_proches n'est pas encore écrite")

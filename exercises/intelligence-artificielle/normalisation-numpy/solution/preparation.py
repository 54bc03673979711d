"""Préparation des données d'une agence immobilière avec NumPy (sans boucle !)."""

import numpy as np


def standardiser(X):
    """Centre et réduit chaque colonne : (X - moyenne) / écart-type.

    Une colonne constante (écart-type nul) vaut 0 partout.
    """
    X = np.asarray(X, dtype=float)
    moyennes = X.mean(axis=0)          # forme (nb_colonnes,)
    ecarts = X.std(axis=0)
    # Pour une colonne constante, X - moyenne vaut déjà 0 partout : diviser par 1
    # au lieu de 0 laisse donc ces zéros intacts.
    ecarts = np.where(ecarts == 0, 1.0, ecarts)
    return (X - moyennes) / ecarts     # broadcasting : chaque ligne moins le vecteur


def min_max(X):
    """Ramène chaque colonne dans [0, 1] ; une colonne constante vaut 0 partout."""
    X = np.asarray(X, dtype=float)
    minimums = X.min(axis=0)
    etendues = X.max(axis=0) - minimums
    etendues = np.where(etendues == 0, 1.0, etendues)
    return (X - minimums) / etendues


def distances(X, point):
    """Distances euclidiennes entre chaque ligne de X et point (tableau 1D)."""
    X = np.asarray(X, dtype=float)
    point = np.asarray(point, dtype=float)
    ecarts = X - point                           # (n, d) - (d,) -> (n, d)
    return np.sqrt((ecarts ** 2).sum(axis=1))    # somme sur les colonnes -> (n,)


def plus_proches(X, point, k):
    """Indices des k lignes de X les plus proches de point, de la plus proche à la moins proche."""
    # Un tri stable garde l'ordre des indices en cas d'égalité de distance.
    ordre = np.argsort(distances(X, point), kind="stable")
    return ordre[:k]

"""Segmentation de clients : k-means écrit avec NumPy, puis choix du nombre de segments."""

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler


def assigner(X, centres):
    """Indice du centre le plus proche pour chaque ligne de X (tableau d'entiers de forme (n,))."""
    # TODO : différences (n, k, d) par broadcasting, carrés sommés sur le dernier axe, puis argmin
    raise NotImplementedError("assigner n'est pas encore écrite")


def recalculer_centres(X, etiquettes, centres):
    """Nouveaux centres : moyenne de chaque groupe ; un groupe vide garde son ancien centre."""
    nouveaux = np.array(centres, dtype=float)   # une copie : on ne modifie pas centres
    for j in range(len(nouveaux)):
        # TODO : moyenne des lignes de X dont l'étiquette vaut j (si le groupe n'est pas vide)
        pass
    return nouveaux


def kmeans(X, centres_initiaux, max_iter=100):
    """(centres, etiquettes) : assigner / recalculer jusqu'à ce que les étiquettes ne changent plus."""
    # TODO
    raise NotImplementedError("kmeans n'est pas encore écrite")


def inertie(X, centres, etiquettes):
    """Somme des carrés des distances de chaque ligne à son centre."""
    # TODO : centres[etiquettes] donne, pour chaque ligne, les coordonnées de son centre
    raise NotImplementedError("inertie n'est pas encore écrite")


def choisir_nombre_segments(X, valeurs_k):
    """(meilleur_k, {k: silhouette}) sur les données standardisées."""
    # TODO
    raise NotImplementedError("choisir_nombre_segments n'est pas encore écrite")

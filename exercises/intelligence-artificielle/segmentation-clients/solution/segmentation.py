"""Segmentation de clients : k-means écrit avec NumPy, puis choix du nombre de segments."""

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler


def assigner(X, centres):
    """Indice du centre le plus proche pour chaque ligne de X (tableau d'entiers de forme (n,))."""
    X, centres = np.asarray(X, dtype=float), np.asarray(centres, dtype=float)
    differences = X[:, None, :] - centres[None, :, :]     # (n, 1, d) - (1, k, d) -> (n, k, d)
    distances_carrees = (differences ** 2).sum(axis=2)    # (n, k) ; la racine ne change pas l'ordre
    return np.argmin(distances_carrees, axis=1)           # premier minimum : plus petit indice


def recalculer_centres(X, etiquettes, centres):
    """Nouveaux centres : moyenne de chaque groupe ; un groupe vide garde son ancien centre."""
    X, etiquettes = np.asarray(X, dtype=float), np.asarray(etiquettes)
    nouveaux = np.array(centres, dtype=float)   # une copie : on ne modifie pas centres
    for j in range(len(nouveaux)):              # une boucle sur les k groupes (pas sur les lignes)
        membres = etiquettes == j
        if membres.any():
            nouveaux[j] = X[membres].mean(axis=0)
    return nouveaux


def kmeans(X, centres_initiaux, max_iter=100):
    """(centres, etiquettes) : assigner / recalculer jusqu'à ce que les étiquettes ne changent plus."""
    centres = np.array(centres_initiaux, dtype=float)   # copie : l'appelant garde ses centres
    etiquettes = assigner(X, centres)
    for _ in range(max_iter):
        centres = recalculer_centres(X, etiquettes, centres)
        nouvelles = assigner(X, centres)
        if np.array_equal(nouvelles, etiquettes):       # plus aucun changement : convergence
            break
        etiquettes = nouvelles
    return centres, etiquettes


def inertie(X, centres, etiquettes):
    """Somme des carrés des distances de chaque ligne à son centre."""
    X, centres = np.asarray(X, dtype=float), np.asarray(centres, dtype=float)
    return float(((X - centres[np.asarray(etiquettes)]) ** 2).sum())


def choisir_nombre_segments(X, valeurs_k):
    """(meilleur_k, {k: silhouette}) sur les données standardisées."""
    # Pas de jeu de test ici (pas d'étiquette à prédire) : standardiser tout X n'est pas une
    # fuite, c'est la préparation des données à regrouper.
    X_std = StandardScaler().fit_transform(X)
    scores = {}
    for k in valeurs_k:
        etiquettes = KMeans(n_clusters=k, n_init=10, random_state=0).fit_predict(X_std)
        scores[k] = float(silhouette_score(X_std, etiquettes))
    meilleur_k = None
    for k in sorted(scores):
        if meilleur_k is None or scores[k] > scores[meilleur_k]:   # égalité : le plus petit k
            meilleur_k = k
    return meilleur_k, scores

"""Un classifieur des k plus proches voisins (k-NN) écrit avec NumPy seulement."""

import numpy as np


def voisins(X_train, x, k):
    """Indices des k lignes de X_train les plus proches de x (distance euclidienne)."""
    X_train = np.asarray(X_train, dtype=float)
    x = np.asarray(x, dtype=float)
    dist = np.sqrt(((X_train - x) ** 2).sum(axis=1))
    # kind="stable" : à distance égale, l'indice le plus petit passe en premier.
    return np.argsort(dist, kind="stable")[:k]


def vote_majoritaire(etiquettes):
    """Étiquette la plus fréquente ; en cas d'égalité, la plus petite."""
    valeurs, comptes = np.unique(np.asarray(etiquettes), return_counts=True)
    # np.unique trie les valeurs : argmax renvoie le PREMIER maximum, donc la plus petite.
    return valeurs[np.argmax(comptes)]


def predire(X_train, y_train, X, k=3):
    """Prédit l'étiquette de chaque ligne de X par vote de ses k plus proches voisins."""
    y_train = np.asarray(y_train)
    predictions = [vote_majoritaire(y_train[voisins(X_train, x, k)]) for x in np.asarray(X, dtype=float)]
    return np.array(predictions)


def exactitude(y_vrai, y_predit):
    """Proportion de prédictions correctes (entre 0 et 1)."""
    y_vrai, y_predit = np.asarray(y_vrai), np.asarray(y_predit)
    if len(y_vrai) == 0:
        return 0.0
    return float(np.mean(y_vrai == y_predit))

"""Un classifieur des k plus proches voisins (k-NN) écrit avec NumPy seulement."""

import numpy as np


def voisins(X_train, x, k):
    """Indices des k lignes de X_train les plus proches de x (distance euclidienne)."""
    # TODO : distances de x à chaque ligne (broadcasting), puis np.argsort(..., kind="stable")
    raise NotImplementedError("voisins n'est pas encore écrite")


def vote_majoritaire(etiquettes):
    """Étiquette la plus fréquente ; en cas d'égalité, la plus petite."""
    # TODO : np.unique(..., return_counts=True) puis np.argmax
    raise NotImplementedError("vote_majoritaire n'est pas encore écrite")


def predire(X_train, y_train, X, k=3):
    """Prédit l'étiquette de chaque ligne de X par vote de ses k plus proches voisins."""
    y_train = np.asarray(y_train)
    predictions = []
    for x in np.asarray(X, dtype=float):
        # TODO : trouver les voisins de x, puis faire voter leurs étiquettes
        pass
    return np.array(predictions)


def exactitude(y_vrai, y_predit):
    """Proportion de prédictions correctes (entre 0 et 1)."""
    # TODO
    raise NotImplementedError("exactitude n'est pas encore écrite")

"""Choisir un hyper-paramètre par validation croisée, sans toucher au test."""

import numpy as np
from sklearn.model_selection import cross_val_score, cross_validate
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler


def score_validation_croisee(modele, X, y, plis=5):
    """Moyenne des exactitudes de cross_val_score(modele, X, y, cv=plis)."""
    return float(np.mean(cross_val_score(modele, X, y, cv=plis)))


def scores_train_validation(modele, X, y, plis=5):
    """(score_train_moyen, score_validation_moyen) avec cross_validate(..., return_train_score=True)."""
    resultats = cross_validate(modele, X, y, cv=plis, return_train_score=True)
    # "test_score" désigne ici le pli de VALIDATION, pas notre jeu de test final.
    return float(np.mean(resultats["train_score"])), float(np.mean(resultats["test_score"]))


def _pipeline_knn(k):
    # Le StandardScaler est DANS le pipeline : à chaque pli, il n'apprend que sur les 4 plis
    # d'entraînement. Standardiser X avant la validation croisée serait une fuite de données.
    return Pipeline([("normalisation", StandardScaler()), ("knn", KNeighborsClassifier(n_neighbors=k))])


def choisir_k(X, y, valeurs_k):
    """(meilleur_k, {k: score moyen}) pour le pipeline StandardScaler + KNeighborsClassifier(k)."""
    scores = {k: score_validation_croisee(_pipeline_knn(k), X, y) for k in valeurs_k}
    meilleur_k = None
    for k in sorted(scores):
        # Strictement supérieur : à égalité, on garde le plus petit k (modèle le plus simple à
        # calculer ; un k plus grand donne une frontière plus lisse, c'est un choix de convention).
        if meilleur_k is None or scores[k] > scores[meilleur_k]:
            meilleur_k = k
    return meilleur_k, scores


def evaluation_finale(X_train, y_train, X_test, y_test, valeurs_k):
    """(k_choisi, exactitude_test) : k choisi sur l'entraînement seulement, test utilisé une fois."""
    k_choisi, _ = choisir_k(X_train, y_train, valeurs_k)     # 1. sélection : train seulement
    modele = _pipeline_knn(k_choisi).fit(X_train, y_train)   # 2. ré-entraînement sur tout le train
    return k_choisi, float(modele.score(X_test, y_test))     # 3. une seule mesure sur le test

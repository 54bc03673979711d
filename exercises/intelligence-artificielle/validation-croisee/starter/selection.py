"""Choisir un hyper-paramètre par validation croisée, sans toucher au test."""

import numpy as np
from sklearn.model_selection import cross_val_score, cross_validate
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler


def score_validation_croisee(modele, X, y, plis=5):
    """Moyenne des exactitudes de cross_val_score(modele, X, y, cv=plis)."""
    # TODO
    raise NotImplementedError("score_validation_croisee n'est pas encore écrite")


def scores_train_validation(modele, X, y, plis=5):
    """(score_train_moyen, score_validation_moyen) avec cross_validate(..., return_train_score=True)."""
    # TODO : les clés utiles du dictionnaire renvoyé sont "train_score" et "test_score"
    raise NotImplementedError("scores_train_validation n'est pas encore écrite")


def choisir_k(X, y, valeurs_k):
    """(meilleur_k, {k: score moyen}) pour le pipeline StandardScaler + KNeighborsClassifier(k)."""
    scores = {}
    for k in valeurs_k:
        # TODO : construire le pipeline pour ce k et le noter par validation croisée
        pass
    # TODO : trouver le meilleur k (le plus petit en cas d'égalité)
    raise NotImplementedError("choisir_k n'est pas encore écrite")


def evaluation_finale(X_train, y_train, X_test, y_test, valeurs_k):
    """(k_choisi, exactitude_test) : k choisi sur l'entraînement seulement, test utilisé une fois."""
    # TODO
    raise NotImplementedError("evaluation_finale n'est pas encore écrite")

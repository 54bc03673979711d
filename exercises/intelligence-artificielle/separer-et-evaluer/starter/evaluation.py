"""Protocole d'évaluation honnête d'un classifieur de vins."""

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier


def separer(X, y):
    """Renvoie (X_train, X_test, y_train, y_test) : 25 % en test, stratifié, random_state=42."""
    # TODO : train_test_split avec les bons paramètres
    raise NotImplementedError("separer n'est pas encore écrite")


def exactitude_reference(y_train, y_test):
    """Exactitude sur y_test d'un modèle qui prédit toujours la classe majoritaire de y_train."""
    # TODO : trouver la classe la plus fréquente de y_train (np.bincount, np.argmax)
    raise NotImplementedError("exactitude_reference n'est pas encore écrite")


def entrainer_et_evaluer(X_train, X_test, y_train, y_test):
    """Entraîne DecisionTreeClassifier(random_state=0) et renvoie (modele, exactitude_train, exactitude_test)."""
    modele = DecisionTreeClassifier(random_state=0)
    # TODO : entraîner sur l'entraînement SEULEMENT, puis mesurer les deux exactitudes
    raise NotImplementedError("entrainer_et_evaluer n'est pas encore écrite")

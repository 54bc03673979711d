"""Protocole d'évaluation honnête d'un classifieur de vins."""

import numpy as np
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier


def separer(X, y):
    """Renvoie (X_train, X_test, y_train, y_test) : 25 % en test, stratifié, random_state=42."""
    # stratify=y garde les proportions des classes ; random_state rend la séparation reproductible.
    return train_test_split(X, y, test_size=0.25, stratify=y, random_state=42)


def exactitude_reference(y_train, y_test):
    """Exactitude sur y_test d'un modèle qui prédit toujours la classe majoritaire de y_train."""
    # La classe majoritaire se calcule sur l'ENTRAÎNEMENT : le test ne sert qu'à mesurer.
    classe_majoritaire = np.argmax(np.bincount(np.asarray(y_train)))
    return float(np.mean(np.asarray(y_test) == classe_majoritaire))


def entrainer_et_evaluer(X_train, X_test, y_train, y_test):
    """Entraîne DecisionTreeClassifier(random_state=0) et renvoie (modele, exactitude_train, exactitude_test)."""
    modele = DecisionTreeClassifier(random_state=0)
    modele.fit(X_train, y_train)                       # l'entraînement seulement !
    exactitude_train = accuracy_score(y_train, modele.predict(X_train))
    exactitude_test = accuracy_score(y_test, modele.predict(X_test))
    return modele, float(exactitude_train), float(exactitude_test)

"""Détection de fraude sur des transactions de paiement mobile (classes déséquilibrées)."""

import numpy as np
from sklearn.linear_model import LogisticRegression

# Seuils essayés par choisir_seuil : 0.05, 0.10, ..., 0.95
SEUILS_CANDIDATS = [round(0.05 * i, 2) for i in range(1, 20)]

# Seuil de décision utilisé par les tests : fraude si predict_proba(X)[:, 1] >= SEUIL.
# TODO : réglez-le sur VOS données de validation.
SEUIL = 0.5


def matrice_confusion(y_vrai, y_predit):
    """Tableau NumPy 2 x 2 [[VN, FP], [FN, VP]]."""
    y_vrai, y_predit = np.asarray(y_vrai), np.asarray(y_predit)
    # TODO : compter chaque cas avec des masques booléens, par exemple
    #        np.sum((y_vrai == 1) & (y_predit == 1)) pour les vrais positifs
    raise NotImplementedError("matrice_confusion n'est pas encore écrite")


def precision_rappel(y_vrai, y_predit):
    """(precision, rappel) de la classe 1 ; 0.0 si un dénominateur est nul."""
    # TODO : réutiliser matrice_confusion
    raise NotImplementedError("precision_rappel n'est pas encore écrite")


def predire_avec_seuil(modele, X, seuil):
    """Tableau de 0/1 : 1 si la probabilité de fraude est >= seuil."""
    # TODO : modele.predict_proba(X)[:, 1]
    raise NotImplementedError("predire_avec_seuil n'est pas encore écrite")


def choisir_seuil(y_vrai, probabilites, rappel_min):
    """Plus grand seuil de SEUILS_CANDIDATS dont le rappel est >= rappel_min (sinon 0.05)."""
    # TODO
    raise NotImplementedError("choisir_seuil n'est pas encore écrite")


def entrainer_detecteur(X_train, y_train):
    """Entraîne et renvoie un modèle qui possède predict_proba."""
    # TODO : ce modèle détecte moins de la moitié des fraudes avec SEUIL = 0.5.
    #        Essayez d'autres modèles, et réglez SEUIL.
    modele = LogisticRegression()
    modele.fit(X_train, y_train)
    return modele

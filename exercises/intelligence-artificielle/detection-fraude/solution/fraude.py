"""Détection de fraude sur des transactions de paiement mobile (classes déséquilibrées)."""

import numpy as np
from sklearn.ensemble import RandomForestClassifier

# Seuils essayés par choisir_seuil : 0.05, 0.10, ..., 0.95
SEUILS_CANDIDATS = [round(0.05 * i, 2) for i in range(1, 20)]

# Réglé sur une VALIDATION, jamais sur le test : séparation personnelle 70/30 des données
# (random_state=0), puis 25 % de l'entraînement gardés en validation. Sur cette validation,
# choisir_seuil(y_val, probabilites, rappel_min=0.75) renvoie 0.2 pour la forêt ci-dessous.
# Au seuil 0.5, la même forêt ne détecte qu'un peu plus d'une fraude sur deux.
SEUIL = 0.2


def matrice_confusion(y_vrai, y_predit):
    """Tableau NumPy 2 x 2 [[VN, FP], [FN, VP]]."""
    y_vrai, y_predit = np.asarray(y_vrai), np.asarray(y_predit)
    vn = np.sum((y_vrai == 0) & (y_predit == 0))
    fp = np.sum((y_vrai == 0) & (y_predit == 1))   # fausses alertes
    fn = np.sum((y_vrai == 1) & (y_predit == 0))   # fraudes ratées
    vp = np.sum((y_vrai == 1) & (y_predit == 1))
    return np.array([[vn, fp], [fn, vp]])


def precision_rappel(y_vrai, y_predit):
    """(precision, rappel) de la classe 1 ; 0.0 si un dénominateur est nul."""
    (_, fp), (fn, vp) = matrice_confusion(y_vrai, y_predit)
    precision = vp / (vp + fp) if vp + fp > 0 else 0.0   # aucune alerte : précision 0 par convention
    rappel = vp / (vp + fn) if vp + fn > 0 else 0.0      # aucune fraude réelle : rappel 0
    return float(precision), float(rappel)


def predire_avec_seuil(modele, X, seuil):
    """Tableau de 0/1 : 1 si la probabilité de fraude est >= seuil."""
    probabilites = modele.predict_proba(X)[:, 1]   # colonne 1 : probabilité de la classe 1
    return (probabilites >= seuil).astype(int)


def choisir_seuil(y_vrai, probabilites, rappel_min):
    """Plus grand seuil de SEUILS_CANDIDATS dont le rappel est >= rappel_min (sinon 0.05)."""
    probabilites = np.asarray(probabilites)
    # On parcourt les seuils du plus haut au plus bas : le premier qui suffit est le plus grand.
    for seuil in sorted(SEUILS_CANDIDATS, reverse=True):
        _, rappel = precision_rappel(y_vrai, (probabilites >= seuil).astype(int))
        if rappel >= rappel_min:
            return seuil
    return min(SEUILS_CANDIDATS)


def entrainer_detecteur(X_train, y_train):
    """Entraîne et renvoie un modèle qui possède predict_proba."""
    # Une forêt aléatoire capte des frontières non linéaires ; ses probabilités, combinées
    # à un seuil bas (SEUIL), donnent un bon compromis précision / rappel sur ces données.
    modele = RandomForestClassifier(n_estimators=150, random_state=0, n_jobs=1)
    modele.fit(X_train, y_train)
    return modele

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from lms_grading.testing import learner_module

import fraude
from fraude import choisir_seuil, entrainer_detecteur, matrice_confusion, precision_rappel, predire_avec_seuil

# Des données comme celles de l'énoncé, mais tirées avec une graine que l'apprenant ne connaît
# pas : son code ne peut ni les régénérer ni en mémoriser les réponses.
X, Y = make_classification(
    n_samples=8000, n_features=8, n_informative=4, n_redundant=2,
    weights=[0.97], class_sep=1.0, flip_y=0.0, random_state=1_843_227_409,
)
X_TRAIN, X_TEST, Y_TRAIN, Y_TEST = train_test_split(X, Y, test_size=0.3, stratify=Y, random_state=2024)
RAPPEL_MIN, PRECISION_MIN = 0.75, 0.40

Y_VRAI = np.array([0, 0, 0, 0, 0, 0, 1, 1, 1, 1])
Y_PREDIT = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 0])
# Probabilités de fraude fictives pour Y_VRAI : les fraudes ont 0.92, 0.61, 0.33 et 0.12
PROBAS = np.array([0.02, 0.10, 0.05, 0.40, 0.55, 0.20, 0.92, 0.61, 0.33, 0.12])


@pytest.mark.points(2)
def test_matrice_confusion():
    """matrice_confusion compte VN, FP, FN et VP"""
    resultat = np.asarray(matrice_confusion(Y_VRAI, Y_PREDIT)).tolist()
    assert resultat == [[4, 2], [1, 3]], f"matrice attendue [[VN, FP], [FN, VP]] = [[4, 2], [1, 3]], obtenu {resultat}"
    resultat = np.asarray(matrice_confusion(np.array([0, 0, 1]), np.array([0, 0, 0]))).tolist()
    assert resultat == [[2, 0], [1, 0]], f"matrice attendue [[2, 0], [1, 0]] (aucune alerte), obtenu {resultat}"


@pytest.mark.points(2)
def test_precision_rappel():
    """precision_rappel calcule VP / (VP + FP) et VP / (VP + FN), 0.0 si division par zéro"""
    precision, rappel = precision_rappel(Y_VRAI, Y_PREDIT)
    assert precision == pytest.approx(0.6), f"précision attendue 3 / (3 + 2) = 0.6, obtenu {precision!r}"
    assert rappel == pytest.approx(0.75), f"rappel attendu 3 / (3 + 1) = 0.75, obtenu {rappel!r}"
    precision, rappel = precision_rappel(np.array([0, 0, 1]), np.array([0, 0, 0]))
    assert (precision, rappel) == (0.0, 0.0), (
        f"sans aucune alerte, (précision, rappel) attendus (0.0, 0.0), obtenu ({precision!r}, {rappel!r})"
    )


@pytest.mark.points(1)
def test_predire_avec_seuil():
    """predire_avec_seuil signale une fraude quand la probabilité atteint le seuil"""
    modele = LogisticRegression().fit(X_TRAIN[:1000], Y_TRAIN[:1000])
    probabilites = modele.predict_proba(X_TEST[:300])[:, 1]
    # Le même modèle, entraîné dans le processus de l'apprenant, pour son code.
    chez_apprenant = learner_module("sklearn.linear_model").LogisticRegression().fit(X_TRAIN[:1000], Y_TRAIN[:1000])
    for seuil in (0.5, 0.1):
        resultat = np.asarray(predire_avec_seuil(chez_apprenant, X_TEST[:300], seuil))
        attendu = (probabilites >= seuil).astype(int)
        differences = int((resultat != attendu).sum())
        assert resultat.shape == attendu.shape and differences == 0, (
            f"au seuil {seuil}, {int(attendu.sum())} alertes attendues sur 300 transactions, "
            f"obtenu {int(np.sum(resultat == 1))} (forme {resultat.shape})"
        )


@pytest.mark.points(2)
@pytest.mark.parametrize("rappel_min, attendu", [(0.25, 0.9), (0.5, 0.6), (0.75, 0.3), (1.0, 0.1)])
def test_choisir_seuil(rappel_min, attendu):
    """choisir_seuil renvoie le plus grand seuil qui atteint le rappel demandé"""
    resultat = choisir_seuil(Y_VRAI, PROBAS, rappel_min)
    assert resultat == pytest.approx(attendu), (
        f"choisir_seuil(..., rappel_min={rappel_min}) : seuil attendu {attendu}, obtenu {resultat!r}"
    )


@pytest.mark.points(2)
def test_rappel_sur_donnees_jamais_vues():
    """Le détecteur signale au moins 75 % des fraudes de transactions jamais vues"""
    modele = entrainer_detecteur(X_TRAIN.copy(), Y_TRAIN.copy())
    alertes = (modele.predict_proba(X_TEST)[:, 1] >= fraude.SEUIL).astype(int)
    vp = int(np.sum((alertes == 1) & (Y_TEST == 1)))
    rappel = vp / int(Y_TEST.sum())
    assert rappel >= RAPPEL_MIN, (
        f"rappel sur les données de test : {rappel:.3f} ({vp} fraudes détectées sur {int(Y_TEST.sum())}) "
        f"avec SEUIL = {fraude.SEUIL}, il faut au moins {RAPPEL_MIN}"
    )


@pytest.mark.points(2)
def test_precision_sur_donnees_jamais_vues():
    """Au moins 40 % des alertes du détecteur sont de vraies fraudes"""
    modele = entrainer_detecteur(X_TRAIN.copy(), Y_TRAIN.copy())
    alertes = (modele.predict_proba(X_TEST)[:, 1] >= fraude.SEUIL).astype(int)
    nb_alertes = int(alertes.sum())
    vp = int(np.sum((alertes == 1) & (Y_TEST == 1)))
    precision = vp / nb_alertes if nb_alertes else 0.0
    assert precision >= PRECISION_MIN, (
        f"précision sur les données de test : {precision:.3f} ({vp} vraies fraudes sur {nb_alertes} alertes) "
        f"avec SEUIL = {fraude.SEUIL}, il faut au moins {PRECISION_MIN}"
    )

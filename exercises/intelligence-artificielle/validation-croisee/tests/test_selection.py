import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import cross_val_score, cross_validate, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from lms_grading.testing import learner_module

from selection import choisir_k, evaluation_finale, score_validation_croisee, scores_train_validation

X, Y = load_breast_cancer(return_X_y=True)
X_TRAIN, X_TEST, Y_TRAIN, Y_TEST = train_test_split(X, Y, test_size=0.25, stratify=Y, random_state=42)
VALEURS_K = [1, 3, 5, 7, 9, 11, 15, 21, 31]
# Résultats de référence (validation croisée à 5 plis, sans mélange) :
# - sur l'entraînement seulement, le meilleur k est 9 ;
# - sur TOUTES les données (fuite !), ce serait 7 ;
# - le meilleur k sur le test (triche !) serait 5.
K_ATTENDU = 9

# Les modèles donnés au code de l'apprenant sont créés dans son propre processus (le test garde
# les siens pour calculer les valeurs attendues).
APPRENANT_PIPELINE = learner_module("sklearn.pipeline")
APPRENANT_PREPARATION = learner_module("sklearn.preprocessing")
APPRENANT_VOISINS = learner_module("sklearn.neighbors")
APPRENANT_ARBRES = learner_module("sklearn.tree")


def knn_chez_apprenant(k):
    return APPRENANT_PIPELINE.make_pipeline(
        APPRENANT_PREPARATION.StandardScaler(), APPRENANT_VOISINS.KNeighborsClassifier(n_neighbors=k)
    )


@pytest.mark.points(2)
def test_score_validation_croisee():
    """score_validation_croisee renvoie la moyenne des 5 scores de cross_val_score"""
    modele = make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=3))
    resultat = score_validation_croisee(knn_chez_apprenant(3), X_TRAIN, Y_TRAIN)
    attendu = float(np.mean(cross_val_score(modele, X_TRAIN, Y_TRAIN, cv=5)))
    assert resultat == pytest.approx(attendu), f"moyenne de validation croisée attendue {attendu:.4f}, obtenu {resultat!r}"
    resultat = score_validation_croisee(knn_chez_apprenant(3), X_TRAIN, Y_TRAIN, plis=3)
    attendu = float(np.mean(cross_val_score(modele, X_TRAIN, Y_TRAIN, cv=3)))
    assert resultat == pytest.approx(attendu), f"avec plis=3, moyenne attendue {attendu:.4f}, obtenu {resultat!r}"


@pytest.mark.points(2)
def test_scores_train_validation_surapprentissage():
    """scores_train_validation révèle le surapprentissage d'un arbre sans limite de profondeur"""
    arbre = DecisionTreeClassifier(random_state=0)
    resultat = scores_train_validation(APPRENANT_ARBRES.DecisionTreeClassifier(random_state=0), X_TRAIN, Y_TRAIN)
    reference = cross_validate(arbre, X_TRAIN, Y_TRAIN, cv=5, return_train_score=True)
    attendu = (float(np.mean(reference["train_score"])), float(np.mean(reference["test_score"])))
    assert len(resultat) == 2, f"un couple (score_train, score_validation) est attendu, obtenu {resultat!r}"
    assert resultat[0] == pytest.approx(attendu[0]) and resultat[1] == pytest.approx(attendu[1]), (
        f"attendu (train, validation) = ({attendu[0]:.4f}, {attendu[1]:.4f}), "
        f"obtenu ({resultat[0]:.4f}, {resultat[1]:.4f})"
    )


@pytest.mark.points(3)
def test_choisir_k():
    """choisir_k note chaque k par validation croisée et garde le meilleur"""
    meilleur_k, scores = choisir_k(X_TRAIN, Y_TRAIN, VALEURS_K)
    assert sorted(scores) == VALEURS_K, f"scores doit avoir une clé par k {VALEURS_K}, obtenu {sorted(scores)}"
    for k in (1, 9, 31):
        modele = make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=k))
        attendu = float(np.mean(cross_val_score(modele, X_TRAIN, Y_TRAIN, cv=5)))
        assert scores[k] == pytest.approx(attendu), (
            f"score de validation croisée pour k={k} attendu {attendu:.4f} "
            f"(pipeline StandardScaler + KNeighborsClassifier), obtenu {scores[k]:.4f}"
        )
    assert meilleur_k == K_ATTENDU, f"le meilleur k sur l'entraînement est {K_ATTENDU}, obtenu {meilleur_k!r}"


@pytest.mark.points(3)
def test_evaluation_finale_sans_tricher():
    """evaluation_finale choisit k sur l'entraînement seulement, puis mesure une fois sur le test"""
    k_choisi, exactitude = evaluation_finale(X_TRAIN, Y_TRAIN, X_TEST, Y_TEST, VALEURS_K)
    assert k_choisi == K_ATTENDU, (
        f"k choisi attendu : {K_ATTENDU} (validation croisée sur l'entraînement seulement), obtenu {k_choisi!r} ; "
        "7 signifierait une validation croisée sur toutes les données, 5 un choix fait sur le test"
    )
    modele = make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=K_ATTENDU)).fit(X_TRAIN, Y_TRAIN)
    attendu = float(modele.score(X_TEST, Y_TEST))
    assert exactitude == pytest.approx(attendu), (
        f"exactitude sur les données de test attendue {attendu:.3f} (k={K_ATTENDU} entraîné sur tout le train), "
        f"obtenu {exactitude!r}"
    )

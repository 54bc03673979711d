import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from lms_grading.testing import learner_module

from pipeline import construire_pipeline, evaluer, normaliser_sans_fuite

X, Y = load_breast_cancer(return_X_y=True)
X_TRAIN, X_TEST, Y_TRAIN, Y_TEST = train_test_split(X, Y, test_size=0.25, stratify=Y, random_state=42)
SEUIL = 0.97


@pytest.mark.points(2)
def test_normaliser_sans_fuite():
    """normaliser_sans_fuite applique au test la moyenne et l'écart-type de l'entraînement"""
    X_train_std, X_test_std = normaliser_sans_fuite(X_TRAIN.copy(), X_TEST.copy())
    moyennes = np.asarray(X_train_std).mean(axis=0)
    assert np.allclose(moyennes, 0, atol=1e-9), (
        f"les colonnes de X_train_std doivent avoir une moyenne nulle, plus grand écart obtenu : {np.abs(moyennes).max():.4f}"
    )
    attendu = (X_TEST - X_TRAIN.mean(axis=0)) / X_TRAIN.std(axis=0)
    ecart = float(np.abs(np.asarray(X_test_std) - attendu).max())
    assert ecart < 1e-9, (
        "X_test_std doit être (X_test - moyenne_train) / écart_type_train ; "
        f"plus grand écart avec cette valeur : {ecart:.4f} (le normaliseur a-t-il été ajusté sur le test ?)"
    )


@pytest.mark.points(2)
def test_construire_pipeline_structure():
    """construire_pipeline renvoie un Pipeline "normalisation" puis "classifieur", non entraîné"""
    pipeline = construire_pipeline(C=0.5)
    # Le pipeline vit dans le processus de l'apprenant : on le compare à ses classes à lui.
    Pipeline = learner_module("sklearn.pipeline").Pipeline
    StandardScaler = learner_module("sklearn.preprocessing").StandardScaler
    LogisticRegression = learner_module("sklearn.linear_model").LogisticRegression
    assert isinstance(pipeline, Pipeline), f"un sklearn.pipeline.Pipeline est attendu, obtenu {type(pipeline).__name__}"
    noms = [nom for nom, _ in pipeline.steps]
    assert noms == ["normalisation", "classifieur"], f"étapes attendues ['normalisation', 'classifieur'], obtenu {noms}"
    normalisation, classifieur = pipeline.named_steps["normalisation"], pipeline.named_steps["classifieur"]
    assert isinstance(normalisation, StandardScaler), (
        f"l'étape 'normalisation' doit être un StandardScaler, obtenu {type(normalisation).__name__}"
    )
    assert isinstance(classifieur, LogisticRegression), (
        f"l'étape 'classifieur' doit être une LogisticRegression, obtenu {type(classifieur).__name__}"
    )
    assert classifieur.C == 0.5, f"construire_pipeline(C=0.5) doit donner C=0.5 au classifieur, obtenu C={classifieur.C}"
    assert classifieur.max_iter >= 1000, f"max_iter attendu : 1000, obtenu {classifieur.max_iter}"
    assert not hasattr(classifieur, "coef_"), "le pipeline renvoyé ne doit pas être déjà entraîné"


@pytest.mark.points(3)
def test_exactitude_sur_le_test():
    """Le pipeline atteint au moins 0,97 d'exactitude sur des patientes jamais vues"""
    score = evaluer(construire_pipeline(), X_TRAIN, X_TEST, Y_TRAIN, Y_TEST)
    assert isinstance(score, float), f"evaluer doit renvoyer un float, obtenu {type(score).__name__}"
    assert score >= SEUIL, f"exactitude sur les données de test : {score:.3f}, il faut au moins {SEUIL}"


@pytest.mark.points(2)
def test_evaluer_entraine_sur_le_train():
    """evaluer entraîne le pipeline sur l'entraînement seulement et renvoie son score de test"""
    pipeline = construire_pipeline()
    score = evaluer(pipeline, X_TRAIN, X_TEST, Y_TRAIN, Y_TEST)
    normalisation = pipeline.named_steps["normalisation"]
    assert hasattr(normalisation, "mean_"), "après evaluer, le pipeline reçu doit être entraîné"
    assert normalisation.n_samples_seen_ == len(X_TRAIN), (
        f"le normaliseur doit avoir vu les {len(X_TRAIN)} patientes d'entraînement, il en a vu {normalisation.n_samples_seen_}"
    )
    attendu = float(np.mean(pipeline.predict(X_TEST) == Y_TEST))
    assert score == pytest.approx(attendu), f"evaluer doit renvoyer l'exactitude sur le test, {attendu:.3f}, obtenu {score!r}"


@pytest.mark.points(1)
def test_parametre_c_utilise():
    """Le paramètre C change vraiment le modèle (C très petit : modèle trop contraint)"""
    score_contraint = evaluer(construire_pipeline(C=0.0001), X_TRAIN, X_TEST, Y_TRAIN, Y_TEST)
    score_normal = evaluer(construire_pipeline(C=1.0), X_TRAIN, X_TEST, Y_TRAIN, Y_TEST)
    assert score_contraint < score_normal, (
        f"avec C=0.0001 le score ({score_contraint:.3f}) devrait être plus bas qu'avec C=1.0 ({score_normal:.3f})"
    )

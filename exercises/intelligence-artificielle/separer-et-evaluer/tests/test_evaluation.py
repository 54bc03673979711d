import numpy as np
import pytest
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split

from evaluation import entrainer_et_evaluer, exactitude_reference, separer

X_VIN, Y_VIN = load_wine(return_X_y=True)
# La séparation de référence, pour les tests qui ne doivent pas dépendre de separer()
REF_X_TRAIN, REF_X_TEST, REF_Y_TRAIN, REF_Y_TEST = train_test_split(
    X_VIN, Y_VIN, test_size=0.25, stratify=Y_VIN, random_state=42
)


@pytest.mark.points(2)
def test_separer_tailles_et_disjonction():
    """separer garde 25 % des vins en test, sans qu'un vin soit des deux côtés"""
    X_train, X_test, y_train, y_test = separer(X_VIN, Y_VIN)
    tailles = (len(X_train), len(X_test), len(y_train), len(y_test))
    assert tailles == (133, 45, 133, 45), (
        f"tailles attendues (X_train, X_test, y_train, y_test) = (133, 45, 133, 45), obtenu {tailles}"
    )
    lignes_train = {tuple(ligne) for ligne in np.asarray(X_train)}
    communs = sum(tuple(ligne) in lignes_train for ligne in np.asarray(X_test))
    assert communs == 0, f"{communs} vin(s) de test se trouvent aussi dans l'entraînement, attendu 0"


@pytest.mark.points(1)
def test_separer_stratifie():
    """separer garde les proportions des 3 cépages en entraînement et en test"""
    _, _, y_train, y_test = separer(X_VIN, Y_VIN)
    comptes = np.bincount(np.asarray(y_test), minlength=3).tolist()
    assert comptes == [15, 18, 12], (
        f"avec stratify=y, le test contient [15, 18, 12] vins de chaque classe, obtenu {comptes}"
    )


@pytest.mark.points(1)
def test_separer_reproductible():
    """separer donne exactement la même séparation à chaque appel (random_state=42)"""
    premier = separer(X_VIN, Y_VIN)
    second = separer(X_VIN, Y_VIN)
    assert np.array_equal(premier[1], second[1]), "deux appels à separer donnent des X_test différents"
    assert np.array_equal(premier[1], REF_X_TEST), (
        "X_test ne correspond pas à train_test_split(X, y, test_size=0.25, stratify=y, random_state=42)"
    )


@pytest.mark.points(2)
def test_exactitude_reference():
    """exactitude_reference prédit la classe majoritaire de l'entraînement"""
    resultat = exactitude_reference(np.array([0, 1, 1, 1, 2]), np.array([1, 0, 1, 2]))
    assert resultat == pytest.approx(0.5), (
        f"la classe majoritaire de l'entraînement est 1 : exactitude attendue 0.5, obtenu {resultat!r}"
    )
    # Ici, la classe majoritaire du TEST (0) n'est pas celle de l'entraînement (2)
    resultat = exactitude_reference(np.array([2, 2, 2, 0]), np.array([0, 0, 0, 2]))
    assert resultat == pytest.approx(0.25), (
        "la classe majoritaire se calcule sur y_train (2), pas sur y_test : "
        f"exactitude attendue 0.25, obtenu {resultat!r}"
    )
    resultat = exactitude_reference(REF_Y_TRAIN, REF_Y_TEST)
    assert resultat == pytest.approx(0.4), f"sur les vins, exactitude de référence attendue 0.4, obtenu {resultat!r}"


@pytest.mark.points(2)
def test_modele_entraine_sur_le_train_seulement():
    """L'arbre est entraîné sur les 133 vins d'entraînement, et seulement eux"""
    modele, _, _ = entrainer_et_evaluer(REF_X_TRAIN, REF_X_TEST, REF_Y_TRAIN, REF_Y_TEST)
    assert hasattr(modele, "tree_"), f"le modèle renvoyé doit être un DecisionTreeClassifier entraîné, obtenu {modele!r}"
    vus = int(modele.tree_.n_node_samples[0])
    assert vus == 133, f"l'arbre doit avoir vu 133 vins (l'entraînement), il en a vu {vus}"


@pytest.mark.points(2)
def test_exactitudes_train_et_test():
    """entrainer_et_evaluer renvoie les bonnes exactitudes d'entraînement et de test"""
    modele, exactitude_train, exactitude_test = entrainer_et_evaluer(
        REF_X_TRAIN, REF_X_TEST, REF_Y_TRAIN, REF_Y_TEST
    )
    attendu_train = float(np.mean(modele.predict(REF_X_TRAIN) == REF_Y_TRAIN))
    attendu_test = float(np.mean(modele.predict(REF_X_TEST) == REF_Y_TEST))
    assert exactitude_train == pytest.approx(attendu_train), (
        f"exactitude sur l'entraînement attendue {attendu_train:.3f}, obtenu {exactitude_train!r}"
    )
    assert exactitude_test == pytest.approx(attendu_test), (
        f"exactitude sur le test attendue {attendu_test:.3f}, obtenu {exactitude_test!r}"
    )
    assert exactitude_test >= 0.85, f"exactitude sur les données de test : {exactitude_test:.3f}, il faut au moins 0.85"

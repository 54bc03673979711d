import numpy as np
import pytest
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler

from knn import exactitude, predire, vote_majoritaire, voisins

# Petit jeu en 2 dimensions : deux groupes bien séparés
X_PETIT = np.array([[1.0, 1.0], [1.5, 2.0], [2.0, 1.0], [8.0, 8.0], [8.5, 9.0], [9.0, 8.0]])
Y_PETIT = np.array([0, 0, 0, 1, 1, 1])

# Vins : séparation fixe, standardisation apprise sur l'entraînement seulement
X_VIN, Y_VIN = load_wine(return_X_y=True)
X_TRAIN, X_TEST, Y_TRAIN, Y_TEST = train_test_split(
    X_VIN, Y_VIN, test_size=0.3, random_state=0, stratify=Y_VIN
)
NORMALISEUR = StandardScaler().fit(X_TRAIN)
X_TRAIN_STD = NORMALISEUR.transform(X_TRAIN)
X_TEST_STD = NORMALISEUR.transform(X_TEST)


@pytest.mark.points(1)
def test_voisins():
    """voisins renvoie les indices des k points d'entraînement les plus proches, dans l'ordre"""
    resultat = np.asarray(voisins(X_PETIT, np.array([8.2, 8.1]), 2)).tolist()
    assert resultat == [3, 5], f"les 2 voisins de [8.2, 8.1] sont les indices [3, 5], obtenu {resultat}"
    egalite = np.array([[1.0, 0.0], [0.0, 1.0], [3.0, 3.0]])
    resultat = np.asarray(voisins(egalite, np.array([0.0, 0.0]), 2)).tolist()
    assert resultat == [0, 1], (
        f"à distance égale, l'indice le plus petit passe en premier : attendu [0, 1], obtenu {resultat}"
    )


@pytest.mark.points(2)
@pytest.mark.parametrize(
    "etiquettes, attendu",
    [([2, 1, 2, 0], 2), ([2, 1, 1, 2], 1), ([0], 0), ([3, 3, 1, 1, 2, 2], 1)],
)
def test_vote_majoritaire(etiquettes, attendu):
    """vote_majoritaire renvoie l'étiquette la plus fréquente (la plus petite en cas d'égalité)"""
    resultat = vote_majoritaire(np.array(etiquettes))
    assert resultat == attendu, f"vote_majoritaire({etiquettes}) devrait valoir {attendu}, obtenu {resultat!r}"


@pytest.mark.points(2)
def test_predire_petit_exemple():
    """predire classe correctement des points proches de chaque groupe"""
    nouveaux = np.array([[1.2, 1.4], [9.0, 9.0], [2.5, 2.0], [7.0, 7.5]])
    resultat = np.asarray(predire(X_PETIT, Y_PETIT, nouveaux, k=3)).tolist()
    assert resultat == [0, 1, 0, 1], f"prédictions attendues [0, 1, 0, 1], obtenu {resultat}"


@pytest.mark.points(1)
def test_exactitude():
    """exactitude renvoie la proportion de bonnes prédictions"""
    resultat = exactitude(np.array([0, 1, 1, 2]), np.array([0, 1, 2, 2]))
    assert resultat == pytest.approx(0.75), f"exactitude attendue 0.75 (3 bonnes sur 4), obtenu {resultat!r}"
    resultat = exactitude(np.array([1, 1]), np.array([0, 0]))
    assert resultat == pytest.approx(0.0), f"exactitude attendue 0.0 (aucune bonne), obtenu {resultat!r}"


@pytest.mark.points(3)
@pytest.mark.parametrize("k", [1, 5])
def test_meme_predictions_que_scikit_learn(k):
    """Sur les vins, vos prédictions sont celles de KNeighborsClassifier"""
    resultat = np.asarray(predire(X_TRAIN_STD, Y_TRAIN, X_TEST_STD, k=k))
    reference = KNeighborsClassifier(n_neighbors=k).fit(X_TRAIN_STD, Y_TRAIN).predict(X_TEST_STD)
    assert resultat.shape == reference.shape, (
        f"une prédiction par vin de test attendue, forme {reference.shape}, obtenu {resultat.shape}"
    )
    differences = int((resultat != reference).sum())
    assert differences <= 1, (
        f"avec k={k}, vos prédictions diffèrent de celles de scikit-learn pour {differences} vins "
        f"sur {len(reference)} (au plus 1 toléré)"
    )


@pytest.mark.points(1)
def test_exactitude_sur_les_vins():
    """Avec k=5, l'exactitude sur les vins de test dépasse 0,90"""
    predictions = np.asarray(predire(X_TRAIN_STD, Y_TRAIN, X_TEST_STD, k=5))
    score = float(np.mean(predictions == Y_TEST))
    assert score >= 0.90, f"exactitude sur les données de test : {score:.3f}, il faut au moins 0.90"

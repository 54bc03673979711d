import numpy as np
import pytest

from preparation import distances, min_max, plus_proches, standardiser

# surface (m²), nombre de pièces, distance au tramway (m)
APPARTEMENTS = np.array(
    [
        [85.0, 3.0, 400.0],
        [120.0, 4.0, 1500.0],
        [60.0, 2.0, 150.0],
        [95.0, 3.0, 800.0],
    ]
)

# Une colonne constante (tous les appartements au 2e étage)
AVEC_CONSTANTE = np.array([[50.0, 2.0], [70.0, 2.0], [90.0, 2.0]])

# Données plus grandes, générées avec une graine fixe
GENERATEUR = np.random.default_rng(2024)
GRAND = GENERATEUR.normal(loc=[80.0, 3.0, 700.0], scale=[25.0, 1.0, 400.0], size=(500, 3))


@pytest.mark.points(2)
def test_standardiser_moyenne_nulle_ecart_type_un():
    """standardiser : chaque colonne a une moyenne de 0 et un écart-type de 1"""
    resultat = np.asarray(standardiser(GRAND.copy()), dtype=float)
    assert resultat.shape == GRAND.shape, (
        f"forme attendue {GRAND.shape} (même forme que X), obtenu {resultat.shape}"
    )
    moyennes = resultat.mean(axis=0)
    ecarts = resultat.std(axis=0)
    assert np.allclose(moyennes, 0, atol=1e-9), (
        f"moyennes des colonnes attendues : [0, 0, 0], obtenu {np.round(moyennes, 4)}"
    )
    assert np.allclose(ecarts, 1, atol=1e-9), (
        f"écarts-types des colonnes attendus : [1, 1, 1], obtenu {np.round(ecarts, 4)}"
    )


@pytest.mark.points(1)
def test_standardiser_valeurs_et_colonne_constante():
    """standardiser : bonnes valeurs, et une colonne constante donne des zéros"""
    resultat = np.asarray(standardiser(AVEC_CONSTANTE.copy()), dtype=float)
    attendu = np.array([[-1.224745, 0.0], [0.0, 0.0], [1.224745, 0.0]])
    assert np.allclose(resultat, attendu, atol=1e-5), (
        f"standardiser(AVEC_CONSTANTE) devrait valoir {attendu.tolist()}, "
        f"obtenu {np.round(resultat, 6).tolist()}"
    )


@pytest.mark.points(2)
def test_min_max():
    """min_max ramène chaque colonne entre 0 et 1 (colonne constante : 0)"""
    resultat = np.asarray(min_max(APPARTEMENTS.copy()), dtype=float)
    attendu = np.array(
        [
            [25 / 60, 0.5, 250 / 1350],
            [1.0, 1.0, 1.0],
            [0.0, 0.0, 0.0],
            [35 / 60, 0.5, 650 / 1350],
        ]
    )
    assert np.allclose(resultat, attendu), (
        f"min_max(APPARTEMENTS) devrait valoir {np.round(attendu, 4).tolist()}, "
        f"obtenu {np.round(resultat, 4).tolist()}"
    )
    constante = np.asarray(min_max(AVEC_CONSTANTE.copy()), dtype=float)[:, 1]
    assert np.allclose(constante, 0), (
        f"une colonne constante devrait valoir [0, 0, 0] après min_max, obtenu {constante.tolist()}"
    )


@pytest.mark.points(1)
def test_tableau_recu_non_modifie():
    """Aucune fonction ne modifie le tableau reçu"""
    X = APPARTEMENTS.copy()
    standardiser(X)
    min_max(X)
    distances(X, X[0])
    plus_proches(X, X[0], 2)
    assert np.array_equal(X, APPARTEMENTS), (
        f"le tableau reçu a été modifié : il valait {APPARTEMENTS.tolist()}, il vaut maintenant {X.tolist()}"
    )


@pytest.mark.points(2)
def test_distances():
    """distances renvoie la distance euclidienne de chaque ligne au point"""
    petit = np.asarray(distances(np.array([[0.0, 0.0], [3.0, 4.0], [-1.0, 0.0]]), np.array([0.0, 0.0])))
    assert petit.shape == (3,), f"forme attendue (3,) : un tableau à une dimension, obtenu {petit.shape}"
    assert np.allclose(petit, [0.0, 5.0, 1.0]), (
        f"distances attendues [0.0, 5.0, 1.0], obtenu {petit.tolist()}"
    )
    point = np.array([100.0, 3.0, 1000.0])
    resultat = np.asarray(distances(GRAND, point))
    attendu = np.sqrt(((GRAND - point) ** 2).sum(axis=1))
    assert resultat.shape == (500,), f"forme attendue (500,), obtenu {resultat.shape}"
    assert np.allclose(resultat, attendu), (
        f"sur 500 appartements, les 3 premières distances attendues sont {np.round(attendu[:3], 3).tolist()}, "
        f"obtenu {np.round(resultat[:3], 3).tolist()}"
    )


@pytest.mark.points(2)
def test_plus_proches():
    """plus_proches renvoie les indices des k lignes les plus proches, dans l'ordre"""
    client = np.array([90.0, 3.0, 500.0])
    resultat = np.asarray(plus_proches(APPARTEMENTS, client, 2)).tolist()
    assert resultat == [0, 3], (
        f"les 2 appartements les plus proches de {client.tolist()} sont [0, 3], obtenu {resultat}"
    )
    egalite = np.array([[1.0, 0.0], [0.0, 1.0], [5.0, 5.0], [-1.0, 0.0]])
    resultat = np.asarray(plus_proches(egalite, np.array([0.0, 0.0]), 3)).tolist()
    assert resultat == [0, 1, 3], (
        f"à égalité de distance, l'indice le plus petit passe en premier : attendu [0, 1, 3], obtenu {resultat}"
    )

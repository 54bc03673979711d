import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

from segmentation import assigner, choisir_nombre_segments, inertie, kmeans, recalculer_centres

# Quatre groupes bien visibles, et des centres initiaux fixes (un point de chaque groupe)
X_BLOBS, Y_BLOBS = make_blobs(n_samples=400, centers=4, cluster_std=1.0, random_state=42)
INITIAUX = X_BLOBS[[int(np.flatnonzero(Y_BLOBS == j)[0]) for j in range(4)]]

# Clients de l'enseigne : panier moyen (MAD) et visites par mois, 4 segments de 60 clients
GENERATEUR = np.random.default_rng(2024)
MOYENNES = np.array([[150.0, 4.0], [150.0, 12.0], [700.0, 4.0], [700.0, 12.0]])
CLIENTS = np.vstack([GENERATEUR.normal(m, [40.0, 1.2], size=(60, 2)) for m in MOYENNES])
CLIENTS[:, 1] = np.clip(CLIENTS[:, 1], 0.5, None)

PETIT_X = np.array([[0.0, 0.0], [1.0, 0.0], [10.0, 10.0], [11.0, 10.0], [5.0, 5.0]])


@pytest.mark.points(2)
def test_assigner():
    """assigner renvoie l'indice du centre le plus proche de chaque ligne"""
    centres = np.array([[0.0, 0.0], [10.0, 10.0]])
    resultat = np.asarray(assigner(PETIT_X, centres)).tolist()
    assert resultat == [0, 0, 1, 1, 0], (
        f"étiquettes attendues [0, 0, 1, 1, 0] ([5, 5] est à égale distance : plus petit indice), obtenu {resultat}"
    )
    centres = X_BLOBS[:3]
    resultat = np.asarray(assigner(X_BLOBS, centres))
    attendu = np.argmin(((X_BLOBS[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2), axis=1)
    differences = int((resultat != attendu).sum()) if resultat.shape == attendu.shape else len(attendu)
    assert differences == 0, f"sur 400 points et 3 centres, {differences} étiquettes sont fausses (forme obtenue {resultat.shape})"


@pytest.mark.points(2)
def test_recalculer_centres():
    """recalculer_centres fait la moyenne de chaque groupe, et garde l'ancien centre d'un groupe vide"""
    centres = np.array([[0.0, 0.0], [10.0, 10.0], [-50.0, -50.0]])
    copie = centres.copy()
    resultat = np.asarray(recalculer_centres(PETIT_X, np.array([0, 0, 1, 1, 0]), centres), dtype=float)
    attendu = np.array([[2.0, 5 / 3], [10.5, 10.0], [-50.0, -50.0]])
    assert np.allclose(resultat, attendu), (
        f"centres attendus {np.round(attendu, 3).tolist()} (le groupe 2 est vide), obtenu {np.round(resultat, 3).tolist()}"
    )
    assert np.array_equal(centres, copie), "recalculer_centres ne doit pas modifier le tableau centres reçu"


@pytest.mark.points(2)
def test_kmeans_comme_scikit_learn():
    """kmeans trouve les mêmes groupes et les mêmes centres que KMeans de scikit-learn"""
    copie = INITIAUX.copy()
    centres, etiquettes = kmeans(X_BLOBS, copie)
    assert np.array_equal(copie, INITIAUX), "kmeans ne doit pas modifier les centres initiaux reçus"
    reference = KMeans(n_clusters=4, init=INITIAUX, n_init=1).fit(X_BLOBS)
    etiquettes = np.asarray(etiquettes)
    differences = int((etiquettes != reference.labels_).sum()) if etiquettes.shape == (400,) else 400
    assert differences == 0, f"{differences} points sur 400 ne sont pas dans le même groupe que pour scikit-learn"
    ecart = float(np.abs(np.asarray(centres) - reference.cluster_centers_).max())
    assert ecart < 1e-6, f"les centres diffèrent de ceux de scikit-learn (écart maximal {ecart:.4f})"


@pytest.mark.points(1)
def test_inertie():
    """inertie additionne les carrés des distances de chaque point à son centre"""
    centres = np.array([[0.5, 0.0], [10.5, 10.0]])
    resultat = inertie(PETIT_X[:4], centres, np.array([0, 0, 1, 1]))
    assert resultat == pytest.approx(1.0), f"inertie attendue 4 × 0.5² = 1.0, obtenu {resultat!r}"
    reference = KMeans(n_clusters=4, init=INITIAUX, n_init=1).fit(X_BLOBS)
    resultat = inertie(X_BLOBS, reference.cluster_centers_, reference.labels_)
    assert resultat == pytest.approx(reference.inertia_, rel=1e-6), (
        f"inertie attendue {reference.inertia_:.2f} (celle de scikit-learn), obtenu {resultat!r}"
    )


@pytest.mark.points(3)
def test_choisir_nombre_segments():
    """choisir_nombre_segments standardise les clients et trouve les 4 segments"""
    meilleur_k, scores = choisir_nombre_segments(CLIENTS.copy(), [2, 3, 4, 5, 6])
    assert sorted(scores) == [2, 3, 4, 5, 6], f"scores doit avoir une clé par k [2, 3, 4, 5, 6], obtenu {sorted(scores)}"
    X_std = StandardScaler().fit_transform(CLIENTS)
    etiquettes = KMeans(n_clusters=4, n_init=10, random_state=0).fit_predict(X_std)
    attendu = float(silhouette_score(X_std, etiquettes))
    assert scores[4] == pytest.approx(attendu, abs=1e-6), (
        f"silhouette attendue pour k=4 : {attendu:.3f} (données standardisées), obtenu {scores[4]:.3f}"
    )
    assert meilleur_k == 4, (
        f"nombre de segments attendu : 4, obtenu {meilleur_k!r} "
        "(2 signifie souvent que les données n'ont pas été standardisées)"
    )

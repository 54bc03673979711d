from pathlib import Path

import pandas as pd
import pytest

from trajets import (
    colonnes_essentielles,
    departs_de,
    recette_moyenne,
    selection,
    top_recettes,
    trains_presque_complets,
)

# Trajets fictifs d'une semaine d'avril 2024 : une ligne par train et par classe.
FICHIER = Path(__file__).parent / "trajets.csv"
PRESQUE_COMPLETS_90 = [
    "T002", "T003", "T005", "T009", "T010", "T013", "T016", "T025", "T029", "T031", "T032",
    "T035", "T042", "T045", "T046", "T048", "T051", "T062", "T063", "T065", "T069", "T070",
    "T074",
]
PRESQUE_COMPLETS_98 = ["T002", "T003", "T010", "T013", "T016", "T029", "T031", "T051", "T062",
                       "T070", "T074"]


@pytest.mark.points(1)
def test_colonnes_essentielles():
    """colonnes_essentielles garde 5 colonnes, dans l'ordre demandé"""
    df = pd.read_csv(FICHIER)
    resultat = colonnes_essentielles(df)
    attendu = ["date", "gare_depart", "gare_arrivee", "classe", "voyageurs"]
    assert isinstance(resultat, pd.DataFrame), (
        f"colonnes_essentielles doit renvoyer un DataFrame, obtenu {type(resultat).__name__}"
    )
    assert resultat.columns.tolist() == attendu, (
        f"colonnes attendues {attendu}, obtenu {resultat.columns.tolist()}"
    )
    assert len(resultat) == 74, f"les 74 lignes doivent être conservées, obtenu {len(resultat)}"


@pytest.mark.points(2)
@pytest.mark.parametrize("gare, attendu", [
    ("Marrakech", ["T007", "T008", "T023", "T024", "T037", "T038", "T053", "T054", "T066", "T067"]),
    ("Kénitra", []),
])
def test_departs_de(gare, attendu):
    """departs_de filtre les trajets au départ d'une gare"""
    df = pd.read_csv(FICHIER)
    resultat = departs_de(df, gare)
    ids = resultat["id_trajet"].tolist()
    assert ids == attendu, f"departs_de(df, {gare!r}) : trajets attendus {attendu}, obtenu {ids}"
    assert resultat.columns.tolist() == df.columns.tolist(), (
        "departs_de doit garder toutes les colonnes du tableau"
    )


@pytest.mark.points(2)
@pytest.mark.parametrize("seuil, attendu", [(0.9, PRESQUE_COMPLETS_90), (0.98, PRESQUE_COMPLETS_98)])
def test_trains_presque_complets(seuil, attendu):
    """trains_presque_complets garde les trajets remplis au moins au seuil"""
    df = pd.read_csv(FICHIER)
    ids = trains_presque_complets(df, seuil)["id_trajet"].tolist()
    assert ids == attendu, (
        f"trains_presque_complets(df, {seuil}) : {len(attendu)} trajets attendus {attendu}, "
        f"obtenu {len(ids)} : {ids} (le seuil est inclus : >=)"
    )


@pytest.mark.points(2)
def test_selection():
    """selection combine une liste de lignes (isin) et une classe"""
    df = pd.read_csv(FICHIER)
    resultat = selection(df, ["Casablanca-Fès", "Fès-Oujda"], "1re")
    ids = resultat["id_trajet"].tolist()
    attendu = ["T009", "T011", "T025", "T039", "T041", "T043", "T055", "T058", "T068", "T070", "T073"]
    assert ids == attendu, f"trajets attendus {attendu}, obtenu {ids}"
    vide = selection(df, ["LGV Al Boraq"], "3e")
    assert len(vide) == 0, f"il n'existe pas de 3e classe : 0 trajet attendu, obtenu {len(vide)}"


@pytest.mark.points(2)
@pytest.mark.parametrize("depart, arrivee, attendu", [
    ("Casa-Voyageurs", "Tanger-Ville", 55014.92),
    ("Oujda", "Fès", 16685.98),
    ("Oujda", "Tanger-Ville", 0.0),
])
def test_recette_moyenne(depart, arrivee, attendu):
    """recette_moyenne calcule la moyenne des recettes d'une relation"""
    df = pd.read_csv(FICHIER)
    resultat = recette_moyenne(df, depart, arrivee)
    assert resultat == pytest.approx(attendu, abs=0.006), (
        f"recette_moyenne(df, {depart!r}, {arrivee!r}) devrait valoir {attendu}, obtenu {resultat!r}"
    )


@pytest.mark.points(2)
def test_top_recettes():
    """top_recettes renvoie les n trajets les plus rémunérateurs, du plus au moins"""
    df = pd.read_csv(FICHIER)
    resultat = top_recettes(df, 3)
    attendu_colonnes = ["id_trajet", "ligne", "recette_mad"]
    assert resultat.columns.tolist() == attendu_colonnes, (
        f"colonnes attendues {attendu_colonnes}, obtenu {resultat.columns.tolist()}"
    )
    ids = resultat["id_trajet"].tolist()
    assert ids == ["T016", "T002", "T063"], f"top 3 attendu ['T016', 'T002', 'T063'], obtenu {ids}"
    recettes = resultat["recette_mad"].tolist()
    assert recettes == pytest.approx([90291.71, 88027.42, 83052.27]), (
        f"recettes attendues [90291.71, 88027.42, 83052.27], obtenu {recettes}"
    )
    cinq = top_recettes(df)["id_trajet"].tolist()
    assert cinq == ["T016", "T002", "T063", "T032", "T048"], (
        f"par défaut n=5 : attendu ['T016', 'T002', 'T063', 'T032', 'T048'], obtenu {cinq}"
    )
